"""Significance groups: every system against the best, Holm–Bonferroni within each table."""

from __future__ import annotations

import warnings

import pytest

from conflictbench.errors import ParameterError
from conflictbench.scoring.significance import holm_bonferroni, significance_groups
from conflictbench.scoring.statistics import approximate_randomization, paired_bootstrap
from .test_statistics import corpus_of, res


@pytest.mark.parametrize("raw, adjusted", [
    # m = 4, sorted 0.005, 0.01, 0.03, 0.04 → 4·0.005, 3·0.01, 2·0.03, max(0.06, 1·0.04)
    ([0.01, 0.04, 0.03, 0.005], [0.03, 0.06, 0.06, 0.02]),
    # capped at 1, and never below an earlier step
    ([0.5, 0.6], [1.0, 1.0]),
    ([0.2, 0.01], [0.2, 0.02]),
    # ties: both get the same adjusted value, whichever is sorted first
    ([0.02, 0.02, 0.5], [0.06, 0.06, 0.5]),
    # an undefined p-value stays undefined and is not counted in m (m = 2 here)
    ([float("nan"), 0.02, 0.04], [float("nan"), 0.04, 0.04]),
    ([0.3], [0.3]),
    ([], []),
])
def test_holm_bonferroni_table(raw, adjusted):
    got = holm_bonferroni(raw)
    assert len(got) == len(adjusted)
    for g, e in zip(got, adjusted):
        assert (g != g and e != e) or g == pytest.approx(e, abs=1e-15)


def three_systems(**kw):
    """30 documents of 2 casualties: perfect finds everything, twin too, none finds nothing."""
    gold = corpus_of([2] * 30)
    perfect, twin, none = res(gold, [2] * 30, **kw), res(gold, [2] * 30, **kw), res(gold, [0] * 30, **kw)
    return {"none": none, "perfect": perfect, "twin": twin}


def test_groups_by_randomization_hand_derived():
    # none vs perfect: |δ'| = 1 only when no document or every document is swapped, 2 of 2**30
    # patterns, so with 2000 trials p = 1/2001; twin vs perfect: δ = 0, p = 1. Holm, m = 2:
    # sorted 1/2001 → 2/2001; 1 → max(2/2001, 1·1) = 1.
    g = significance_groups(three_systems(), method="approximate_randomization", n_resamples=2000, seed=3)
    t = g.table("casualties", "mention")
    assert (t.best, t.best_value) == ("perfect", 1.0)  # first of the two perfect systems named
    by = {c.system: c for c in t.comparisons}
    assert list(by) == ["none", "twin"]
    assert (by["none"].value, by["none"].delta) == (0.0, -1.0)
    assert by["none"].p_value == 1 / 2001 and by["none"].p_holm == 2 / 2001 and not by["none"].in_best_group
    assert (by["twin"].delta, by["twin"].p_value, by["twin"].p_holm) == (0.0, 1.0, 1.0) and by["twin"].in_best_group
    assert t.best_group == ("perfect", "twin")
    assert (g.method, g.correction, g.n_documents, g.systems) == (
        "approximate_randomization", "holm-bonferroni", 30, ("none", "perfect", "twin"))


def varied_systems():
    gold = corpus_of([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8])
    keeps = {"a": [3, 1, 4, 0, 5, 7, 2, 6, 4, 3, 5, 8], "b": [1, 0, 2, 1, 3, 4, 0, 6, 2, 1, 5, 2],
             "c": [3, 1, 0, 0, 5, 2, 2, 1, 5, 3, 0, 8], "d": [2, 1, 4, 1, 4, 9, 1, 6, 5, 2, 5, 7]}
    return {name: (res(gold, k), res(gold, k, level="value")) for name, k in keeps.items()}


@pytest.mark.parametrize("method", ["paired_bootstrap", "approximate_randomization"])
def test_each_raw_p_equals_the_pairwise_test(method):
    systems = varied_systems()
    g = significance_groups(systems, method=method, n_resamples=500, seed=11)
    assert len(g.tables) == 3 * 2
    for t in g.tables:
        li = 0 if t.level == "mention" else 1
        best = systems[t.best][li]
        for c in t.comparisons:
            other = systems[c.system][li]
            if method == "paired_bootstrap":
                delta, p = paired_bootstrap(best, other, t.field, n_resamples=500, seed=11)
            else:
                delta, p = approximate_randomization(best, other, t.field, n_trials=500, seed=11)
            assert (c.delta, c.p_value) == (delta, p)
        raw = [c.p_value for c in t.comparisons]
        assert [c.p_holm for c in t.comparisons] == list(holm_bonferroni(raw))
    f = g.table("casualties", "mention")
    assert f.best == "a" and f.best_value == pytest.approx(2 * 48 / (2 * 48 + 4))  # a misses 4 of 52


def test_groups_do_not_depend_on_block_size_or_threads():
    systems = varied_systems()
    base = significance_groups(systems, n_resamples=300)
    assert significance_groups(systems, n_resamples=300, memory_budget=1, workers=2) == base
    assert significance_groups(systems, n_resamples=300, workers=3) == base


def test_to_dict_is_flat():
    d = significance_groups(three_systems(), n_resamples=100).to_dict()
    assert d["casualties.mention.best"] == "perfect"
    assert d["casualties.mention.best_group"] == "perfect,twin"
    assert d["casualties.mention.none.in_best_group"] is False
    assert d["correction"] == "holm-bonferroni" and d["systems"] == "none,perfect,twin"
    assert not any(isinstance(v, (dict, list, tuple)) for v in d.values())


def test_undefined_cases_raise_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # one system: nothing to test; no document: p = 1 for everyone
        one = significance_groups({"only": res(corpus_of([2, 1]), [1, 1])}, n_resamples=50)
        assert all(t.comparisons == () and t.best_group == ("only",) for t in one.tables)
        empty = significance_groups({"a": res([], []), "b": res([], [])}, n_resamples=50)
        assert {c.p_value for t in empty.tables for c in t.comparisons} == {1.0}
        # a single document: nothing to resample, p = 1
        single = significance_groups({"a": res(corpus_of([3]), [3]), "b": res(corpus_of([3]), [0])}, n_resamples=50)
        assert single.table("casualties", "mention").comparisons[0].p_value == 1.0
        # zero_division=nan and a field nobody has items in: undefined, not significant, not in the group
        nan = float("nan")
        g = significance_groups({"a": res(corpus_of([2, 1]), [2, 1], zero_division=nan),
                                 "b": res(corpus_of([2, 1]), [0, 1], zero_division=nan)}, n_resamples=50)
        c = g.table("actors", "mention").comparisons[0]
        assert c.p_value != c.p_value and c.p_holm != c.p_holm and not c.in_best_group


@pytest.mark.parametrize("call, message", [
    (lambda s: significance_groups(s, method="t-test"), "'method' parameter of significance_groups"),
    (lambda s: significance_groups(s, alpha=1.5), "'alpha' parameter of significance_groups"),
    (lambda s: significance_groups(s, n_resamples=0), "positive integer"),
    (lambda s: significance_groups(s, fields=["casualty"]), "'field' parameter of significance_groups"),
    (lambda s: significance_groups([]), "non-empty mapping"),
    (lambda s: significance_groups({**s, "short": res(corpus_of([2]), [2])}), "same documents"),
    (lambda s: significance_groups({**s, "other": res(corpus_of([2] * 30), [1] * 30, span_mode="none")}),
     "different settings"),
    (lambda s: significance_groups({"x": (s["none"], s["none"])}), "two mention results"),
    (lambda s: significance_groups({"x": (s["none"], res(corpus_of([2] * 30), [0] * 30, level="value")),
                                    "y": s["twin"]}), "levels"),
])
def test_parameters_validated(call, message):
    with pytest.raises(ParameterError, match=message):
        call(three_systems())
