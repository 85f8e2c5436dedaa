"""MUC-4 key fills: tokenising, numbers and dates — hand-derived tables and properties.

Expected values are read off the fill syntax of TASK/TASKDOC/templ-doc-basic/
template-doc-part1.v7 (§4.2 alternatives and "?", §7.3 dates, §7.22 numbers).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflictbench import timex
from conflictbench.muc.fills import FillError, parse_date, parse_fill, parse_number


@pytest.mark.parametrize(
    "text, values, refs, optional, quoted",
    [
        ('"TERRORISTS"', ("TERRORISTS",), (), False, True),
        # alternatives of one filler, separated by a slash
        ('"FARABUNDO MARTI NATIONAL LIBERATION FRONT" / "FMLN"',
         ("FARABUNDO MARTI NATIONAL LIBERATION FRONT", "FMLN"), (), False, True),
        ('"A"/"B"/"C"', ("A", "B", "C"), (), False, True),
        # "?" marks an optional filler, with or without a space
        ('? "TERRORIST"', ("TERRORIST",), (), True, True),
        ('?"X" / "Y"', ("X", "Y"), (), True, True),
        # set fill with a cross-reference (itself with alternatives)
        ('DEATH: "JESUIT PRIESTS"', ("DEATH",), ("JESUIT PRIESTS",), False, False),
        ('INJURY: "PEOPLE" / "OTHERS"', ("INJURY",), ("PEOPLE", "OTHERS"), False, False),
        ('REPORTED AS FACT: "FMLN"', ("REPORTED AS FACT",), ("FMLN",), False, False),
        # numbers with alternatives, ranges and optional marker
        ('10 / 10- / PLURAL: "S"', ("10", "10-", "PLURAL"), ("S",), False, False),
        ('? - 139 / - 313 / PLURAL: "S"', ("- 139", "- 313", "PLURAL"), ("S",), True, False),
        ('5 - 7: "JUDGES"', ("5 - 7",), ("JUDGES",), False, False),
        ('?1: "S"', ("1",), ("S",), True, False),
        ('5/6: "S"', ("5", "6"), ("S",), False, False),
        ('(INJURY / DEATH): "A" / "B"', ("INJURY", "DEATH"), ("A", "B"), False, False),
        # quoted description with a cross-reference to a name
        ('"MONSIGNOR": "ARNULFO ROMERO"', ("MONSIGNOR",), ("ARNULFO ROMERO",), False, True),
        ('? ("BODYGUARD OF X" / "BODYGUARD"): "PEDRO"', ("BODYGUARD OF X", "BODYGUARD"),
         ("PEDRO",), True, True),
        # escaped inner quotes
        ('"\\"THE EXTRADITABLES\\"" / "EXTRADITABLES"',
         ('"THE EXTRADITABLES"', "EXTRADITABLES"), (), False, True),
        # date alternatives in parentheses
        ("(25 AUG 88) / (- 25 AUG 88)", ("25 AUG 88", "- 25 AUG 88"), (), False, False),
    ],
)
def test_parse_fill(text, values, refs, optional, quoted):
    f = parse_fill(text)
    assert (f.values, f.refs, f.optional, f.quoted, f.repaired) == (values, refs, optional, quoted, False)


def test_unbalanced_quotes_are_read_leniently_and_flagged():
    # TST key: INJURY: "16 OTHERS / "OTHERS"  (closing quote of the first string missing)
    f = parse_fill('INJURY: "16 OTHERS / "OTHERS"')
    assert f.values == ("INJURY",)
    assert f.refs == ("16 OTHERS", "OTHERS")
    assert f.repaired


@pytest.mark.parametrize("text", ['DEATH "X"', '"X" junk', '"X": "Y" junk', ""])
def test_parse_fill_rejects(text):
    with pytest.raises(FillError):
        parse_fill(text)


@pytest.mark.parametrize(
    "value, qualifier, count, low, high",
    [
        ("7", "exact", 7, None, None),
        ("~7", "approx", 7, None, None),
        ("~40000", "approx", 40000, None, None),
        ("6-", "at_least", 6, None, None),
        ("2 -", "at_least", 2, None, None),
        ("- 15", "at_most", 15, None, None),
        ("-26", "at_most", 26, None, None),
        ("5 - 7", "range", None, 5, 7),
        ("6-8", "range", None, 6, 8),
        ("PLURAL", "vague", None, None, None),
    ],
)
def test_parse_number(value, qualifier, count, low, high):
    n = parse_number(value)
    assert (n.qualifier, n.count, n.low, n.high) == (qualifier, count, low, high)


@pytest.mark.parametrize("value", ["SEVERAL", "7 - 5", "~", "1.5", ""])
def test_parse_number_rejects(value):
    with pytest.raises(FillError):
        parse_number(value)


ANCHOR = dt.date(1988, 8, 26)


@pytest.mark.parametrize(
    "value, timex_value, mod",
    [
        ("25 AUG 88", "1988-08-25", None),
        ("- 25 AUG 88", "1988-08-25", "ON_OR_BEFORE"),
        ("-25 AUG 88", "1988-08-25", "ON_OR_BEFORE"),
        ("24 AUG 88 - 25 AUG 88", "1988-08-24/1988-08-25", None),
        ("5 AUG 88 - 5 AUG 88", "1988-08-05", None),
        ("03 MARCH 90", "1990-03-03", None),
        ("11 Feb 90", "1990-02-11", None),
        ("OCT 18", "1987-10-18", None),  # no year: the latest year not after the anchor + 1 month
        ("11 AUG", "1988-08-11", None),
        ("- 22 JAN", "1988-01-22", "ON_OR_BEFORE"),
        ("31 NOV 89", "1989-11", None),  # impossible day: the month is kept
        ("11 NOV 89 - 31 NOV 89", "1989-11-11/1989-11-30", None),
        ("11 NOV 90 - 19 NOV 89", "1989-11-19", "ON_OR_BEFORE"),  # reversed: end as upper bound
    ],
)
def test_parse_date(value, timex_value, mod):
    d = parse_date(value, anchor=ANCHOR)
    assert (d.value, d.mod) == (timex_value, mod)
    assert timex.is_valid_value(d.value)


def test_repaired_dates_say_so():
    assert parse_date("25 AUG 88").repair is None
    assert "31 NOV 89" in parse_date("31 NOV 89").repair
    assert parse_date("11 NOV 90 - 19 NOV 89").repair


@pytest.mark.parametrize("value", ["ZZZ", "32 JAN", "25 XYZ 88", "1 JAN 88 - 2 JAN 88 - 3 JAN 88"])
def test_parse_date_rejects(value):
    with pytest.raises(FillError):
        parse_date(value, anchor=ANCHOR)


MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(1999, 12, 31)), st.integers(0, 400))
def test_date_forms_round_trip(day, span):
    """Formatting a day the key's way and parsing it gives the ISO day back (all 3 forms)."""
    fmt = lambda d: f"{d.day:02d} {MONTHS[d.month - 1]} {d.year % 100:02d}"  # noqa: E731
    assert parse_date(fmt(day)).value == day.isoformat()
    before = parse_date("- " + fmt(day))
    assert (before.value, before.mod) == (day.isoformat(), "ON_OR_BEFORE")
    end = day + dt.timedelta(days=span)
    if end.year <= 1999:
        rng = parse_date(f"{fmt(day)} - {fmt(end)}").value
        assert rng == (day.isoformat() if span == 0 else f"{day.isoformat()}/{end.isoformat()}")
        assert timex.is_valid_value(rng)


@given(st.integers(0, 10**6), st.integers(0, 10**6), st.sampled_from(["", " "]))
def test_number_forms_round_trip(a, b, sp):
    assert parse_number(str(a)).count == a
    assert parse_number(f"~{a}").qualifier == "approx"
    assert parse_number(f"{a}{sp}-").count == a
    assert parse_number(f"-{sp}{a}").qualifier == "at_most"
    lo, hi = min(a, b), max(a, b)
    n = parse_number(f"{lo}{sp}-{sp}{hi}")
    assert (n.qualifier, n.low, n.high) == ("range", lo, hi)
