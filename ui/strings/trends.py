"""UI strings for Trends over cohorts and before/after a change."""

STRINGS: dict[str, dict[str, str]] = {}
