"""Temporal expressions: sentences written for these tests (not from the seed article), each
expected value derived by hand from the anchoring conventions in the comment beside it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflictbench import timex
from conflictbench.extractors.rules.temporal import WEEKDAYS, find_dates

# DCT 2023-06-14 is a Wednesday (2023-06-01 was a Thursday).
DCT = "2023-06-14"

CASES = [
    # weekday: most recent on or before the DCT; the preposition stays out of the span
    ("Gunmen attacked the village on Sunday.", "Sunday", "2023-06-11", "DATE", None),
    ("Clashes resumed on Wednesday in Khartoum.", "Wednesday", "2023-06-14", "DATE", None),
    ("The convoy was hit last Wednesday.", "last Wednesday", "2023-06-07", "DATE", None),
    ("Talks resume next Monday in Jeddah.", "next Monday", "2023-06-19", "DATE", None),
    ("Shelling began late Friday near Bakhmut.", "late Friday", "2023-06-09", "DATE", "END"),
    ("Drones struck Kyiv early Tuesday.", "early Tuesday", "2023-06-13", "DATE", "START"),
    ("Raiders struck on Sunday night.", "Sunday night", "2023-06-11TNI", "TIME", None),
    # months without a year: the most recent such month on or before the DCT
    ("The camp was set up on November 28.", "November 28", "2022-11-28", "DATE", None),
    ("The siege began on March 3.", "March 3", "2023-03-03", "DATE", None),
    ("Fighting has raged since mid-April.", "mid-April", "2023-04", "DATE", "MID"),
    ("Thousands fled in early September.", "early September", "2022-09", "DATE", "START"),
    ("In May, the army retook the town.", "May", "2023-05", "DATE", None),
    # absolute dates and datetimes
    ("Houthi rebels seized Sanaa in September 2014.", "September 2014", "2014-09", "DATE", None),
    ("The invasion began on 24 February 2022.", "24 February 2022", "2022-02-24", "DATE", None),
    ("Posted: June 14, 2023 09:30 AM", "June 14, 2023 09:30 AM", "2023-06-14T09:30", "TIME", None),
    ("Published Monday, 12 June 2023", "Monday, 12 June 2023", "2023-06-12", "DATE", None),
    ("The coup took place in 2021.", "2021", "2021", "DATE", None),
    ("Violence has flared since the 1990s.", "the 1990s", "199", "DATE", None),
    # deictic words and periods of the DCT
    ("Police said yesterday that 12 were held.", "yesterday", "2023-06-13", "DATE", None),
    ("Shelling resumed this morning.", "this morning", "2023-06-14TMO", "TIME", None),
    ("Rockets fell yesterday evening.", "yesterday evening", "2023-06-13TEV", "TIME", None),
    ("Gunmen struck last night.", "last night", "2023-06-13TNI", "TIME", None),
    ("Aid agencies said earlier this week", "earlier this week", "2023-W24", "DATE", None),
    ("Fighting intensified last month.", "last month", "2023-05", "DATE", None),
    ("The junta took power late last year.", "late last year", "2022", "DATE", "END"),
    # durations
    ("The blockade has lasted more than a year.", "more than a year", "P1Y", "DURATION", "MORE_THAN"),
    ("Almost two decades of war", "Almost two decades", "P20Y", "DURATION", "APPROX"),
    ("after three months of fighting", "three months", "P3M", "DURATION", None),
    ("Over the past 24 hours, shelling continued.", "the past 24 hours", "PT24H", "DURATION", None),
    # "N days ago" from the DCT
    ("The market was bombed three days ago.", "three days ago", "2023-06-11", "DATE", None),
    # guidelines §4.3: sets, adjectival durations, references, overnight, future tense
    ("Sign up to our daily briefing", "daily", "P1D", "SET", None),
    ("Convoys run every week.", "every week", "P1W", "SET", None),
    ("Protests are held every Friday.", "every Friday", "XXXX-WXX-5", "SET", None),
    ("A three-day ceasefire began.", "three-day", "P3D", "DURATION", None),
    ("The town is now under siege.", "now", "PRESENT_REF", "DATE", None),
    ("Fighting recently intensified.", "recently", "PAST_REF", "DATE", None),
    ("Drones struck Odesa overnight.", "overnight", "2023-06-13TNI", "TIME", None),
    ("Talks will resume on Monday in Jeddah.", "Monday", "2023-06-19", "DATE", None),
    ("The vote is due to take place on March 3.", "March 3", "2024-03-03", "DATE", None),
    ("Elections will be held in December.", "December", "2023-12", "DATE", None),
    # upper-case wire copy
    ("GUERRILLAS ATTACKED 11 DAYS AGO.", "11 DAYS AGO", "2023-06-03", "DATE", None),
    ("THE BOMB EXPLODED ON SUNDAY.", "SUNDAY", "2023-06-11", "DATE", None),
    ("TALKS WILL RESUME IN MARCH 2024.", "MARCH 2024", "2024-03", "DATE", None),
]


@pytest.mark.parametrize("sentence,span,value,typ,mod", CASES)
def test_find_and_normalise(sentence, span, value, typ, mod):
    found = find_dates(sentence, DCT)
    assert [d["text"] for d in found] == [span]
    (d,) = found
    assert sentence[d["start"] : d["end"]] == span
    assert (d["value"], d["type"], d["mod"]) == (value, typ, mod)
    assert timex.is_valid_value(d["value"]) and timex.type_agrees(d["value"], d["type"])


def test_two_weeks_after_anchors_on_the_next_date_of_the_sentence():
    # "May 20" → 2023-05-20 (May is on or before June); two weeks after → 2023-06-03
    s = "Airstrikes resumed two weeks after the truce took effect on May 20. Four days later, talks failed."
    got = [(d["text"], d["value"], d["type"]) for d in find_dates(s, DCT)]
    assert got == [
        ("two weeks after", "2023-06-03", "DATE"),
        ("May 20", "2023-05-20", "DATE"),
        # "Four days later" anchors on the previous date: 2023-05-20 + 4 days
        ("Four days later", "2023-05-24", "DATE"),
    ]


def test_after_without_anchor_reads_as_duration():
    s = "Two days after the attack, aid arrived."
    assert [(d["text"], d["value"]) for d in find_dates(s, DCT)] == [("Two days", "P2D")]


@pytest.mark.parametrize(
    "sentence",
    [
        "A 10-year-old girl was among 350,000 people displaced.",
        "Officials may review the 2,015 cases.",
        "OFFICIALS MAY REVIEW THE CASES.",
        "The Monday-Friday curfew",  # hyphenated: no standalone weekday
        "A 10-year-old boy and a now-defunct group.",
    ],
)
def test_no_date(sentence):
    assert find_dates(sentence, DCT) == []


@given(st.dates(dt.date(1990, 1, 1), dt.date(2035, 12, 31)), st.sampled_from(WEEKDAYS))
def test_weekday_is_most_recent_on_or_before_dct(dct, weekday):
    (d,) = find_dates(f"Troops advanced on {weekday}.", dct.isoformat())
    day = dt.date.fromisoformat(d["value"])
    assert day.strftime("%A") == weekday
    assert dct - dt.timedelta(days=6) <= day <= dct


@given(st.dates(dt.date(1990, 1, 1), dt.date(2035, 12, 31)), st.integers(1, 12), st.integers(1, 28))
def test_month_day_is_on_or_before_dct_month(dct, month, day):
    name = dt.date(2000, month, 1).strftime("%B")
    (d,) = find_dates(f"The attack of {name} {day} killed many.", dct.isoformat())
    got = dt.date.fromisoformat(d["value"])
    assert (got.month, got.day) == (month, day)
    assert (got.year, got.month) <= (dct.year, dct.month)
    assert (got.year + 1, got.month) > (dct.year, dct.month)


@given(st.text(max_size=200))
def test_spans_are_consistent_and_values_valid(text):
    for d in find_dates(text, DCT):
        assert text[d["start"] : d["end"]] == d["text"]
        assert timex.is_valid_value(d["value"])


FRAGMENTS = [
    "on Sunday", "late Friday night", "December 1", "early September", "24 February 2022",
    "June 14, 2023 09:30 AM", "in 2021", "the 1990s", "yesterday", "earlier this week",
    "more than a year", "the past 24 hours", "three days ago", "two weeks after", "May 20",
    "Four days later", "12 people", "killed", ",", ".", "and", "Mayor", "holidays", "x" * 70,
    # the longest forms of each kind (the windows around anchor words must hold them)
    "early last Friday afternoon", "approximately fifteen days earlier",
    "late Friday, 22nd March, 2020 at 12:30 a.m.", "since early 2019", "2020-01-17T05:06",
    "earlier this month", "the past twenty hours", "last night", "mid-December 2019",
    "yesterday afternoon", "this morning", "every month", "three-day", "overnight", "now",
    "will", "is due to", "every Friday",
]


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12))
def test_windowed_scan_equals_full_scan(parts):
    text = " ".join(parts)
    assert find_dates(text, DCT) == find_dates(text, DCT, windows=False)
