"""One-to-one alignment of gold and predicted items of one field in one document.

:func:`align` pairs gold and predicted items with an optimal assignment (scipy's
``linear_sum_assignment``), so counts never depend on the order of the input. A pair is
*compatible* when its spans agree under the span mode and its values agree under the
field's value matcher (:mod:`conflictbench.scoring.matchers`). Among the assignments with the
most compatible pairs it prefers, in this order: pairs with required (non-``optional``)
gold items, pairs whose attributes (casualties: ``qualifier``, ``victims``) agree, and
pairs whose spans overlap more (Jaccard of the character ranges).

Span modes:

``strict``  same ``start`` and ``end``; an item without offsets matches nothing.
``overlap`` the half-open ranges share at least one character; any overlap is a full
            match (credit 1, no partial credit); an item without offsets matches nothing.
``none``    offsets are ignored: the value alone decides (for extractors that give none).

Counts: ``tp`` = pairs; ``fp`` = unpaired predictions; ``fn`` = unpaired gold items that are
not ``optional`` (MUC-style optional fills: matched → TP, unmatched → no penalty).

The Label Studio inter-annotator agreement uses this function directly: pass one
annotator's items as gold and the other's as predictions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Hashable, Sequence

from .counts import Counts
from ..errors import check_choice
from ..schema import FIELD_SPECS
from .matchers import DEFAULT_MATCHERS, Matcher, get_matcher

SPAN_MODES = ("strict", "overlap", "none")

#: attributes reported as accuracy on matched pairs (not part of the value)
ATTRIBUTES: dict[str, tuple[str, ...]] = {f: spec.accuracy_attributes for f, spec in FIELD_SPECS.items()}

Span = dict[str, Any]


@dataclass(frozen=True)
class Alignment:
    """``pairs``: (gold index, pred index), sorted by gold index; ``counts``: tp/fp/fn."""

    pairs: tuple[tuple[int, int], ...]
    counts: Counts
    #: unpaired required gold items (the false negatives)
    missed: tuple[int, ...] = ()
    #: unpaired predictions (the false positives)
    spurious: tuple[int, ...] = ()
    #: unpaired optional gold items (no penalty)
    ignored: tuple[int, ...] = ()


def resolve_actor(span: Span, registry: Any) -> Span:
    """``span`` with ``entity`` set to a registry id when it can be resolved, else None.

    An ``entity`` the registry knows is kept; otherwise ``entity`` and then ``text`` are
    resolved as names (aliases, normalised names). Without a registry the span is unchanged.
    """
    if registry is None:
        return span
    ent = span.get("entity")
    if ent is not None and ent in registry:
        return span
    resolved = registry.resolve(ent) if isinstance(ent, str) else None
    if resolved is None and isinstance(span.get("text"), str):
        resolved = registry.resolve(span["text"])
    if resolved == ent:
        return span
    return {**span, "entity": resolved}


def align(
    field: str,
    gold_spans: Sequence[Span],
    pred_spans: Sequence[Span],
    *,
    span_mode: str = "strict",
    registry: Any = None,
    matcher: "str | Matcher | None" = None,
) -> Alignment:
    """Align the gold and predicted items of ``field`` in one document.

    ``registry`` is the :class:`~conflictbench.actors.ActorRegistry` used to resolve actor
    ``text`` to entities; ``matcher`` a registered matcher name (default: the field's
    headline matcher, see :data:`conflictbench.scoring.matchers.DEFAULT_MATCHERS`).
    """
    check_choice("align", "field", field, DEFAULT_MATCHERS)
    check_choice("align", "span_mode", span_mode, SPAN_MODES)
    m = get_matcher(matcher if matcher is not None else DEFAULT_MATCHERS[field], field)
    if field == "actors" and registry is not None:
        gold_spans = [resolve_actor(s, registry) for s in gold_spans]
        pred_spans = [resolve_actor(s, registry) for s in pred_spans]
    pairs = match_pairs(gold_spans, pred_spans, m, span_mode, ATTRIBUTES[field])
    return make_alignment(gold_spans, len(pred_spans), pairs)


def make_alignment(gold: Sequence[Span], n_pred: int, pairs: list[tuple[int, int]]) -> Alignment:
    pairs.sort()
    paired_g = bytearray(len(gold))
    paired_p = bytearray(n_pred)
    for g, p in pairs:
        paired_g[g] = 1
        paired_p[p] = 1
    missed, ignored = [], []
    for i, s in enumerate(gold):
        if not paired_g[i]:
            (ignored if s.get("optional") else missed).append(i)
    spurious = tuple(j for j in range(n_pred) if not paired_p[j])
    return Alignment(
        pairs=tuple(pairs),
        counts=Counts(len(pairs), len(spurious), len(missed)),
        missed=tuple(missed),
        spurious=spurious,
        ignored=tuple(ignored),
    )


def _has_offsets(s: Span) -> bool:
    return s.get("start") is not None and s.get("end") is not None


def _class_key(s: Span, key: Callable[[Span], Hashable | None], need_offsets: bool) -> Hashable | None:
    """The equivalence class of an item: its value key, with its offsets in strict mode;
    None when it can match nothing (no value, or no offsets where offsets are compared)."""
    k = key(s)
    if k is None or not need_offsets:
        return k
    st, en = s.get("start"), s.get("end")
    if st is None or en is None:
        return None
    return (st, en, k)


def match_pairs(
    gold: Sequence[Span],
    pred: Sequence[Span],
    m: Matcher,
    span_mode: str,
    attrs: tuple[str, ...] = (),
) -> list[tuple[int, int]]:
    """The optimal pairs (gold index, pred index); see the module docstring."""
    if not gold or not pred:
        return []
    key = m.key
    need_offsets = span_mode != "none"
    if m.is_equivalence and span_mode != "overlap":
        # compatibility is an equivalence: hash items into classes, pair within each class
        groups: dict[Hashable, tuple[list[int], list[int]]] = {}
        for i, s in enumerate(gold):
            k = _class_key(s, key, need_offsets)
            if k is None:
                continue
            grp = groups.get(k)
            if grp is None:
                groups[k] = ([i], [])
            else:
                grp[0].append(i)
        if not groups:
            return []
        for j, s in enumerate(pred):
            k = _class_key(s, key, need_offsets)
            if k is None:
                continue
            grp = groups.get(k)
            if grp is not None:
                grp[1].append(j)
        pairs: list[tuple[int, int]] = []
        for gi, pj in groups.values():
            if not pj:
                continue
            if len(gi) == 1 and len(pj) == 1:
                pairs.append((gi[0], pj[0]))
            else:
                pairs += _assign(gold, pred, gi, pj, lambda g, p: True, attrs)
        return pairs
    # general case: candidates must share a value key (equivalence) or pass m.match
    if m.is_equivalence:
        parts: dict[Hashable, tuple[list[int], list[int]]] = {}
        for i, s in enumerate(gold):
            k = key(s)
            if k is not None and (not need_offsets or _has_offsets(s)):
                parts.setdefault(k, ([], []))[0].append(i)
        for j, s in enumerate(pred):
            k = key(s)
            if k is not None and k in parts and (not need_offsets or _has_offsets(s)):
                parts[k][1].append(j)
        compat_value = lambda g, p: True  # noqa: E731  (same class already)
    else:
        gi = [i for i, s in enumerate(gold) if key(s) is not None and (not need_offsets or _has_offsets(s))]
        pj = [j for j, s in enumerate(pred) if key(s) is not None and (not need_offsets or _has_offsets(s))]
        parts = {None: (gi, pj)}
        compat_value = m.compatible
    if span_mode == "overlap":
        compat = lambda g, p: g["start"] < p["end"] and p["start"] < g["end"] and compat_value(g, p)  # noqa: E731
    elif span_mode == "strict":
        compat = lambda g, p: g["start"] == p["start"] and g["end"] == p["end"] and compat_value(g, p)  # noqa: E731
    else:
        compat = compat_value
    pairs = []
    for gi, pj in parts.values():
        if gi and pj:
            pairs += _assign(gold, pred, gi, pj, compat, attrs)
    return pairs


def _jaccard(g: Span, p: Span) -> float:
    if not (_has_offsets(g) and _has_offsets(p)):
        return 0.0
    inter = min(g["end"], p["end"]) - max(g["start"], p["start"])
    if inter <= 0:
        return 0.0
    return inter / (max(g["end"], p["end"]) - min(g["start"], p["start"]))


def _assign(gold, pred, gi, pj, compat, attrs) -> list[tuple[int, int]]:
    """Maximum-weight assignment between gold items ``gi`` and predictions ``pj``.

    Weights are lexicographic: 1 per compatible pair, then (scaled so that no sum of lower
    terms outweighs one unit of a higher term) required gold, attribute agreement, overlap.
    """
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    n = min(len(gi), len(pj))
    e1 = 1.0 / (n + 1)
    e2 = e1 / ((n + 1) * (len(attrs) + 1))
    e3 = e2 / (n + 1)
    w = np.zeros((len(gi), len(pj)))
    ok = np.zeros((len(gi), len(pj)), dtype=bool)
    for a, i in enumerate(gi):
        g = gold[i]
        req = 0.0 if g.get("optional") else e1
        for b, j in enumerate(pj):
            p = pred[j]
            if not compat(g, p):
                continue
            agree = sum(1 for at in attrs if p.get(at) is not None and p.get(at) == g.get(at))
            w[a, b] = 1.0 + req + e2 * agree + e3 * _jaccard(g, p)
            ok[a, b] = True
    if not ok.any():
        return []
    rows, cols = linear_sum_assignment(w, maximize=True)
    return [(gi[r], pj[c]) for r, c in zip(rows.tolist(), cols.tolist()) if ok[r, c]]


def value_key(field: str, span: Span, matcher: "str | Matcher | None" = None) -> Hashable | None:
    """The canonical value of an item (what the entity/value level deduplicates on)."""
    m = get_matcher(matcher if matcher is not None else DEFAULT_MATCHERS[field], field)
    return m.key(span)


__all__ = ["Alignment", "ATTRIBUTES", "SPAN_MODES", "align", "match_pairs", "resolve_actor", "value_key"]
