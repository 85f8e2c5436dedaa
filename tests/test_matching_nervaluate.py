"""Differential test: our ``strict`` span counts equal nervaluate's strict counts.

nervaluate (a dev dependency) counts with *inclusive* end offsets and a greedy scan; its
strict scenario reports correct/incorrect/partial/missed/spurious, where an ``incorrect``
item is both a wrong prediction and a missed gold item. So, in our terms,
TP = correct, FP = incorrect + spurious, FN = incorrect + missed.

The greedy scan depends on the order of the input when a prediction overlaps a gold item
that another prediction matches exactly (its issue #40). On span sets where neither the
gold nor the predicted spans overlap among themselves that cannot happen, and there both
tools must agree exactly. Labels play the role of casualty kinds (a casualty matches only
a casualty of the same kind; all counts are equal so the value is the kind alone).
"""

from __future__ import annotations

from hypothesis import given, strategies as st
from nervaluate import Evaluator

from conflictbench.scoring.counts import Counts
from conflictbench.scoring.alignment import align
from .support.harness_spans import cas

KINDS = ["killed", "injured", "displaced"]


@st.composite
def non_overlapping(draw):
    """Sorted, pairwise disjoint half-open spans with kinds, built from gaps and widths."""
    n = draw(st.integers(0, 7))
    out, pos = [], 0
    for _ in range(n):
        pos += draw(st.integers(0, 4))
        width = draw(st.integers(1, 5))
        out.append((pos, pos + width, draw(st.sampled_from(KINDS))))
        pos += width
    return out


@st.composite
def corpus(draw):
    return [(draw(non_overlapping()), draw(non_overlapping())) for _ in range(draw(st.integers(1, 4)))]


def ours(docs) -> Counts:
    total = Counts()
    for gold, pred in docs:
        g = [cas(s, e, kind=k, count=1) for s, e, k in gold]
        p = [cas(s, e, kind=k, count=1) for s, e, k in pred]
        total += align("casualties", g, p, span_mode="strict").counts
    return total


def theirs(docs) -> Counts:
    # nervaluate's end is inclusive: [s, e) becomes (s, e - 1)
    true = [[{"label": k, "start": s, "end": e - 1} for s, e, k in gold] for gold, _ in docs]
    pred = [[{"label": k, "start": s, "end": e - 1} for s, e, k in p] for _, p in docs]
    strict = Evaluator(true, pred, tags=KINDS, loader="dict").evaluate()["overall"]["strict"]
    return Counts(strict.correct, strict.incorrect + strict.spurious, strict.incorrect + strict.missed)


@given(corpus())
def test_strict_counts_equal_nervaluate(docs):
    assert ours(docs) == theirs(docs)


def test_hand_example_equal_nervaluate():
    # gold: killed [0,5), injured [10,14); pred: killed [0,5) (correct),
    # injured [10,13) (overlaps, wrong boundary: incorrect), displaced [20,22) (spurious)
    docs = [([(0, 5, "killed"), (10, 14, "injured")], [(0, 5, "killed"), (10, 13, "injured"), (20, 22, "displaced")])]
    assert ours(docs) == theirs(docs) == Counts(1, 2, 1)
