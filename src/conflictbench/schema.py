"""The corpus schema, declared once.

Plain-Python vocabularies are importable without heavy dependencies; :func:`features`
builds the :class:`datasets.Features` (imported lazily) from the same declarations,
and the dataset card's YAML is generated from those Features.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

#: Casualty kinds: what happened to the people counted.
CASUALTY_KINDS: tuple[str, ...] = (
    "killed",
    "injured",
    "displaced",
    "missing",
    "detained",
    "abducted",
)

#: How the stated number relates to the true count (see annotation/GUIDELINES.md).
QUALIFIERS: tuple[str, ...] = ("exact", "at_least", "at_most", "approx", "range", "vague")

#: Who the victims are, as the text describes them.
VICTIM_TYPES: tuple[str, ...] = (
    "civilians",
    "fighters",
    "security_forces",
    "people",
    "other",
)

#: Actor types (registry default and per-mention value).
ACTOR_TYPES: tuple[str, ...] = (
    "state_forces",
    "armed_group",
    "foreign_state",
    "international_org",
    "monitor_ngo",
    "media",
    "person",
    "civilians",
    "other",
)

#: TIMEX3 types.
DATE_TYPES: tuple[str, ...] = ("DATE", "TIME", "DURATION", "SET")

#: TIMEX3 ``mod`` values (TimeML 1.2.1).
DATE_MODS: tuple[str, ...] = (
    "BEFORE",
    "AFTER",
    "ON_OR_BEFORE",
    "ON_OR_AFTER",
    "LESS_THAN",
    "MORE_THAN",
    "EQUAL_OR_LESS",
    "EQUAL_OR_MORE",
    "START",
    "MID",
    "END",
    "APPROX",
)

FIELDS: tuple[str, ...] = ("casualties", "actors", "dates")

# --- declarations: (name, dtype, nullable, description) -------------------------------------
# dtype is a datasets Value dtype. Every span field allows null offsets: a gold item whose
# text cannot be located (e.g. an imported answer key) has start = end = text = null.

_SPAN_COMMON: tuple[tuple[str, str, bool, str], ...] = (
    ("start", "int32", True, "start offset, Python code points, inclusive"),
    ("end", "int32", True, "end offset, Python code points, exclusive"),
    ("text", "string", True, "text[start:end], verbatim"),
)

CASUALTY_FIELDS: tuple[tuple[str, str, bool, str], ...] = _SPAN_COMMON + (
    ("count", "int64", True, "normalised number (null for range and vague)"),
    ("count_low", "int64", True, "lower bound of a range"),
    ("count_high", "int64", True, "upper bound of a range"),
    ("qualifier", "string", False, "one of " + ", ".join(QUALIFIERS)),
    ("kind", "string", False, "one of " + ", ".join(CASUALTY_KINDS)),
    ("victims", "string", False, "one of " + ", ".join(VICTIM_TYPES)),
    ("date_ref", "int32", True, "index into this document's `dates`: when the event happened"),
    ("perpetrator_ref", "int32", True, "index into this document's `actors`: who caused it"),
    ("optional", "bool", False, "gold item a system may omit without penalty (MUC optional fills)"),
)

ACTOR_FIELDS: tuple[tuple[str, str, bool, str], ...] = _SPAN_COMMON + (
    ("entity", "string", False, "canonical id in the corpus actor registry (actors.jsonl)"),
    ("type", "string", False, "one of " + ", ".join(ACTOR_TYPES)),
    ("optional", "bool", False, "gold item a system may omit without penalty"),
)

DATE_FIELDS: tuple[tuple[str, str, bool, str], ...] = _SPAN_COMMON + (
    ("value", "string", False, "TIMEX3 value (2020-01-16, 2019-12, P9Y, 2020-01-17T05:06, ...)"),
    ("type", "string", False, "one of " + ", ".join(DATE_TYPES)),
    ("mod", "string", True, "TIMEX3 mod: one of " + ", ".join(DATE_MODS)),
    ("optional", "bool", False, "gold item a system may omit without penalty"),
)

DOCUMENT_FIELDS: tuple[tuple[str, str, bool, str], ...] = (
    ("id", "string", False, "stable slug, unique in the corpus"),
    ("text", "string", False, "the article, verbatim"),
    ("title", "string", False, "headline"),
    ("source", "string", False, "publisher"),
    ("url", "string", True, "where the article was published"),
    ("language", "string", False, "BCP 47 code, e.g. en"),
    (
        "publication_date",
        "string",
        True,
        "document creation time (DCT), ISO 8601 date; anchors relative dates "
        "(null: the document has none; relative dates then take underspecified TIMEX3 values, XXXX-WXX-4)",
    ),
)




@dataclass(frozen=True)
class FieldSpec:
    """Everything per field that the rest of the package reads: one row per field, in one table.

    Adding a field, or changing a field's headline matcher, touches :data:`FIELD_SPECS` only;
    the scorer, the prediction checker, the renderers and the Label Studio configuration read it.
    """

    name: str
    #: the span attributes: (name, datasets dtype, nullable, description)
    attributes: tuple[tuple[str, str, bool, str], ...]
    #: allowed values of the categorical attributes
    vocabularies: Mapping[str, tuple[str, ...]]
    #: categorical attributes a gold item may leave null (TIMEX3 ``mod``)
    nullable_choices: tuple[str, ...]
    #: attributes a *prediction* may leave null although the gold schema requires them
    nullable_in_predictions: tuple[str, ...]
    #: the registered name of the headline value matcher
    default_matcher: str
    #: attributes reported as accuracy on matched mention pairs (not part of the value)
    accuracy_attributes: tuple[str, ...]
    #: the attribute of the per-label breakdown (casualties by kind, actors/dates by type)
    label_attribute: str
    #: categorical attributes of Cohen's kappa in inter-annotator agreement
    kappa_attributes: tuple[str, ...]
    #: the Label Studio label, its colour (also the field's colour in reports) and hotkey
    label: str
    colour: str
    hotkey: str


FIELD_SPECS: dict[str, FieldSpec] = {
    "casualties": FieldSpec(
        name="casualties",
        attributes=CASUALTY_FIELDS,
        vocabularies={"qualifier": QUALIFIERS, "kind": CASUALTY_KINDS, "victims": VICTIM_TYPES},
        nullable_choices=(),
        nullable_in_predictions=("victims",),
        default_matcher="casualties.value.v1",
        accuracy_attributes=("qualifier", "victims"),
        label_attribute="kind",
        kappa_attributes=("qualifier", "kind", "victims"),
        label="CASUALTY",
        colour="#d62728",
        hotkey="c",
    ),
    "actors": FieldSpec(
        name="actors",
        attributes=ACTOR_FIELDS,
        vocabularies={"type": ACTOR_TYPES},
        nullable_choices=(),
        nullable_in_predictions=("type", "entity"),
        default_matcher="actors.entity.v1",
        accuracy_attributes=(),
        label_attribute="type",
        kappa_attributes=("entity", "type"),
        label="ACTOR",
        colour="#1f77b4",
        hotkey="a",
    ),
    "dates": FieldSpec(
        name="dates",
        attributes=DATE_FIELDS,
        vocabularies={"type": DATE_TYPES, "mod": DATE_MODS},
        nullable_choices=("mod",),
        nullable_in_predictions=("type",),
        default_matcher="dates.value.v1",
        accuracy_attributes=(),
        label_attribute="type",
        kappa_attributes=("type", "mod"),
        label="DATE",
        colour="#2ca02c",
        hotkey="d",
    ),
}
assert tuple(FIELD_SPECS) == FIELDS

#: span attributes per field (from :data:`FIELD_SPECS`)
SPAN_FIELDS: dict[str, tuple[tuple[str, str, bool, str], ...]] = {f: s.attributes for f, s in FIELD_SPECS.items()}

#: Allowed values of categorical span attributes, per field (from :data:`FIELD_SPECS`).
VOCABULARIES: dict[str, Mapping[str, tuple[str, ...]]] = {f: s.vocabularies for f, s in FIELD_SPECS.items()}


def features() -> Any:
    """The corpus :class:`datasets.Features`, built from the declarations above."""
    from datasets import Features, List, Value

    def struct(decls: tuple[tuple[str, str, bool, str], ...]) -> dict[str, Any]:
        return {name: Value(dtype) for name, dtype, _nullable, _desc in decls}

    spec: dict[str, Any] = struct(DOCUMENT_FIELDS)
    for field, decls in SPAN_FIELDS.items():
        spec[field] = List(struct(decls))
    return Features(spec)


def empty_span(field: str) -> dict[str, Any]:
    """A span dict of ``field`` with every key present: null, or False for ``optional``."""
    return {name: (False if name == "optional" else None) for name, *_ in SPAN_FIELDS[field]}


def normalise_span(field: str, span: dict[str, Any]) -> dict[str, Any]:
    """Fill the keys a span leaves out (null; ``optional`` False), keep key order canonical.

    Unknown keys are kept out of the result; callers that must reject them check first
    (the validator reports them).
    """
    out = empty_span(field)
    for key in out:
        if key in span and span[key] is not None:
            out[key] = span[key]
    return out


def normalise_document(doc: dict[str, Any]) -> dict[str, Any]:
    """A document dict with every declared key and every span normalised (order kept: refs are indices)."""
    out: dict[str, Any] = {name: doc.get(name) for name, *_ in DOCUMENT_FIELDS}
    for field in FIELDS:
        out[field] = [normalise_span(field, s) for s in doc.get(field) or []]
    return out
