"""The edges where data comes in and goes out: files, Google Sheets, tidying, CSV/XLSX export."""
