"""Per-feature UI string tables, merged into ui.i18n.STRINGS."""
