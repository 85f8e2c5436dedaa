"""Registries for pluggable parts, by versioned name (spaCy/catalogue style).

* ``extractors``: name (``"rules.v1"``) → factory returning an :class:`~conflictbench.extractors.base.Extractor`.
  Third-party packages register theirs through the entry-point group
  ``conflictbench_extractors`` (``name = "package.module:factory"``).
* ``matchers``: name → value-matching function used by the scorer.

Built-in extractors are registered when :mod:`conflictbench.extractors` is imported;
:func:`get_extractor` does that import lazily, so importing this module stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

import catalogue

from .errors import ParameterError

extractors = catalogue.create("conflictbench", "extractors", entry_points=True)
matchers = catalogue.create("conflictbench", "matchers", entry_points=True)


def _load_builtins() -> None:
    importlib.import_module("conflictbench.extractors")


def extractor_names() -> list[str]:
    _load_builtins()
    return sorted(extractors.get_all())


def get_extractor_factory(spec: str) -> Callable[..., Any]:
    """A factory by registered name, or by ``package.module:attr`` path."""
    if ":" in spec:
        module_name, _, attr = spec.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise ParameterError(f"extractor {spec!r}: cannot import {module_name!r} ({exc})") from None
        try:
            obj = getattr(module, attr)
        except AttributeError:
            raise ParameterError(f"extractor {spec!r}: {module_name!r} has no attribute {attr!r}") from None
        return obj if callable(obj) and not hasattr(obj, "extract") else (lambda: obj)
    _load_builtins()
    try:
        return extractors.get(spec)
    except catalogue.RegistryError:
        names = ", ".join(sorted(extractors.get_all()))
        raise ParameterError(f"unknown extractor {spec!r}; registered: {names}") from None


def get_extractor(spec: str, **kwargs: Any) -> Any:
    """Build an extractor by registered name or ``package.module:attr``."""
    return get_extractor_factory(spec)(**kwargs)
