"""Value matchers: when a predicted item means the same as a gold item.

A :class:`Matcher` gives every item a hashable *value key* (its canonical value: the
identity used for the entity/value level and for hash-based alignment) and, for relaxed
matchers, a ``match(gold, pred)`` predicate that is not an equality of keys. Matchers are
registered by versioned name in :data:`conflictbench.registry.matchers`; the names appear
in every score's signature.

Built-in matchers (decisions documented in PREDICTIONS.md):

``casualties.value.v1`` (headline)
    same ``kind`` and the same number: ``exact``/``at_least``/``at_most``/``approx`` compare
    ``count`` (the qualifier is not part of the value; it is reported as attribute accuracy);
    ``range`` compares ``(count_low, count_high)``; ``vague`` matches ``vague``. A point never
    equals a range ("between 10 and 12" ≠ "11").
``casualties.value-relaxed.v1``
    as above, and additionally a point count inside a range (bounds included) matches it.
``actors.entity.v1`` (headline)
    same canonical entity id (``entity``, or ``text`` resolved through the actor registry).
``dates.value.v1`` (headline; TempEval-3 value-F1)
    the TIMEX3 ``value`` strings are equal.
``dates.value-granularity.v1``
    the values agree at the coarser granularity of the two (``2020-01`` matches
    ``2020-01-16``; ``2020`` matches ``2020-01-16T05:06``); non-calendar values
    (durations, references, intervals) must be equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Hashable

from ..errors import ParameterError
from ..registry import matchers as _registry
from ..schema import FIELD_SPECS, FIELDS

Span = dict[str, Any]

#: the headline matcher of each field
DEFAULT_MATCHERS: dict[str, str] = {f: spec.default_matcher for f, spec in FIELD_SPECS.items()}


@dataclass(frozen=True)
class Matcher:
    name: str
    field: str
    #: the canonical value of an item (None: the item has no value and matches nothing)
    key: Callable[[Span], Hashable | None]
    #: relaxed predicate on two items with non-None keys; None = key equality
    match: Callable[[Span, Span], bool] | None = None

    @property
    def is_equivalence(self) -> bool:
        return self.match is None

    def compatible(self, gold: Span, pred: Span) -> bool:
        kg, kp = self.key(gold), self.key(pred)
        if kg is None or kp is None:
            return False
        if self.match is None:
            return kg == kp
        return kg == kp or self.match(gold, pred)


def casualty_key(span: Span) -> Hashable | None:
    q = span.get("qualifier")
    kind = span.get("kind")
    if q == "range":
        return (kind, "range", span.get("count_low"), span.get("count_high"))
    if q == "vague":
        return (kind, "vague")
    return (kind, "n", span.get("count"))


def _point_in_range(g: Span, p: Span) -> bool:
    if g.get("kind") != p.get("kind"):
        return False
    for a, b in ((g, p), (p, g)):
        if a.get("qualifier") == "range" and b.get("qualifier") not in ("range", "vague"):
            n, lo, hi = b.get("count"), a.get("count_low"), a.get("count_high")
            if n is not None and lo is not None and hi is not None and lo <= n <= hi:
                return True
    return False


def actor_key(span: Span) -> Hashable | None:
    return span.get("entity")


def date_key(span: Span) -> Hashable | None:
    return span.get("value")


_GRAN_ORDER = ("year", "month", "day")


def _granularity(value: str) -> str | None:
    from ..timex import is_point

    if not is_point(value):
        return None
    parts = value.split("T", 1)[0].split("-")
    if len(parts) == 1:
        return "year" if len(parts[0]) == 4 else None
    if len(parts) == 2:
        return "month" if parts[1].isdigit() else "year"
    return "day"


def _same_at_coarser_granularity(g: Span, p: Span) -> bool:
    from ..timex import truncate

    gv, pv = g.get("value"), p.get("value")
    gg, pg = _granularity(gv), _granularity(pv)
    if gg is None or pg is None:
        return False
    coarse = min(gg, pg, key=_GRAN_ORDER.index)
    return truncate(gv, coarse) == truncate(pv, coarse)


BUILTIN = (
    Matcher("casualties.value.v1", "casualties", casualty_key),
    Matcher("casualties.value-relaxed.v1", "casualties", casualty_key, _point_in_range),
    Matcher("actors.entity.v1", "actors", actor_key),
    Matcher("dates.value.v1", "dates", date_key),
    Matcher("dates.value-granularity.v1", "dates", date_key, _same_at_coarser_granularity),
)
for _m in BUILTIN:
    _registry.register(_m.name, func=_m)


def get_matcher(name_or_matcher: "str | Matcher", field: str) -> Matcher:
    """A registered matcher by name (checked to belong to ``field``), or the matcher itself."""
    if isinstance(name_or_matcher, Matcher):
        m = name_or_matcher
    else:
        try:
            m = _registry.get(name_or_matcher)
        except Exception:
            names = sorted(k for k, v in _registry.get_all().items() if getattr(v, "field", None) == field)
            raise ParameterError(
                f"unknown matcher {name_or_matcher!r} for field {field!r}; registered: {names}"
            ) from None
    if not isinstance(m, Matcher) or m.field != field:
        raise ParameterError(f"matcher {getattr(m, 'name', m)!r} does not match field {field!r}")
    return m


def resolve_matchers(matchers: dict[str, "str | Matcher"] | None) -> dict[str, Matcher]:
    """The matcher of every field: the defaults, overridden by ``matchers``."""
    chosen: dict[str, Any] = dict(DEFAULT_MATCHERS)
    for field, m in (matchers or {}).items():
        if field not in FIELDS:
            raise ParameterError(
                f"The 'matchers' parameter has an unknown field {field!r}; fields: {list(FIELDS)}"
            )
        chosen[field] = m
    return {f: get_matcher(chosen[f], f) for f in FIELDS}
