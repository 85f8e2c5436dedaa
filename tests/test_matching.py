"""One-to-one alignment: hand-derived tables per span mode and value matcher."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from conflictbench.scoring.counts import Counts
from conflictbench.errors import ParameterError
from conflictbench.scoring.alignment import align
from .support.harness_spans import act, cas, date, small_registry

# Each row: gold items, predicted items, span mode, matcher (None = headline), expected counts.
# The expected counts are derived by hand in the comment of each row.
CASES = [
    # identical item: one pair
    ("same", [cas(0, 5, count=3)], [cas(0, 5, count=3)], "strict", None, (1, 0, 0)),
    # offsets shifted by one: strict misses (1 FP + 1 FN); overlap and none pair them
    ("shift-strict", [cas(0, 5, count=3)], [cas(1, 5, count=3)], "strict", None, (0, 1, 1)),
    ("shift-overlap", [cas(0, 5, count=3)], [cas(1, 5, count=3)], "overlap", None, (1, 0, 0)),
    ("shift-none", [cas(0, 5, count=3)], [cas(1, 5, count=3)], "none", None, (1, 0, 0)),
    # half-open ranges: [0,5) and [5,8) touch but share no character
    ("touching", [cas(0, 5, count=3)], [cas(5, 8, count=3)], "overlap", None, (0, 1, 1)),
    # same offsets, other count / other kind: no value match
    ("count", [cas(0, 5, count=3)], [cas(0, 5, count=4)], "strict", None, (0, 1, 1)),
    ("kind", [cas(0, 5, count=3)], [cas(0, 5, count=3, kind="injured")], "none", None, (0, 1, 1)),
    # the qualifier is not part of the value ("at least 40" vs "40"): a pair
    ("qualifier", [cas(0, 5, count=40, q="at_least")], [cas(0, 5, count=40)], "strict", None, (1, 0, 0)),
    # a point is not a range at value level; the relaxed matcher accepts a point inside it
    ("range-point", [cas(0, 5, q="range", low=10, high=12)], [cas(0, 5, count=11)], "strict", None, (0, 1, 1)),
    ("range-point-relaxed", [cas(0, 5, q="range", low=10, high=12)], [cas(0, 5, count=11)], "strict",
     "casualties.value-relaxed.v1", (1, 0, 0)),
    ("range-bound-relaxed", [cas(q="range", low=10, high=12)], [cas(count=12)], "none",
     "casualties.value-relaxed.v1", (1, 0, 0)),
    ("range-outside-relaxed", [cas(q="range", low=10, high=12)], [cas(count=13)], "none",
     "casualties.value-relaxed.v1", (0, 1, 1)),
    ("range-range", [cas(q="range", low=10, high=12)], [cas(q="range", low=10, high=12)], "none", None, (1, 0, 0)),
    ("range-other-range", [cas(q="range", low=10, high=12)], [cas(q="range", low=10, high=13)], "none", None,
     (0, 1, 1)),
    ("vague", [cas(q="vague")], [cas(q="vague")], "none", None, (1, 0, 0)),
    ("vague-vs-number", [cas(q="vague")], [cas(count=1000)], "none", None, (0, 1, 1)),
    # a prediction without offsets can only match when offsets are ignored
    ("no-offsets-strict", [cas(0, 5, count=3)], [cas(count=3)], "strict", None, (0, 1, 1)),
    ("no-offsets-none", [cas(0, 5, count=3)], [cas(count=3)], "none", None, (1, 0, 0)),
    # optional gold: unmatched is no FN, matched is a TP
    ("optional-unmatched", [cas(0, 5, count=3, optional=True)], [], "strict", None, (0, 0, 0)),
    ("optional-matched", [cas(0, 5, count=3, optional=True)], [cas(0, 5, count=3)], "strict", None, (1, 0, 0)),
    # two equal gold items (one optional), one prediction: it must take the required one,
    # leaving the optional one unpaired without penalty: 1 TP, 0 FN
    ("prefer-required", [cas(0, 5, count=3, optional=True), cas(0, 5, count=3)], [cas(0, 5, count=3)], "strict",
     None, (1, 0, 0)),
    # duplicate predictions of one gold item: one pair, one FP
    ("duplicate-pred", [cas(0, 5, count=3)], [cas(0, 5, count=3), cas(0, 5, count=3)], "strict", None, (1, 1, 0)),
    # optimal beats greedy: P1=[5,12) overlaps A=[0,10) and B=[5,15), P2=[0,4) overlaps A only.
    # Greedy in gold order pairs A-P1 and leaves B unpaired; the optimum is A-P2, B-P1: 2 TP
    ("optimal", [cas(0, 10, count=3), cas(5, 15, count=3)], [cas(5, 12, count=3), cas(0, 4, count=3)],
     "overlap", None, (2, 0, 0)),
    # nothing on one side
    ("no-pred", [cas(0, 5, count=3), cas(6, 9, count=1)], [], "strict", None, (0, 0, 2)),
    ("no-gold", [], [cas(0, 5, count=3)], "strict", None, (0, 1, 0)),
]


@pytest.mark.parametrize("name, gold, pred, mode, matcher, expected", CASES, ids=[c[0] for c in CASES])
def test_casualty_alignment_table(name, gold, pred, mode, matcher, expected):
    al = align("casualties", gold, pred, span_mode=mode, matcher=matcher)
    assert al.counts == Counts(*expected)
    assert len(al.pairs) == expected[0]
    # every index appears at most once on each side
    assert len({g for g, _ in al.pairs}) == len(al.pairs) == len({p for _, p in al.pairs})


def test_optimal_pairs_are_the_crossed_ones():
    al = align("casualties", [cas(0, 10, count=3), cas(5, 15, count=3)],
               [cas(5, 12, count=3), cas(0, 4, count=3)], span_mode="overlap")
    assert al.pairs == ((0, 1), (1, 0))


def test_attribute_agreement_breaks_ties():
    # two gold items with the same span and value, differing victims; the prediction agrees
    # with the second one's victims, so it is paired with it whatever the order
    gold = [cas(0, 5, count=3, victims="fighters"), cas(0, 5, count=3, victims="civilians")]
    pred = [cas(0, 5, count=3, victims="civilians")]
    assert align("casualties", gold, pred).pairs == ((1, 0),)
    assert align("casualties", gold[::-1], pred).pairs == ((0, 0),)


DATE_CASES = [
    ("equal", "2020-01-16", "2020-01-16", None, True),
    ("day-vs-month", "2020-01-16", "2020-01", None, False),
    ("day-vs-month-relaxed", "2020-01-16", "2020-01", "dates.value-granularity.v1", True),
    ("time-vs-year-relaxed", "2020-01-17T05:06", "2020", "dates.value-granularity.v1", True),
    ("other-month-relaxed", "2020-01-16", "2020-02", "dates.value-granularity.v1", False),
    ("duration", "P9Y", "P9Y", None, True),
    ("duration-relaxed-differs", "P9Y", "P8Y", "dates.value-granularity.v1", False),
]


@pytest.mark.parametrize("name, g, p, matcher, matched", DATE_CASES, ids=[c[0] for c in DATE_CASES])
def test_date_alignment_table(name, g, p, matcher, matched):
    al = align("dates", [date(value=g)], [date(value=p)], span_mode="none", matcher=matcher)
    assert al.counts == (Counts(1, 0, 0) if matched else Counts(0, 1, 1))


def test_actor_text_resolved_through_registry():
    reg = small_registry()
    gold = [act(0, 13, entity="syria_government", text="regime forces"), act(20, 26, entity="russia")]
    pred = [
        act(text="Regime Forces"),   # alias, case-insensitive → syria_government
        act(entity="Moscow"),        # a name given as entity → russia
        act(text="Foo Brigade"),     # resolves to nothing → FP
    ]
    al = align("actors", gold, pred, span_mode="none", registry=reg)
    assert al.counts == Counts(2, 1, 0)
    assert al.pairs == ((0, 0), (1, 1))
    assert al.spurious == (2,)
    # without the registry nothing resolves: the entity "Moscow" is not "russia"
    assert align("actors", gold, pred, span_mode="none").counts == Counts(0, 3, 2)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"span_mode": "fuzzy"}, r"The 'span_mode' parameter of align\(\) must be one of"),
        ({"matcher": "dates.value.v1"}, "does not match field 'casualties'"),
        ({"matcher": "nope.v9"}, "unknown matcher 'nope.v9'"),
    ],
)
def test_parameters_validated(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        align("casualties", [], [], **kwargs)


def test_unknown_field():
    with pytest.raises(ParameterError, match="'field' parameter of align"):
        align("people", [], [])


# --- order independence ----------------------------------------------------------------

spans = st.lists(
    st.tuples(st.integers(0, 20), st.integers(1, 6), st.integers(1, 3), st.sampled_from(["killed", "injured"]),
              st.booleans()),
    max_size=8,
).map(lambda xs: [cas(s, s + w, count=n, kind=k, optional=o) for s, w, n, k, o in xs])


@given(spans, spans, st.sampled_from(["strict", "overlap", "none"]), st.randoms(use_true_random=False))
def test_counts_invariant_to_order(gold, pred, mode, rnd):
    base = align("casualties", gold, pred, span_mode=mode).counts
    g2, p2 = list(gold), list(pred)
    rnd.shuffle(g2)
    rnd.shuffle(p2)
    assert align("casualties", g2, p2, span_mode=mode).counts == base
    # swapping roles mirrors FP and FN when nothing is optional
    if not any(s["optional"] for s in gold + pred):
        mirror = align("casualties", pred, gold, span_mode=mode).counts
        assert (mirror.tp, mirror.fp, mirror.fn) == (base.tp, base.fn, base.fp)


@given(spans, spans)
def test_relaxed_modes_never_pair_fewer(gold, pred):
    strict = align("casualties", gold, pred, span_mode="strict").counts.tp
    overlap = align("casualties", gold, pred, span_mode="overlap").counts.tp
    none = align("casualties", gold, pred, span_mode="none").counts.tp
    assert strict <= overlap <= none


def test_week_value_counts_at_year_granularity():
    # documented in PREDICTIONS.md: weeks/quarters/seasons compare at year granularity
    relaxed = "dates.value-granularity.v1"
    assert align("dates", [date(value="2020-W03")], [date(value="2020")], span_mode="none",
                 matcher=relaxed).counts == Counts(1, 0, 0)
    assert align("dates", [date(value="PRESENT_REF")], [date(value="2020")], span_mode="none",
                 matcher=relaxed).counts == Counts(0, 1, 1)
