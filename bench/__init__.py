"""Benchmarks: `make bench` (`python -m bench`) runs them all and rewrites bench/RESULTS.md.

Each benchmark is a function returning a markdown `Section`; bench/registry.py lists them.
"""
