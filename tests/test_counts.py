"""Counts and the P/R/F1 derived from them; the zero_division policy."""

from __future__ import annotations

import math
import warnings

import pytest
from hypothesis import given, strategies as st

from conflictbench.scoring.counts import Counts, UndefinedMetricWarning
from conflictbench.errors import ParameterError


# (tp, fp, fn) -> (precision, recall, f1), derived by hand:
#   P = tp/(tp+fp), R = tp/(tp+fn), F1 = 2tp/(2tp+fp+fn)
@pytest.mark.parametrize(
    "tp, fp, fn, p, r, f",
    [
        (3, 1, 2, 3 / 4, 3 / 5, 6 / 9),
        (1, 1, 1, 1 / 2, 1 / 2, 1 / 2),
        (5, 0, 0, 1.0, 1.0, 1.0),
        (0, 4, 4, 0.0, 0.0, 0.0),
        (2, 0, 6, 1.0, 2 / 8, 4 / 10),
        (9, 3, 0, 9 / 12, 1.0, 18 / 21),
    ],
)
def test_prf_table(tp, fp, fn, p, r, f):
    c = Counts(tp, fp, fn)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert c.precision() == pytest.approx(p)
        assert c.recall() == pytest.approx(r)
        assert c.f1() == pytest.approx(f)
        assert c.prf() == pytest.approx((p, r, f))


def test_add_and_sum():
    assert Counts(1, 2, 3) + Counts(10, 20, 30) == Counts(11, 22, 33)
    assert sum([Counts(1, 0, 0), Counts(0, 1, 0), Counts(0, 0, 1)]) == Counts(1, 1, 1)
    assert sum([], Counts()) == Counts(0, 0, 0)


@pytest.mark.parametrize("bad", [(-1, 0, 0), (0, 1.5, 0), (True, 0, 0), (0, 0, "1")])
def test_counts_reject_non_counts(bad):
    with pytest.raises(ParameterError, match="non-negative integer"):
        Counts(*bad)


def test_frozen():
    with pytest.raises(AttributeError):
        Counts(1, 1, 1).tp = 3  # type: ignore[misc]


# --- undefined cases, under warnings-as-errors -----------------------------------------


@pytest.mark.parametrize("zd", [0.0, 1.0, 0, 1])
def test_undefined_uses_zero_division_silently(zd):
    empty = Counts(0, 0, 0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert empty.precision(zero_division=zd) == zd
        assert empty.recall(zero_division=zd) == zd
        assert empty.f1(zero_division=zd) == zd
        # nothing predicted, gold present: precision undefined, recall and F1 are 0
        only_fn = Counts(0, 0, 3)
        assert only_fn.precision(zero_division=zd) == zd
        assert only_fn.recall(zero_division=zd) == 0.0
        assert only_fn.f1(zero_division=zd) == 0.0
        # nothing in gold, something predicted: recall undefined, precision and F1 are 0
        only_fp = Counts(0, 2, 0)
        assert only_fp.recall(zero_division=zd) == zd
        assert only_fp.precision(zero_division=zd) == 0.0
        assert only_fp.f1(zero_division=zd) == 0.0


def test_undefined_nan():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert math.isnan(Counts().f1(zero_division=float("nan")))


def test_undefined_warns_by_default():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UndefinedMetricWarning, match="precision is undefined"):
            Counts(0, 0, 1).precision()
        with pytest.raises(UndefinedMetricWarning, match="f1 is undefined"):
            Counts().f1()
    with pytest.warns(UndefinedMetricWarning):
        assert Counts().recall() == 0.0


def test_defined_never_warns_even_with_warn_policy():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Counts(0, 0, 1).f1(zero_division="warn") == 0.0


@pytest.mark.parametrize("bad", [0.5, "zero", None, True, -1])
def test_zero_division_validated(bad):
    with pytest.raises(ParameterError, match=r"The 'zero_division' parameter of precision\(\) must be one of"):
        Counts().precision(zero_division=bad)


# --- properties --------------------------------------------------------------------------

counts = st.builds(Counts, st.integers(0, 50), st.integers(0, 50), st.integers(0, 50))


@given(counts)
def test_scores_in_unit_interval(c):
    for v in c.prf(zero_division=float("nan")):
        assert math.isnan(v) or 0.0 <= v <= 1.0


@given(counts)
def test_f1_is_harmonic_mean_when_p_and_r_are_defined(c):
    if c.tp > 0:
        p, r, f = c.prf()
        assert f == pytest.approx(2 * p * r / (p + r))


@given(counts, counts)
def test_add_is_commutative_and_componentwise(a, b):
    assert a + b == b + a
    assert (a + b).tp == a.tp + b.tp and (a + b).fp == a.fp + b.fp and (a + b).fn == a.fn + b.fn
