"""Dagster wiring only: one module per asset group."""
