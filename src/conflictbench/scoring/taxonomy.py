"""The MUC-style taxonomy of one alignment: every gold and predicted item of a field in a
document is *correct*, *partial*, *incorrect*, *missing*, *spurious* or (an unmatched optional
gold item) *ignored*.

It describes an :class:`~conflictbench.scoring.alignment.Alignment`; it never changes its counts:

* a matched pair is ``correct`` when its spans are equal (or spans are not compared: span mode
  ``none``, or an item without offsets at the value level), ``partial`` when they only overlap
  (span mode ``overlap``) — both are true positives;
* an unmatched required gold item and an unmatched prediction whose spans overlap form one
  ``incorrect`` pair (same place, another value: still one FN and one FP in the counts); pairs
  are taken greedily, largest overlap first, then by gold and predicted index. Items without
  offsets (and span mode ``none``) have no place, so they are never ``incorrect``;
* the remaining unmatched required gold items are ``missing`` (FN), unmatched predictions
  ``spurious`` (FP), unmatched optional gold items ``ignored`` (no penalty).
"""

from __future__ import annotations

from typing import Any, Sequence

TAXONOMY = ("correct", "partial", "incorrect", "missing", "spurious", "ignored")

#: the count each taxonomy entry stands for: (tp, fp, fn)
COUNTS_OF = {"correct": (1, 0, 0), "partial": (1, 0, 0), "incorrect": (0, 1, 1),
             "missing": (0, 0, 1), "spurious": (0, 1, 0), "ignored": (0, 0, 0)}


def _span(item: dict) -> tuple[int, int] | None:
    s, e = item.get("start"), item.get("end")
    return (s, e) if isinstance(s, int) and isinstance(e, int) else None


def _overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> int:
    if a is None or b is None:
        return 0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def taxonomy(gold: Sequence[dict], pred: Sequence[dict], alignment: Any, *, span_mode: str) -> list[tuple[str, Any, Any]]:
    """``[(status, gold index or None, pred index or None), ...]``: every item exactly once."""
    out: list[tuple[str, Any, Any]] = []
    for g, p in alignment.pairs:
        gs, ps = _span(gold[g]), _span(pred[p])
        same = span_mode == "none" or gs is None or ps is None or gs == ps
        out.append(("correct" if same else "partial", g, p))
    missed, spurious = list(alignment.missed), list(alignment.spurious)
    if span_mode != "none":
        cands = sorted(((-_overlap(_span(gold[g]), _span(pred[p])), g, p) for g in missed for p in spurious
                        if _overlap(_span(gold[g]), _span(pred[p])) > 0))
        used_g: set[int] = set()
        used_p: set[int] = set()
        for _neg, g, p in cands:
            if g not in used_g and p not in used_p:
                used_g.add(g)
                used_p.add(p)
                out.append(("incorrect", g, p))
        missed = [g for g in missed if g not in used_g]
        spurious = [p for p in spurious if p not in used_p]
    out += [("missing", g, None) for g in missed]
    out += [("spurious", None, p) for p in spurious]
    out += [("ignored", g, None) for g in alignment.ignored]
    return out


def counts_of(entries: Sequence[tuple[str, Any, Any]]) -> tuple[int, int, int]:
    """(tp, fp, fn) the entries stand for (equal to the alignment's counts)."""
    tp = fp = fn = 0
    for status, _g, _p in entries:
        a, b, c = COUNTS_OF[status]
        tp, fp, fn = tp + a, fp + b, fn + c
    return tp, fp, fn
