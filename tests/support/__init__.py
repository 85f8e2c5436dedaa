"""Test helpers (no fixtures: those live in conftest.py)."""
