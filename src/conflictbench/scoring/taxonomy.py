"""The MUC-style taxonomy of one alignment: every gold and predicted item of a field in a
document is *correct*, *partial*, *incorrect*, *missing*, *spurious* or (an unmatched optional
gold item) *ignored*, with what it counts as in the run.

The taxonomy describes an :class:`~conflictbench.scoring.alignment.Alignment`; it never changes
its counts. The categories say how gold and prediction relate (value, place); the count says
what the run's span mode made of it:

=============  ==========================================================  ===========
status         items                                                       counts as
=============  ==========================================================  ===========
``correct``    a matched pair, spans equal (or not compared: span mode     TP
               ``none``, an item without offsets)
``partial``    a matched pair whose spans only overlap (span mode          TP
               ``overlap``)
``partial``    an unmatched gold item and an unmatched prediction whose    FP + FN
               spans overlap and whose values agree (other boundaries:
               span mode ``strict``)
``incorrect``  an unmatched gold item and an unmatched prediction whose    FP + FN
               spans overlap and whose values differ
``missing``    an unmatched required gold item                             FN
``spurious``   an unmatched prediction                                     FP
``ignored``    an unmatched optional gold item                             nothing
=============  ==========================================================  ===========

Unmatched gold and predicted items are paired greedily, largest overlap first, then by gold
and predicted index; only required gold items take part. Items without offsets (and span
mode ``none``) have no place, so they are never paired after the alignment.
"""

from __future__ import annotations

from typing import Any, Sequence

TAXONOMY = ("correct", "partial", "incorrect", "missing", "spurious", "ignored")

#: what an entry counts as: the tokens of its ``counted`` string → (tp, fp, fn)
_COUNTS = {"tp": (1, 0, 0), "fp": (0, 1, 0), "fn": (0, 0, 1)}

Entry = tuple[str, Any, Any, str]


def _span(item: dict) -> tuple[int, int] | None:
    s, e = item.get("start"), item.get("end")
    return (s, e) if isinstance(s, int) and isinstance(e, int) else None


def _overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> int:
    if a is None or b is None:
        return 0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def taxonomy(gold: Sequence[dict], pred: Sequence[dict], alignment: Any, *, span_mode: str,
             matcher: Any = None) -> list[Entry]:
    """``[(status, gold index or None, pred index or None, counted), ...]``: every item once.

    ``counted`` is ``"tp"``, ``"fp fn"``, ``"fn"``, ``"fp"`` or ``""``; ``matcher`` (the run's
    :class:`~conflictbench.scoring.matchers.Matcher` of the field) tells partial from incorrect
    among unmatched overlapping pairs (without it they are all ``incorrect``).
    """
    out: list[Entry] = []
    for g, p in alignment.pairs:
        gs, ps = _span(gold[g]), _span(pred[p])
        same = span_mode == "none" or gs is None or ps is None or gs == ps
        out.append(("correct" if same else "partial", g, p, "tp"))
    missed, spurious = list(alignment.missed), list(alignment.spurious)
    if span_mode != "none":
        cands = sorted((-_overlap(_span(gold[g]), _span(pred[p])), g, p) for g in missed for p in spurious
                       if _overlap(_span(gold[g]), _span(pred[p])) > 0)
        used_g: set[int] = set()
        used_p: set[int] = set()
        for _neg, g, p in cands:
            if g not in used_g and p not in used_p:
                used_g.add(g)
                used_p.add(p)
                agree = matcher is not None and matcher.compatible(gold[g], pred[p])
                out.append(("partial" if agree else "incorrect", g, p, "fp fn"))
        missed = [g for g in missed if g not in used_g]
        spurious = [p for p in spurious if p not in used_p]
    out += [("missing", g, None, "fn") for g in missed]
    out += [("spurious", None, p, "fp") for p in spurious]
    out += [("ignored", g, None, "") for g in alignment.ignored]
    return out


def counts_of(entries: Sequence[Sequence[Any]]) -> tuple[int, int, int]:
    """(tp, fp, fn) the entries stand for (equal to the alignment's counts)."""
    tp = fp = fn = 0
    for entry in entries:
        for token in str(entry[3]).split():
            a, b, c = _COUNTS[token]
            tp, fp, fn = tp + a, fp + b, fn + c
    return tp, fp, fn
