"""Voronka's funnel engine: read a deal export, recognise its columns, compute the funnel."""
