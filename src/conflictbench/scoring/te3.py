"""TempEval-3 timex scoring, as the official scorer counts (``TE3-evaluation.py``, 2013).

The official toolkit renames the system's TIMEX3 ids after the gold's (its TimeML-Normalizer
gives a system timex the id of a gold timex it overlaps), then its
``evaluate_entities.py`` counts, over all documents pooled:

* **relaxed** — recall = gold timexes with an overlapping system timex / gold timexes;
  precision = system timexes overlapping a gold timex / system timexes. Not one-to-one:
  one long system timex over two gold timexes matches both.
* **strict** — the same, but the paired timexes must have the same extent.
* **attribute F1** for ``value`` and ``type`` = accuracy over the relaxed matches of gold
  timexes (the attribute equal on the pair) × relaxed F1.
* F1 = 2PR / (P + R); a ratio with a zero denominator is 0, and with no gold and no system
  timex at all every figure is 1 (the official script's conventions, ``zd:te3`` in the
  signature). The DCT is not scored.

Here a gold timex's pair is the system timex with the same extent when there is one, else
the first overlapping one in text order (ties: by value, type; the official normaliser's choice is not
observable on its own sample; no fixture figure depends on it). Known divergences from the
official scripts, none of which the TempEval-3 data exercise: overlap is measured on
characters, not on the official tokeniser's tokens; TIMEX3 outside ``<TEXT>`` other than
the DCT are not scored (the official counts any in ``<TITLE>``); a TIMEX3 with other tags
inside it is scored (the official's pattern skips it); the DCT is recognised by
``functionInDocument="CREATION_TIME"`` (the official by the id ``t0``; every DCT of
TempEval-3 is ``t0``). Empty TIMEX3 (no text) count in the totals and never match, as in
the official script.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from .. import __version__
from .signature import Signature

MATCHER = "te3.v1"

Span = Mapping[str, Any]


@dataclass(frozen=True)
class TE3Counts:
    gold: int = 0
    system: int = 0
    strict_gold: int = 0  # gold timexes with a same-extent system timex
    strict_system: int = 0  # system timexes with a same-extent gold timex
    relaxed_gold: int = 0  # gold timexes with an overlapping system timex
    relaxed_system: int = 0  # system timexes overlapping a gold timex
    value_correct: int = 0  # relaxed gold matches whose pair has the same value
    type_correct: int = 0

    def __add__(self, other: "TE3Counts") -> "TE3Counts":
        return TE3Counts(*(a + b for a, b in zip(self.astuple(), other.astuple())))

    def astuple(self) -> tuple[int, ...]:
        return (self.gold, self.system, self.strict_gold, self.strict_system, self.relaxed_gold,
                self.relaxed_system, self.value_correct, self.type_correct)

    def to_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float

    def to_dict(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass(frozen=True)
class TE3Score:
    counts: TE3Counts
    n_documents: int
    strict: PRF
    relaxed: PRF
    value_accuracy: float
    type_accuracy: float
    value_f1: float
    type_f1: float
    signature: Signature

    def to_json(self) -> dict[str, Any]:
        """``{"strict": {precision, recall, f1}, "relaxed": {...}, "value_f1", "type_f1"}``
        (fractions), plus the counts and the signature."""
        return {"strict": self.strict.to_dict(), "relaxed": self.relaxed.to_dict(),
                "value_f1": self.value_f1, "type_f1": self.type_f1,
                "value_accuracy": self.value_accuracy, "type_accuracy": self.type_accuracy,
                "counts": self.counts.to_dict(), "n_documents": self.n_documents, "signature": str(self.signature)}

    def to_dict(self) -> dict[str, Any]:
        """A flat dict: ``strict.f1``, ``relaxed.precision``, ``value_f1``, ``counts.gold`` ..."""
        out: dict[str, Any] = {"signature": str(self.signature), "n_documents": self.n_documents}
        for name in ("strict", "relaxed"):
            out.update({f"{name}.{k}": v for k, v in getattr(self, name).to_dict().items()})
        for k in ("value_f1", "type_f1", "value_accuracy", "type_accuracy"):
            out[k] = getattr(self, k)
        out.update({f"counts.{k}": v for k, v in self.counts.to_dict().items()})
        return out

    def official_lines(self) -> str:
        """The figures as the official script prints them (percent, rounded to 2 decimals)."""
        def pct(x: float) -> str:
            return str(round(x * 100, 2))

        s, r = self.strict, self.relaxed
        return "\n".join([
            "=== Timex Performance ===",
            "Strict Match\tF1\tP\tR",
            f"\t\t{pct(s.f1)}\t{pct(s.precision)}\t{pct(s.recall)}",
            "Relaxed Match\tF1\tP\tR",
            f"\t\t{pct(r.f1)}\t{pct(r.precision)}\t{pct(r.recall)}",
            "Attribute F1\tValue\tType",
            f"\t\t{pct(self.value_f1)}\t{pct(self.type_f1)}",
        ])


def _has_extent(span: Span) -> bool:
    s, e = span.get("start"), span.get("end")
    return isinstance(s, int) and isinstance(e, int) and s < e


def match_document(gold: Sequence[Span], system: Sequence[Span]) -> TE3Counts:
    """The counts of one document. Items are ``{start, end, value, type}``; an item without
    an extent (no offsets, or an empty TIMEX3) counts in the totals and matches nothing."""
    g_ok = [g for g in gold if _has_extent(g)]
    # text order; ties by content, so that the order of the input list never matters
    s_ok = sorted((s for s in system if _has_extent(s)),
                  key=lambda s: (s["start"], s["end"], str(s.get("value")), str(s.get("type"))))
    strict_g = relaxed_g = value_ok = type_ok = 0
    for g in g_ok:
        over = [s for s in s_ok if s["start"] < g["end"] and g["start"] < s["end"]]
        if not over:
            continue
        relaxed_g += 1
        same = [s for s in over if (s["start"], s["end"]) == (g["start"], g["end"])]
        strict_g += bool(same)
        pair = same[0] if same else over[0]
        value_ok += pair.get("value") == g.get("value")
        type_ok += pair.get("type") == g.get("type")
    strict_s = relaxed_s = 0
    for s in s_ok:
        over = [g for g in g_ok if s["start"] < g["end"] and g["start"] < s["end"]]
        relaxed_s += bool(over)
        strict_s += any((g["start"], g["end"]) == (s["start"], s["end"]) for g in over)
    return TE3Counts(len(gold), len(system), strict_g, strict_s, relaxed_g, relaxed_s, value_ok, type_ok)


def _ratio(n: int, d: int) -> float:
    return n / d if d else 0.0  # the official script's convention for an empty denominator


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def make_signature(fingerprint: str) -> Signature:
    """``dates|match:te3.v1|span:te3|align:any-overlap|level:mention|zd:te3|corpus:…|v:…``"""
    return Signature(fields=("dates",), matchers=(MATCHER,), span="te3", align="any-overlap", level="mention",
                     zero_division="te3", corpus=fingerprint, version=__version__)


def result(counts: TE3Counts, *, n_documents: int, fingerprint: str) -> TE3Score:
    """The figures of pooled counts, as the official script computes them."""
    c = counts
    if c.gold == 0 and c.system == 0:
        one = PRF(1.0, 1.0, 1.0)
        return TE3Score(c, n_documents, one, one, 1.0, 1.0, 1.0, 1.0, make_signature(fingerprint))
    strict = PRF(_ratio(c.strict_system, c.system), _ratio(c.strict_gold, c.gold), 0.0)
    strict = PRF(strict.precision, strict.recall, _f1(strict.precision, strict.recall))
    rp, rr = _ratio(c.relaxed_system, c.system), _ratio(c.relaxed_gold, c.gold)
    relaxed = PRF(rp, rr, _f1(rp, rr))
    va, ta = _ratio(c.value_correct, c.relaxed_gold), _ratio(c.type_correct, c.relaxed_gold)
    return TE3Score(c, n_documents, strict, relaxed, va, ta, va * relaxed.f1, ta * relaxed.f1,
                    make_signature(fingerprint))


def score_documents(
    pairs: Iterable[tuple[Sequence[Span], Sequence[Span]]], *, fingerprint: str
) -> TE3Score:
    """TempEval-3 figures over ``(gold dates, system dates)`` of each document, pooled."""
    total, n = TE3Counts(), 0
    for gold, system in pairs:
        total = total + match_document(gold, system)
        n += 1
    return result(total, n_documents=n, fingerprint=fingerprint)


def score_corpus(gold_docs: Sequence[Mapping[str, Any]], predictions: Mapping[str, Mapping[str, Any]],
                 *, fingerprint: str) -> TE3Score:
    """TempEval-3 figures of predictions (id → prediction) on gold documents' ``dates``;
    a document without a prediction has no system timex."""
    return score_documents(
        ((d.get("dates") or [], (predictions.get(d["id"]) or {}).get("dates") or []) for d in gold_docs),
        fingerprint=fingerprint,
    )
