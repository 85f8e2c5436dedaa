"""Bootstrap intervals and paired significance tests over documents."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from hypothesis import given, strategies as st

from conflictbench.errors import ParameterError
from conflictbench.scoring import score
from conflictbench.scoring.statistics import (
    approximate_randomization, bootstrap_ci, compare, metric_from_sums, paired_bootstrap,
)
from .support.harness_spans import cas

TEXT = "x" * 40


def corpus_of(n_items):
    """Documents with n_items[i] casualties each (counts 1..n)."""
    return [{"id": f"d{i}", "text": TEXT, "actors": [], "dates": [],
             "casualties": [cas(j, j + 1, count=j + 1) for j in range(n)]} for i, n in enumerate(n_items)]


def preds_keeping(gold, keep):
    """Predict the first keep[i] gold items of document i."""
    return [{"id": d["id"], "casualties": d["casualties"][:k]} for d, k in zip(gold, keep)]


def res(gold, keep, **kw):
    return score(gold, preds_keeping(gold, keep), fingerprint="t", **kw)


@pytest.mark.parametrize(
    "sums, metric, expected",
    [((3, 1, 2), "precision", 3 / 4), ((3, 1, 2), "recall", 3 / 5), ((3, 1, 2), "f1", 6 / 9),
     ((0, 0, 0), "f1", 0.25), ((0, 2, 0), "recall", 0.25)],
)
def test_metric_from_sums_table(sums, metric, expected):
    # 0.25 stands for the zero_division value passed in
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert metric_from_sums(np.array(sums), metric, 0.25) == pytest.approx(expected)


def test_ci_of_identical_documents_is_a_point():
    # every document has the same counts: every resample has the same micro F1 (1 of 2 found: 2/3)
    gold = corpus_of([2] * 10)
    r = res(gold, [1] * 10)
    assert bootstrap_ci(r, "casualties") == pytest.approx((2 / 3, 2 / 3))


def test_ci_skips_undefined_resamples():
    # one document with items (perfect), nine without: resamples drawing none of the
    # first are undefined and left out, so the interval is the point 1.0
    gold = corpus_of([2] + [0] * 9)
    assert bootstrap_ci(res(gold, [2] + [0] * 9), "casualties") == (1.0, 1.0)


@given(st.lists(st.integers(0, 4), min_size=1, max_size=12), st.data())
def test_ci_brackets_bounds_and_is_reproducible(n_items, data):
    keep = [data.draw(st.integers(0, n)) for n in n_items]
    r = res(corpus_of(n_items), keep)
    lo, hi = bootstrap_ci(r, "casualties", n_resamples=200, seed=3)
    assert 0.0 <= lo <= hi <= 1.0
    assert bootstrap_ci(r, "casualties", n_resamples=200, seed=3) == (lo, hi)


def test_identical_systems_are_not_different():
    gold = corpus_of([3, 1, 4, 1, 5])
    a = res(gold, [1, 0, 2, 1, 3])
    delta, p = paired_bootstrap(a, a, "casualties", n_resamples=300)
    assert delta == 0.0 and p == 1.0
    delta, p = approximate_randomization(a, a, "casualties", n_trials=300)
    assert delta == 0.0 and p == 1.0


def test_clearly_different_systems():
    # 30 documents, A finds everything, B nothing. AR: |delta| = 1 only when no document is
    # swapped or all are (2 of 2^30 swap patterns), so p = (1 + hits) / (1 + 2000) ≈ 1/2001.
    gold = corpus_of([2] * 30)
    a, b = res(gold, [2] * 30), res(gold, [0] * 30)
    tests = {t.field: t for t in compare(a, b, n_resamples=500, n_trials=2000)}
    t = tests["casualties"]
    assert (t.a, t.b, t.delta) == (1.0, 0.0, -1.0)
    assert t.p_randomization == pytest.approx(1 / 2001, abs=2e-3)
    assert t.p_bootstrap < 0.01


def exact_permutation_p(ca, cb):
    """The exact two-sided randomisation p-value, enumerating every swap pattern."""
    def f1(s):
        return 0.0 if 2 * s[0] + s[1] + s[2] == 0 else 2 * s[0] / (2 * s[0] + s[1] + s[2])

    obs = abs(f1(cb.sum(0)) - f1(ca.sum(0)))
    hits = 0
    patterns = list(itertools.product([0, 1], repeat=len(ca)))
    for sw in patterns:
        m = np.array(sw)[:, None]
        a2 = np.where(m, cb, ca).sum(0)
        b2 = np.where(m, ca, cb).sum(0)
        hits += abs(f1(b2) - f1(a2)) >= obs - 1e-12
    return hits / len(patterns)


def test_randomization_converges_to_the_exact_permutation_p():
    gold = corpus_of([3, 2, 4, 1, 2])
    a, b = res(gold, [3, 0, 4, 1, 0]), res(gold, [1, 2, 1, 0, 2])
    from conflictbench.scoring.statistics import doc_counts

    exact = exact_permutation_p(doc_counts(a, "casualties"), doc_counts(b, "casualties"))
    _, p = approximate_randomization(a, b, "casualties", n_trials=20000, seed=1)
    assert p == pytest.approx(exact, abs=0.02)


def test_single_document_bootstrap_has_no_evidence():
    gold = corpus_of([3])
    assert paired_bootstrap(res(gold, [3]), res(gold, [0]), "casualties")[1] == 1.0


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda a, b: paired_bootstrap(a, b, "casualties"), "same documents"),
        (lambda a, b: bootstrap_ci(a, "casualties", metric="auc"), "'metric' parameter of bootstrap_ci"),
        (lambda a, b: bootstrap_ci(a, "casualties", n_resamples=0), "positive integer"),
        (lambda a, b: bootstrap_ci(a, "casualties", confidence=1.5), "'confidence' parameter"),
        (lambda a, b: bootstrap_ci(a, "casualty"), "The 'field' parameter of bootstrap_ci\\(\\) must be one of"),
        (lambda a, b: paired_bootstrap(a, a, "date"), "The 'field' parameter of paired_bootstrap\\(\\)"),
    ],
)
def test_parameters_validated(call, message):
    a = res(corpus_of([1, 2]), [1, 1])
    b = res(corpus_of([1]), [1])
    with pytest.raises(ParameterError, match=message):
        call(a, b)


def test_different_settings_refused():
    gold = corpus_of([2, 2])
    with pytest.raises(ParameterError, match="different settings"):
        paired_bootstrap(res(gold, [1, 1]), res(gold, [1, 1], span_mode="none"), "casualties")


@pytest.mark.parametrize("seed", [-1, "a", 1.5, True])
@pytest.mark.parametrize("func", [bootstrap_ci, paired_bootstrap, approximate_randomization])
def test_a_bad_seed_is_one_parameter_error(func, seed):
    # NumPy rejects a negative seed with a bare ValueError deep in SeedSequence
    r = res(corpus_of([2, 2]), [1, 2])
    args = (r, "casualties") if func is bootstrap_ci else (r, r, "casualties")
    with pytest.raises(ParameterError, match=rf"The 'seed' parameter of {func.__name__}\(\) must be a "
                                             rf"non-negative integer\. Got {seed!r} instead\."):
        func(*args, seed=seed)


def test_paired_test_to_dict_is_flat():
    gold = corpus_of([2, 2])
    a, b = res(gold, [2, 2]), res(gold, [0, 2])
    t = {t.field: t for t in compare(a, b, n_resamples=10, n_trials=10)}["casualties"]
    d = t.to_dict()
    # A finds 4 of 4 (F1 1); B finds 2 of 4 with no false positive: P 1, R 1/2, F1 2/3
    assert d["field"] == "casualties" and d["a"] == 1.0 and d["b"] == pytest.approx(2 / 3)
    assert d["delta"] == pytest.approx(2 / 3 - 1)
    assert not any(isinstance(v, (dict, list, tuple)) for v in d.values())
