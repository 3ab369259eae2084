"""UI strings for Google Sheets links: pasting, private access, refresh."""

STRINGS: dict[str, dict[str, str]] = {}
