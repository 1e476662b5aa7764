"""Operators' commands, run by hand against a stage (never imported by the app)."""
