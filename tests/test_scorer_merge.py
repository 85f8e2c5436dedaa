"""``Scorer.merge``: the scorers of consecutive batches, merged in order, are the scorer of the
whole sequence (what the Dask engine relies on), macro averages bit for bit."""

from __future__ import annotations

import pickle
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conflictbench.errors import ParameterError
from conflictbench.scoring import Counts, Scorer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from synthetic import generate  # noqa: E402

PAIRS = list(generate(40, seed=3))


def scored(pairs, **kw):
    s = Scorer(**kw)
    for gold, pred in pairs:
        s.add(gold, pred)
    return s


@settings(max_examples=25, deadline=None)
@given(cuts=st.lists(st.integers(0, len(PAIRS)), max_size=6), level=st.sampled_from(["mention", "value"]),
       mode=st.sampled_from(["strict", "overlap", "none"]), zd=st.sampled_from([0.0, 1.0]))
def test_merged_batches_equal_one_scorer(cuts, level, mode, zd):
    kw = dict(level=level, span_mode=mode, zero_division=zd)
    bounds = [0, *sorted(cuts), len(PAIRS)]
    batches = [scored(PAIRS[a:b], **kw) for a, b in zip(bounds, bounds[1:])]
    merged = pickle.loads(pickle.dumps(batches[0]))  # as a worker sends it back
    for b in batches[1:]:
        merged.merge(pickle.loads(pickle.dumps(b)))
    whole = scored(PAIRS, **kw)
    assert merged.result(fingerprint="x").to_dict() == whole.result(fingerprint="x").to_dict()
    assert merged.result(fingerprint="x").documents == whole.result(fingerprint="x").documents


def test_macro_average_is_the_in_order_sum_of_documents():
    """Hand-made: two documents, casualties P = 1/1 and 0/1 (tp=1 / fp=1): macro P = 0.5."""
    g1 = {"id": "a", "casualties": [{"start": 0, "end": 2, "kind": "killed", "qualifier": "exact", "count": 3}]}
    g2 = {"id": "b", "casualties": []}
    p2 = {"id": "b", "casualties": [{"start": 0, "end": 2, "kind": "killed", "qualifier": "exact", "count": 4}]}
    one, two = scored([(g1, g1)]), scored([(g2, p2)])
    r = one.merge(two).result(fingerprint="x").field("casualties")
    assert r.counts == Counts(1, 1, 0) and r.macro_precision == 0.5 and r.macro_recall == 0.5  # (1 + 0) / 2


def test_warn_policy_warns_at_add_as_before_and_not_again_at_result():
    """Kept documents (macro summed at result()) warn exactly as running sums do."""
    def run(keep):
        s = Scorer(zero_division="warn", keep_documents=keep)
        with warnings.catch_warnings(record=True) as at_add:
            warnings.simplefilter("always")
            s.add({"id": "a"}, {"id": "a"})
            s.add(*PAIRS[0])
        with warnings.catch_warnings(record=True) as at_result:
            warnings.simplefilter("always")
            res = s.result(fingerprint="x")
        return [str(w.message) for w in at_add], [str(w.message) for w in at_result], res

    add_k, result_k, res_k = run(True)
    add_r, result_r, res_r = run(False)
    assert add_k == add_r and len(add_k) >= 3  # precision, recall, f1 of an empty document
    assert result_k == result_r
    assert res_k.to_dict() == res_r.to_dict()


def test_merge_refuses_other_settings_and_unpickled_scorers_refuse_documents():
    with pytest.raises(ParameterError, match="differ"):
        Scorer(level="value").merge(Scorer(level="mention"))
    with pytest.raises(ParameterError, match="differ"):
        Scorer().merge(Scorer(matchers={"dates": "dates.value-granularity.v1"}))
    with pytest.raises(ParameterError, match="takes a Scorer"):
        Scorer().merge({"id": "a"})
    back = pickle.loads(pickle.dumps(scored(PAIRS[:2])))
    with pytest.raises(ParameterError, match="unpickled"):
        back.add(*PAIRS[2])
