"""Allocation planner (being built)."""
