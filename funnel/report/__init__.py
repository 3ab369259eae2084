"""The report as data: the funnel summary and the over-time records (JSON, CSV, XLSX)."""
