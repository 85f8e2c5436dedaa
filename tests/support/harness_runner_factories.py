"""Extractor factories that fail while being built (runner tests)."""

from conflictbench.errors import ExtractorUnavailable


def broken():
    raise RuntimeError("model file corrupt")


def unavailable():
    raise ExtractorUnavailable("no model here")
