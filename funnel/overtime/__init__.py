"""Analyses over time: maturity, creation cohorts, before/after, velocity and the planner."""
