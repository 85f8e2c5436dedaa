"""The built-in extractors, registered in one place, and the look-ups over the registry.

As spaCy's ``registrations.populate_registry()``: the extractor modules know nothing of the
registry (no import circle); this module imports them (they keep their heavy imports inside
their factories, so this stays cheap) and registers their factories by versioned name.
Third-party extractors come in through the ``conflictbench_extractors`` entry points.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

import catalogue

from .errors import ParameterError
from .extractors import llm, reference, spacy_ner
from .extractors.rules import extractor as rules
from .registry import extractors

#: versioned name → factory of every built-in extractor
BUILTIN_EXTRACTORS: dict[str, Callable[..., Any]] = {
    "null.v1": reference.make_null_extractor,
    "oracle.v1": reference.make_oracle_extractor,
    rules.NAME: rules.make_rules_extractor,
    spacy_ner.NAME: spacy_ner.make_spacy_ner_extractor,
    llm.NAME: llm.make_llm_extractor,
}

_populated = False


def populate_registry() -> None:
    """Register the built-in extractors (idempotent)."""
    global _populated
    if _populated:
        return
    for name, factory in BUILTIN_EXTRACTORS.items():
        extractors.register(name, func=factory)
    _populated = True


def extractor_names() -> list[str]:
    populate_registry()
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
    populate_registry()
    try:
        return extractors.get(spec)
    except catalogue.RegistryError:
        names = ", ".join(sorted(extractors.get_all()))
        raise ParameterError(f"unknown extractor {spec!r}; registered: {names}") from None


def get_extractor(spec: str, **kwargs: Any) -> Any:
    """Build an extractor by registered name or ``package.module:attr``."""
    return get_extractor_factory(spec)(**kwargs)
