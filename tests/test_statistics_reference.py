"""The intervals and tests against plain reference implementations, and their properties.

Each reference loops over explicit resample index arrays (and swap masks) drawn as the
module docstrings state, sums counts by gathering documents, and applies the published
formulas one resample at a time. The library must agree exactly (``==``, not approx).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, strategies as st

from conflictbench.scoring.statistics import (
    approximate_randomization, bootstrap_ci, bootstrap_intervals, compare, doc_counts, paired_bootstrap,
)
from .test_resampling import reference_positions, reference_swaps
from .test_statistics import corpus_of, res


def f1(s, zd=0.0):
    den = 2 * s[0] + s[1] + s[2]
    return zd if den == 0 else 2 * s[0] / den


def reference_ci(c, n_resamples, seed, confidence=0.95):
    vals = []
    for b in range(n_resamples):
        s = c[reference_positions(len(c), seed, b)].sum(axis=0)
        if 2 * s[0] + s[1] + s[2] > 0:  # undefined resamples are left out
            vals.append(f1(s))
    if not vals:
        v = f1(c.sum(0))
        return (v, v)
    alpha = (1 - confidence) / 2
    lo, hi = np.quantile(np.array(vals), [alpha, 1 - alpha])
    return (float(lo), float(hi))


def reference_paired_bootstrap(ca, cb, n_resamples, seed):
    delta = f1(cb.sum(0)) - f1(ca.sum(0))
    if len(ca) < 2:
        return delta, 1.0
    deltas = []
    for b in range(n_resamples):
        idx = reference_positions(len(ca), seed, b)
        deltas.append(f1(cb[idx].sum(0)) - f1(ca[idx].sum(0)))
    deltas = np.array(deltas)
    centred = np.abs(deltas - deltas.mean())
    return delta, (1 + int((centred >= abs(delta) - 1e-12).sum())) / (1 + n_resamples)


def reference_randomization(ca, cb, n_trials, seed):
    delta = f1(cb.sum(0)) - f1(ca.sum(0))
    if len(ca) == 0:
        return delta, 1.0
    hits = 0
    for t in range(n_trials):
        m = reference_swaps(len(ca), seed, t)[:, None]
        a2, b2 = np.where(m, cb, ca).sum(0), np.where(m, ca, cb).sum(0)
        hits += abs(f1(b2) - f1(a2)) >= abs(delta) - 1e-12
    return delta, (1 + hits) / (1 + n_trials)


systems = st.integers(1, 12).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 4), min_size=n, max_size=n), st.data()))


def two_systems(n_items, data):
    keep_a = [data.draw(st.integers(0, k)) for k in n_items]
    keep_b = [data.draw(st.integers(0, k)) for k in n_items]
    gold = corpus_of(n_items)
    return res(gold, keep_a), res(gold, keep_b)


@given(systems, st.integers(0, 1000))
def test_fast_paths_equal_the_reference_exactly(drawn, seed):
    n_items, data = drawn
    a, b = two_systems(n_items, data)
    ca, cb = doc_counts(a, "casualties"), doc_counts(b, "casualties")
    assert bootstrap_ci(a, "casualties", n_resamples=60, seed=seed) == reference_ci(ca, 60, seed)
    assert paired_bootstrap(a, b, "casualties", n_resamples=60, seed=seed) == reference_paired_bootstrap(ca, cb, 60, seed)
    assert approximate_randomization(a, b, "casualties", n_trials=60, seed=seed) == \
        reference_randomization(ca, cb, 60, seed)


@given(systems)
def test_results_do_not_depend_on_block_size_or_threads(drawn):
    n_items, data = drawn
    a, b = two_systems(n_items, data)
    for engine in (dict(memory_budget=1), dict(memory_budget=1, workers=2), dict(workers=3)):
        assert bootstrap_ci(a, "casualties", n_resamples=50, **engine) == bootstrap_ci(a, "casualties", n_resamples=50)
        assert compare(a, b, n_resamples=50, n_trials=50, **engine) == compare(a, b, n_resamples=50, n_trials=50)


@given(systems, st.integers(0, 100))
def test_swapping_a_and_b_gives_the_same_p(drawn, seed):
    n_items, data = drawn
    a, b = two_systems(n_items, data)
    d1, p1 = paired_bootstrap(a, b, "casualties", n_resamples=80, seed=seed)
    d2, p2 = paired_bootstrap(b, a, "casualties", n_resamples=80, seed=seed)
    assert (d2, p2) == (-d1, p1)
    d1, p1 = approximate_randomization(a, b, "casualties", n_trials=80, seed=seed)
    d2, p2 = approximate_randomization(b, a, "casualties", n_trials=80, seed=seed)
    assert (d2, p2) == (-d1, p1)


@given(systems)
def test_an_identical_pair_has_p_one(drawn):
    n_items, data = drawn
    a, _ = two_systems(n_items, data)
    assert paired_bootstrap(a, a, "casualties", n_resamples=40) == (0.0, 1.0)
    assert approximate_randomization(a, a, "casualties", n_trials=40) == (0.0, 1.0)


@given(st.lists(st.integers(1, 4), min_size=25, max_size=60), st.data())
def test_the_interval_contains_the_point_estimate(n_items, data):
    # non-degenerate: at least 25 documents, each with gold items, so every resample is
    # defined and no single document decides the resample distribution
    keep = [data.draw(st.integers(0, n)) for n in n_items]
    r = res(corpus_of(n_items), keep)
    lo, hi = bootstrap_ci(r, "casualties", n_resamples=400)
    assert lo <= r.field("casualties").f1 <= hi


def test_same_seed_same_numbers_other_seed_other_numbers():
    gold = corpus_of([3, 1, 4, 1, 5, 9, 2, 6])
    a, b = res(gold, [1, 0, 2, 1, 3, 4, 0, 6]), res(gold, [3, 1, 0, 0, 5, 2, 2, 1])
    assert compare(a, b, n_resamples=200, n_trials=200, seed=4) == compare(a, b, n_resamples=200, n_trials=200, seed=4)
    assert bootstrap_ci(a, "casualties", seed=4) == bootstrap_ci(a, "casualties", seed=4)
    assert bootstrap_ci(a, "casualties", seed=4) != bootstrap_ci(a, "casualties", seed=5)


def test_one_pass_intervals_equal_one_call_each():
    gold = corpus_of([3, 1, 4, 1, 5, 9, 2, 6])
    results = [res(gold, [1, 0, 2, 1, 3, 4, 0, 6]), res(gold, [3, 1, 0, 0, 5, 2, 2, 1]),
               res(gold, [3, 1, 0, 0, 5, 2, 2, 1], level="value")]
    fields = ["casualties", "actors", "dates"]
    table = bootstrap_intervals(results, fields=fields, n_resamples=300, seed=2)
    for i, r in enumerate(results):
        for j, f in enumerate(fields):
            iv = table[i][j]
            assert (iv.field, iv.level, iv.n_resamples, iv.seed) == (f, r.level, 300, 2)
            assert (iv.low, iv.high) == bootstrap_ci(r, f, n_resamples=300, seed=2)
            assert iv.estimate == r.field(f).f1
            assert not any(isinstance(v, (dict, list, tuple)) for v in iv.to_dict().values())
    # actors and dates have no gold and no prediction: every resample is undefined
    assert table[0][1].n_defined == 0 and table[0][0].n_defined == 300


def test_compare_equals_the_single_field_tests():
    gold = corpus_of([3, 1, 4, 1, 5, 9, 2, 6])
    a, b = res(gold, [1, 0, 2, 1, 3, 4, 0, 6]), res(gold, [3, 1, 0, 0, 5, 2, 2, 1])
    for t in compare(a, b, n_resamples=300, n_trials=300, seed=9):
        assert paired_bootstrap(a, b, t.field, n_resamples=300, seed=9) == (t.delta, t.p_bootstrap)
        assert approximate_randomization(a, b, t.field, n_trials=300, seed=9) == (t.delta, t.p_randomization)


def test_undefined_cases_raise_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        empty = res([], [])
        assert bootstrap_ci(empty, "casualties") == (0.0, 0.0)
        assert bootstrap_intervals([empty])[0][0].n_defined == 0
        assert paired_bootstrap(empty, empty, "casualties") == (0.0, 1.0)
        assert approximate_randomization(empty, empty, "casualties") == (0.0, 1.0)
        assert bootstrap_intervals([]) == ()
        # zero_division=nan: an undefined metric stays undefined and its p-value too
        gold = corpus_of([0, 0, 0])
        nan = res(gold, [0, 0, 0], zero_division=float("nan"))
        lo, hi = bootstrap_ci(nan, "casualties")
        assert lo != lo and hi != hi
        delta, p = paired_bootstrap(nan, nan, "casualties")
        assert delta != delta and p != p
        delta, p = approximate_randomization(nan, nan, "casualties")
        assert delta != delta and p != p


def test_nan_zero_division_leaves_undefined_resamples_out_of_the_p_value():
    # two documents: one with gold (both systems find it or not), one with nothing at all.
    # A resample drawing only the empty document has an undefined delta: left out, the p of
    # the defined resamples remains; before this was fixed, NaN deltas made p = 1/(1+B)
    gold = corpus_of([2, 0])
    a = res(gold, [2, 0], zero_division=float("nan"))
    b = res(gold, [0, 0], zero_division=float("nan"))
    delta, p = paired_bootstrap(a, b, "casualties", n_resamples=400)
    assert delta == -1.0
    ca, cb = doc_counts(a, "casualties"), doc_counts(b, "casualties")
    defined = []
    for i in range(400):
        idx = reference_positions(2, 0, i)
        sa, sb = ca[idx].sum(0), cb[idx].sum(0)
        if 2 * sa[0] + sa[1] + sa[2] and 2 * sb[0] + sb[1] + sb[2]:
            defined.append(f1(sb) - f1(sa))
    d = np.array(defined)
    expected = (1 + int((np.abs(d - d.mean()) >= 1 - 1e-12).sum())) / (1 + len(d))
    assert 250 < len(d) < 350 and p == expected  # 3 of 4 resamples draw the document with gold


@pytest.mark.parametrize("kw, message", [
    (dict(memory_budget=0), "'memory_budget' parameter of bootstrap_ci"),
    (dict(workers=0), "'workers' parameter of bootstrap_ci"),
    (dict(workers=1.5), "'workers' parameter of bootstrap_ci"),
    (dict(confidence="high"), "'confidence' parameter of bootstrap_ci"),
])
def test_engine_options_validated(kw, message):
    r = res(corpus_of([1, 2]), [1, 1])
    with pytest.raises(ValueError, match=message):
        bootstrap_ci(r, "casualties", **kw)
