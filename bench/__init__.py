"""Benchmarks, run as scripts from the project root (e.g. `.venv/bin/python bench/inventory.py`)."""
