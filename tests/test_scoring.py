"""score(): API shape, levels, bad input, and hypothesis properties over generated corpora."""

from __future__ import annotations

import math
import warnings

import pytest
from hypothesis import given, strategies as st

from conflictbench.scoring.counts import Counts
from conflictbench.errors import DataError, ParameterError
from conflictbench.scoring import score
from .support.harness_spans import act, cas, date, small_registry

TEXT = "x" * 60
FP = "test-fp"


def doc(i, casualties=(), actors=(), dates=()):
    return {"id": f"d{i}", "text": TEXT, "casualties": list(casualties), "actors": list(actors),
            "dates": list(dates)}


# --- hand-derived tables ----------------------------------------------------------------


def test_value_level_table():
    # gold mentions: killed 3 twice, killed 5 once; predictions: killed 3 once (other offsets),
    # killed 7. Mention/strict: no offsets agree -> 0 TP, 2 FP, 3 FN.
    # Value level: gold values {killed 3, killed 5}, predicted {killed 3, killed 7} -> 1/1/1.
    gold = [doc(0, [cas(0, 3, count=3), cas(10, 13, count=3), cas(20, 23, count=5)])]
    pred = [{"id": "d0", "casualties": [cas(30, 33, count=3), cas(40, 43, count=7)]}]
    m = score(gold, pred, fingerprint=FP).field("casualties")
    v = score(gold, pred, level="value", fingerprint=FP).field("casualties")
    assert m.counts == Counts(0, 2, 3)
    assert v.counts == Counts(1, 1, 1)
    assert "level:value" in str(v.signature) and "span:none" in str(v.signature)


def test_value_level_optional_only_if_all_mentions_optional():
    # gold: killed 3 (optional) and killed 3 (required) -> the value is required;
    # killed 9 only optional -> the value is optional. Nothing predicted: FN = 1.
    gold = [doc(0, [cas(0, 3, count=3, optional=True), cas(5, 8, count=3), cas(9, 12, count=9, optional=True)])]
    assert score(gold, [], level="value", fingerprint=FP).field("casualties").counts == Counts(0, 0, 1)


def test_micro_and_macro_table():
    # doc 0: 1 TP, 1 FN (P=1, R=1/2, F=2/3); doc 1: 1 TP, 1 FP (P=1/2, R=1, F=2/3)
    gold = [doc(0, dates=[date(0, 2, value="2020"), date(3, 5, value="2021")]),
            doc(1, dates=[date(0, 2, value="2020")])]
    pred = [{"id": "d0", "dates": [date(0, 2, value="2020")]},
            {"id": "d1", "dates": [date(0, 2, value="2020"), date(7, 9, value="1999")]}]
    f = score(gold, pred, fingerprint=FP).field("dates")
    assert f.counts == Counts(2, 1, 1)
    assert (f.precision, f.recall, f.f1) == pytest.approx((2 / 3, 2 / 3, 4 / 6))
    assert f.macro_precision == pytest.approx((1 + 1 / 2) / 2)
    assert f.macro_recall == pytest.approx((1 / 2 + 1) / 2)
    assert f.macro_f1 == pytest.approx(2 / 3)


def test_actor_labels_and_unresolved():
    reg = small_registry()
    gold = [doc(0, actors=[act(0, 5, entity="russia", type="foreign_state")])]
    pred = [{"id": "d0", "actors": [act(text="Moscow"), act(text="Nobody Brigade")]}]
    f = score(gold, pred, registry=reg, span_mode="none", fingerprint=FP).field("actors")
    assert f.counts == Counts(1, 1, 0)
    assert f.unresolved == 1
    assert dict(f.by_label) == {"foreign_state": Counts(1, 0, 0), "unresolved": Counts(0, 1, 0)}


def test_to_dict_is_flat_and_signed():
    gold = [doc(0, [cas(0, 3, count=3)])]
    res = score(gold, [{"id": "d0", "casualties": [cas(0, 3, count=3, victims="fighters")]}], fingerprint=FP)
    d = res.to_dict()
    assert all(isinstance(v, (str, int, float)) for v in d.values())
    assert d["casualties.tp"] == 1 and d["casualties.attribute.victims.accuracy"] == 0.0
    assert d["casualties.signature"] == (
        "casualties|match:casualties.value.v1|span:strict|align:hungarian|level:mention|zd:0.0"
        f"|corpus:{FP}|v:0.1.0"
    )
    assert str(res.signature).endswith(f"corpus:{FP}|v:0.1.0")


def test_fingerprint_computed_from_gold_when_not_given():
    a = score([doc(0, [cas(0, 3, count=3)])], [])
    b = score([doc(0, [cas(0, 3, count=4)])], [])
    assert a.corpus_fingerprint != b.corpus_fingerprint


@pytest.mark.parametrize(
    "preds, message",
    [
        ([{"id": "nope"}], "unknown document id 'nope'"),
        ([{"id": "d0"}, {"id": "d0"}], "duplicate document id 'd0'"),
        ([{"casualties": []}], "field 'id'"),
    ],
)
def test_bad_prediction_ids(preds, message):
    with pytest.raises(DataError, match=message):
        score([doc(0)], preds, fingerprint=FP)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"level": "entity"}, r"The 'level' parameter of score\(\) must be one of \{'mention', 'value'\}"),
        ({"span_mode": "loose"}, r"The 'span_mode' parameter of score\(\)"),
        ({"zero_division": 2}, r"The 'zero_division' parameter of score\(\)"),
        ({"matchers": {"people": "x"}}, "unknown field 'people'"),
    ],
)
def test_parameters_validated(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        score([doc(0)], [], fingerprint=FP, **kwargs)


def test_undefined_everything_under_warnings_as_errors():
    # no gold, no predictions: every ratio is undefined
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = score([doc(0)], [{"id": "d0"}], zero_division=1.0, fingerprint=FP)
        assert all(f.f1 == 1.0 and f.precision == 1.0 and f.macro_f1 == 1.0 for f in res.fields)
        res = score([doc(0)], [{"id": "d0"}], zero_division=float("nan"), fingerprint=FP)
        assert all(math.isnan(f.recall) for f in res.fields)
        with pytest.raises(Warning, match="undefined"):
            score([doc(0)], [{"id": "d0"}], zero_division="warn", fingerprint=FP)


# --- properties ----------------------------------------------------------------------------

casualty = st.builds(
    lambda s, w, n, k, v: cas(s, s + w, count=n, kind=k, victims=v, text="x" * w),
    st.integers(0, 40), st.integers(1, 8), st.integers(1, 4), st.sampled_from(["killed", "injured"]),
    st.sampled_from(["civilians", "fighters"]),
)
dated = st.builds(lambda s, vt: date(s, s + 2, value=vt[0], type=vt[1]), st.integers(0, 50),
                  st.sampled_from([("2020", "DATE"), ("2021", "DATE"), ("P1W", "DURATION")]))  # valid TIMEX3 pairs


@st.composite
def gold_and_pred(draw):
    n = draw(st.integers(1, 4))
    gold = [doc(i, draw(st.lists(casualty, max_size=6)), (), draw(st.lists(dated, max_size=4))) for i in range(n)]
    pred = [{"id": f"d{i}", "casualties": draw(st.lists(casualty, max_size=6)),
             "dates": draw(st.lists(dated, max_size=4))} for i in range(n)]
    return gold, pred


MODES = st.sampled_from(["strict", "overlap", "none"])
LEVELS = st.sampled_from(["mention", "value"])


@given(gold_and_pred(), MODES, LEVELS)
def test_perfect_prediction_scores_one(gp, mode, level):
    gold, _ = gp
    pred = [{"id": d["id"], "casualties": d["casualties"], "dates": d["dates"]} for d in gold]
    res = score(gold, pred, span_mode=mode, level=level, zero_division=1.0, fingerprint=FP)
    for f in res.fields:
        assert (f.precision, f.recall, f.f1) == (1.0, 1.0, 1.0)
        assert all(a.accuracy == 1.0 for a in f.attributes)


@given(gold_and_pred(), MODES, LEVELS, st.randoms(use_true_random=False))
def test_invariant_to_shuffling(gp, mode, level, rnd):
    gold, pred = gp
    base = score(gold, pred, span_mode=mode, level=level, fingerprint=FP)
    g2 = [{**d, "casualties": rnd.sample(d["casualties"], len(d["casualties"])),
           "dates": rnd.sample(d["dates"], len(d["dates"]))} for d in rnd.sample(gold, len(gold))]
    p2 = [{**p, "casualties": rnd.sample(p["casualties"], len(p["casualties"]))} for p in rnd.sample(pred, len(pred))]
    other = score(g2, p2, span_mode=mode, level=level, fingerprint=FP)
    for a, b in zip(base.fields, other.fields):
        assert a.counts == b.counts and a.by_label == b.by_label
        assert a.attributes == b.attributes  # agreement is maximised, so its total is order-free
        assert a.macro_f1 == pytest.approx(b.macro_f1)


@given(gold_and_pred(), MODES, st.integers(0, 3))
def test_spurious_prediction_never_raises_precision(gp, mode, which):
    gold, pred = gp
    before = score(gold, pred, span_mode=mode, fingerprint=FP).field("casualties").precision
    pred = [dict(p) for p in pred]
    i = which % len(pred)
    # a count no gold item has: it can pair with nothing
    pred[i]["casualties"] = pred[i]["casualties"] + [cas(0, 3, count=999)]
    after = score(gold, pred, span_mode=mode, fingerprint=FP).field("casualties").precision
    assert after <= before


@given(gold_and_pred(), MODES, LEVELS)
def test_micro_is_pooled_counts(gp, mode, level):
    gold, pred = gp
    res = score(gold, pred, span_mode=mode, level=level, fingerprint=FP)
    for k, f in enumerate(res.fields):
        per_doc = [score([g], [p], span_mode=mode, level=level, fingerprint=FP).fields[k].counts
                   for g, p in zip(gold, pred)]
        assert sum(per_doc, Counts()) == f.counts
        assert [d.counts[k] for d in res.documents] == per_doc
        assert f.f1 == f.counts.f1(zero_division=0.0)


@given(gold_and_pred(), MODES, LEVELS)
def test_every_score_in_unit_interval_or_zero_division(gp, mode, level):
    gold, pred = gp
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = score(gold, pred, span_mode=mode, level=level, zero_division=float("nan"), fingerprint=FP).to_dict()
    for key, v in d.items():
        if key.endswith(("precision", "recall", "f1", "accuracy")):
            assert math.isnan(v) or 0.0 <= v <= 1.0, key


@pytest.mark.parametrize("bad, message", [
    ({"kind": "kiled"}, r"predictions: record 1: field casualties\[0\]\.kind: 'kiled' is not one of"),
    ({"count": "three"}, r"predictions: record 1: field casualties\[0\]\.count: "),
    ({"end": 99}, r"predictions: record 1: document 'd1', field casualties\[0\]\.start: offsets \[0, 99\) are outside"),
])
def test_a_malformed_prediction_is_an_error_not_a_score(bad, message):
    # the library used to score these silently (a misspelt kind as a false positive);
    # the CLI already refused them in a predictions file
    gold = [doc(0, casualties=[cas(0, 2, count=3, text="xx")]), doc(1, casualties=[cas(0, 2, count=3, text="xx")])]
    pred = [{"id": "d0", "casualties": [cas(0, 2, count=3, text="xx")]},
            {"id": "d1", "casualties": [{**cas(0, 2, count=3, text="xx"), **bad}]}]
    with pytest.raises(DataError, match=message):
        score(gold, pred, fingerprint=FP)
    # validate=False (predictions checked already) scores what it is given
    assert score(gold, pred, fingerprint=FP, validate=False).field("casualties").counts.n_gold == 2
