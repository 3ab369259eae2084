"""Altair chart builders: one shared style, one module per chart family."""
