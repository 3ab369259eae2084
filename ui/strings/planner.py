"""UI strings for Velocity, stuck deals and the planner (reverse funnel)."""

STRINGS: dict[str, dict[str, str]] = {}
