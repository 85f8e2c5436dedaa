"""Corpus validation: every problem, each named by document id, field and index.

:func:`validate_documents` returns the list of :class:`Problem`; :func:`check_documents`
raises :class:`~conflictbench.errors.ValidationFailed` when that list is not empty.
Span checks are shared with the prediction reader (offsets and entity may then be
optional).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from . import timex
from .actors import ActorRegistry
from .errors import ValidationFailed
from .schema import DOCUMENT_FIELDS, FIELD_SPECS, FIELDS, SPAN_FIELDS, VOCABULARIES


@dataclass(frozen=True)
class Problem:
    doc_id: str
    field: str
    index: int | None
    message: str
    where: str = ""  # e.g. "file.jsonl:12" or "record 3"

    def __str__(self) -> str:
        loc = f"{self.field}[{self.index}]" if self.index is not None else self.field
        prefix = f"{self.where}: " if self.where else ""
        return f"{prefix}document {self.doc_id!r}, {loc}: {self.message}"


def parse_publication_date(value: object) -> _dt.date | None:
    """The DCT as a date, or None when malformed. Accepts YYYY-MM-DD and YYYY-MM-DDTHH:MM[:SS]."""
    if not isinstance(value, str):
        return None
    try:
        if "T" in value:
            return _dt.datetime.fromisoformat(value).date()
        if len(value) != 10:
            return None
        return _dt.date.fromisoformat(value)
    except ValueError:
        return None


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def check_span_offsets(
    span: dict[str, Any], text: str, *, require: bool
) -> list[tuple[str, str]]:
    """(attribute, message) problems of a span's start/end/text against the document text."""
    out: list[tuple[str, str]] = []
    start, end, stext = span.get("start"), span.get("end"), span.get("text")
    if start is None and end is None:
        if require:
            out.append(("start", "offsets are required here but missing"))
        if stext is not None and not isinstance(stext, str):
            out.append(("text", f"must be a string or null, got {type(stext).__name__}"))
        return out
    if not _is_int(start) or not _is_int(end):
        out.append(("start", f"start and end must both be integers (got {start!r}, {end!r})"))
        return out
    if start >= end:
        out.append(("start", f"span [{start}, {end}) is empty or reversed"))
        return out
    if start < 0 or end > len(text):
        out.append(("start", f"offsets [{start}, {end}) are outside the text (length {len(text)})"))
        return out
    if stext is not None and stext != text[start:end]:
        out.append(("text", f"span text {stext!r} != text[{start}:{end}] = {text[start:end]!r}"))
    return out


def check_span_values(
    field: str,
    span: dict[str, Any],
    *,
    registry: ActorRegistry | None,
    n_dates: int | None = None,
    n_actors: int | None = None,
    require_entity: bool = True,
) -> list[tuple[str, str]]:
    """(attribute, message) problems of a span's non-offset attributes."""
    out: list[tuple[str, str]] = []
    known = {name for name, *_ in SPAN_FIELDS[field]}
    for key in span:
        if key not in known:
            out.append((key, f"unknown attribute {key!r} (known: {sorted(known)})"))
    for attr, allowed in VOCABULARIES[field].items():
        v = span.get(attr)
        nullable = attr in FIELD_SPECS[field].nullable_choices
        if v is None and nullable:
            continue
        if v not in allowed:
            out.append((attr, f"must be one of {list(allowed)}, got {v!r}"))
    if "optional" in span and not isinstance(span["optional"], bool):
        out.append(("optional", f"must be true or false, got {span['optional']!r}"))
    if field == "casualties":
        out += _check_counts(span)
        for attr, n in (("date_ref", n_dates), ("perpetrator_ref", n_actors)):
            ref = span.get(attr)
            if ref is None:
                continue
            if not _is_int(ref) or (n is not None and not 0 <= ref < n):
                out.append((attr, f"{ref!r} does not index an item of this document's list"))
    elif field == "actors":
        ent = span.get("entity")
        if ent is None:
            if require_entity:
                out.append(("entity", "missing canonical entity id"))
        elif not isinstance(ent, str):
            out.append(("entity", f"must be a string, got {ent!r}"))
        elif registry is not None and ent not in registry:
            out.append(("entity", f"{ent!r} is not in the actor registry ({registry.path})"))
    elif field == "dates":
        value = span.get("value")
        if not timex.is_valid_value(value):
            out.append(("value", f"{value!r} is not a well-formed TIMEX3 value"))
        elif span.get("type") in VOCABULARIES["dates"]["type"] and not timex.type_agrees(
            value, span["type"]
        ):
            out.append(("value", f"{value!r} does not fit type {span['type']!r}"))
    return out


def _check_counts(span: dict[str, Any]) -> list[tuple[str, str]]:
    q = span.get("qualifier")
    count, low, high = span.get("count"), span.get("count_low"), span.get("count_high")
    out: list[tuple[str, str]] = []
    for attr, v in (("count", count), ("count_low", low), ("count_high", high)):
        if v is not None and (not _is_int(v) or v < 0):
            out.append((attr, f"must be a non-negative integer or null, got {v!r}"))
    if out:
        return out
    if q in ("exact", "at_least", "at_most", "approx"):
        if count is None:
            out.append(("count", f"qualifier {q!r} needs a count"))
        if low is not None or high is not None:
            out.append(("count_low", f"qualifier {q!r} takes no count_low/count_high"))
    elif q == "range":
        if count is not None:
            out.append(("count", "qualifier 'range' takes count_low/count_high, not count"))
        if low is None or high is None:
            out.append(("count_low", "qualifier 'range' needs count_low and count_high"))
        elif low > high:
            out.append(("count_low", f"count_low {low} > count_high {high}"))
    elif q == "vague":
        if count is not None or low is not None or high is not None:
            out.append(("count", "qualifier 'vague' takes no count (see the guidelines)"))
    return out


def validate_document(
    doc: dict[str, Any], registry: ActorRegistry | None, *, where: str = ""
) -> list[Problem]:
    doc_id = doc.get("id") if isinstance(doc.get("id"), str) else f"<{doc.get('id')!r}>"
    problems: list[Problem] = []

    def add(field: str, index: int | None, msg: str) -> None:
        problems.append(Problem(doc_id, field, index, msg, where))

    known = {name for name, *_ in DOCUMENT_FIELDS} | set(FIELDS)
    for key in doc:
        if key not in known:
            add(key, None, f"unknown field {key!r}")
    for name, _dtype, nullable, _desc in DOCUMENT_FIELDS:
        v = doc.get(name)
        if v is None and nullable:
            continue
        if not isinstance(v, str) or (not v and name != "text"):
            add(name, None, f"must be a non-empty string, got {v!r}")
    if doc.get("publication_date") is not None and parse_publication_date(
        doc.get("publication_date")
    ) is None:
        add("publication_date", None, f"{doc.get('publication_date')!r} is not an ISO 8601 date")
    text = doc.get("text") if isinstance(doc.get("text"), str) else ""
    n = {f: len(doc.get(f) or []) if isinstance(doc.get(f), list) else 0 for f in FIELDS}
    for field in FIELDS:
        spans = doc.get(field)
        if spans is None:
            spans = []
        if not isinstance(spans, list):
            add(field, None, f"must be a list, got {type(spans).__name__}")
            continue
        seen: dict[tuple, int] = {}
        for i, span in enumerate(spans):
            if not isinstance(span, dict):
                add(field, i, f"must be an object, got {type(span).__name__}")
                continue
            for attr, msg in check_span_offsets(span, text, require=False):
                add(field, i, f"{attr}: {msg}")
            for attr, msg in check_span_values(
                field, span, registry=registry, n_dates=n["dates"], n_actors=n["actors"]
            ):
                add(field, i, f"{attr}: {msg}")
            if span.get("start") is not None:
                key = tuple(sorted((k, repr(v)) for k, v in span.items()))
                if key in seen:
                    add(field, i, f"duplicate of {field}[{seen[key]}]")
                seen.setdefault(key, i)
    return problems


def validate_documents(
    docs: Iterable[dict[str, Any]], registry: ActorRegistry | None, *, source: str = ""
) -> list[Problem]:
    """Every problem in ``docs`` (ids unique, spans consistent, references resolving)."""
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for i, doc in enumerate(docs):
        where = f"{source}: record {i}" if source else f"record {i}"
        if not isinstance(doc, dict):
            problems.append(Problem(f"<record {i}>", "", None, "not an object", where))
            continue
        problems += validate_document(doc, registry, where=where)
        doc_id = doc.get("id")
        if isinstance(doc_id, str):
            if doc_id in first:
                problems.append(
                    Problem(doc_id, "id", None, f"duplicate id (first at record {first[doc_id]})", where)
                )
            first.setdefault(doc_id, i)
    return problems


def check_documents(
    docs: Sequence[dict[str, Any]], registry: ActorRegistry | None, *, source: str = "corpus"
) -> None:
    problems = validate_documents(docs, registry, source=source)
    if problems:
        raise ValidationFailed(problems, source=source)
