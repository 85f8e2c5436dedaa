"""Quantity normalisation: hand-derived values from the annotation conventions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflictbench.extractors.rules.numbers import Quantity, parse_number, parse_quantity

# (phrase, qualifier, count, count_low, count_high) — each derived from the conventions:
# "at least/more than/over" → at_least with count N; "up to/no more than" → at_most;
# "around/nearly/close to/some" → approx; "between N and M"/"N-M" → range; "dozens of" → vague.
CASES = [
    ("at least 12", "at_least", 12, None, None),
    ("More than 1,200", "at_least", 1200, None, None),
    ("over 500", "at_least", 500, None, None),
    ("up to 2 million", "at_most", 2_000_000, None, None),
    ("no more than nine", "at_most", 9, None, None),
    ("nearly 4,000", "approx", 4000, None, None),
    ("close to 60", "approx", 60, None, None),
    ("some 1.5 million", "approx", 1_500_000, None, None),
    ("around two dozen", "approx", 24, None, None),
    ("Twenty-three", "exact", 23, None, None),
    ("Eleven", "exact", 11, None, None),
    ("two dozen", "exact", 24, None, None),
    ("3 million", "exact", 3_000_000, None, None),
    ("one hundred and twenty", "exact", 120, None, None),
    ("between 30 and 45", "range", None, 30, 45),
    ("12-15", "range", None, 12, 15),
    ("20 to 25", "range", None, 20, 25),
    ("2 to 3 million", "range", None, 2_000_000, 3_000_000),
    ("dozens of", "vague", None, None, None),
    ("Hundreds of", "vague", None, None, None),
    ("tens of thousands of", "vague", None, None, None),
    ("scores of", "vague", None, None, None),
    ("several", "vague", None, None, None),
    # qualifiers written after the number (guidelines §2.5): "N-plus", "N or more" → at_least,
    # "N or so" → approx; a qualifier in front and behind keeps the front one
    ("40 or more", "at_least", 40, None, None),
    ("Forty or more", "at_least", 40, None, None),
    ("30-plus", "at_least", 30, None, None),
    ("30 plus", "at_least", 30, None, None),
    ("30+", "at_least", 30, None, None),
    ("200 or so", "approx", 200, None, None),
    ("some 200 or so", "approx", 200, None, None),
    ("at least 40 or more", "at_least", 40, None, None),
    ("two or three", "range", None, 2, 3),  # "or" between two numbers is still a range
]


@pytest.mark.parametrize("phrase,qualifier,count,low,high", CASES)
def test_parse_quantity(phrase, qualifier, count, low, high):
    assert parse_quantity(phrase) == Quantity(qualifier, count, low, high)


@pytest.mark.parametrize(
    "phrase", ["", "people", "at least", "between 9 and 3", "Khartoum", "40 or", "or more", "dozens or more"]
)
def test_not_a_quantity(phrase):
    assert parse_quantity(phrase) is None


@given(st.integers(min_value=0, max_value=10**9))
def test_digits_with_commas_round_trip(n):
    assert parse_number(f"{n:,}") == n
    assert parse_quantity(f"at least {n:,}") == Quantity("at_least", n)


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["thousand", "million"]))
def test_scale_words_multiply(n, scale):
    factor = {"thousand": 1000, "million": 1_000_000}[scale]
    assert parse_number(f"{n} {scale}") == n * factor


@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_range_bounds_ordered(a, b):
    q = parse_quantity(f"between {a} and {b}")
    if a <= b:
        assert q == Quantity("range", None, a, b)
    else:
        assert q is None


@given(st.integers(min_value=0, max_value=10**7), st.sampled_from([" or more", "-plus", " plus", "+", " or so"]))
def test_trailing_qualifier(n, suffix):
    """A qualifier after the number never changes the count (§2.5: the count is as written)."""
    expected = "approx" if suffix == " or so" else "at_least"
    assert parse_quantity(f"{n:,}{suffix}") == Quantity(expected, n)


@pytest.mark.parametrize(
    "words,start,expected",
    [
        (["at", "least", "40", "people"], 2, 0),  # "at least" is part of the quantity
        (["no", "fewer", "than", "12"], 3, 0),
        (["killed", "some", "20"], 2, 1),
        (["killed", "20"], 1, 1),  # no qualifier: the quantity starts at the number
        (["40"], 0, 0),
    ],
)
def test_qualifier_start(words, start, expected):
    from conflictbench.extractors.rules.numbers import qualifier_start

    assert qualifier_start(words, start) == expected
