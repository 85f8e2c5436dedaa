"""TIMEX3 value grammar and actor-registry resolution: hand-written tables."""

from __future__ import annotations

import json
import re

import pytest

from conflictbench import timex
from conflictbench.actors import ActorRegistry, normalise_name
from conflictbench.errors import DataError

VALID = ["2020", "2020-01", "2020-01-16", "2020-W03", "2020-Q1", "2020-SU", "199", "19", "XXXX-01-16",
         "2020-01-17T05:06", "2020-01-17T05:06:30", "2020-01-16TEV", "P9Y", "P1W", "P2D", "PT3H",
         "P1Y6M", "PXY", "PRESENT_REF", "PAST_REF", "1988-08-24/1988-08-25", "XXXX-WXX-5", "2020-W03-WE"]
INVALID = ["", "2020-13", "2020-01-32", "2020-1-16", "20-01-16", "P", "PT", "9Y", "P9", "Thursday",
           "2020-01-16T25:00", "2020/01/16", "P1Y2X", "present_ref", None, 2020]


@pytest.mark.parametrize("value", VALID)
def test_valid_timex_values(value):
    assert timex.is_valid_value(value)


@pytest.mark.parametrize("value", INVALID)
def test_invalid_timex_values(value):
    assert not timex.is_valid_value(value)


@pytest.mark.parametrize(
    "value, timex_type, agrees",
    [("PRESENT_REF", "DATE", True), ("PAST_REF", "DATE", True), ("P2D", "DATE", False),
     ("P2D", "DURATION", True), ("2020-01-16", "DURATION", False), ("2020-01-17T05:06", "TIME", True),
     ("2020-01-17", "TIME", False), ("XXXX-WXX-5", "SET", True), ("P1D", "SET", True)],
)
def test_type_agrees(value, timex_type, agrees):
    assert timex.type_agrees(value, timex_type) is agrees


@pytest.mark.parametrize(
    "value, granularity, expected",
    [("2020-01-16T05:06", "month", "2020-01"), ("2020-01-16", "year", "2020"),
     ("2020-01-16", "day", "2020-01-16"), ("2019-12", "day", "2019-12"), ("P9Y", "year", "P9Y"),
     ("2020-W03", "month", "2020")],
)
def test_truncate(value, granularity, expected):
    assert timex.truncate(value, granularity) == expected


@pytest.mark.parametrize(
    "text, expected",
    [("The Syrian Observatory for Human Rights", "syrian observatory for human rights"),
     ("the Observatory's", "observatory"), ("U.N.", "u n"), ("Türkiye", "turkiye"),
     ("  regime   forces ", "regime forces"), ("Hay'at Tahrir al-Sham", "hay at tahrir al sham")],
)
def test_normalise_name(text, expected):
    assert normalise_name(text) == expected


def _write(tmp_path, lines):
    p = tmp_path / "actors.jsonl"
    p.write_text("\n".join(lines) + "\n")
    return p


def test_registry_rejects_an_alias_naming_two_entities(tmp_path):
    p = _write(tmp_path, [
        json.dumps({"id": "a", "name": "Alpha", "type": "armed_group", "aliases": ["the group"]}),
        json.dumps({"id": "b", "name": "Beta", "type": "armed_group", "aliases": ["Group"]}),
    ])
    with pytest.raises(DataError, match="'Group' of 'b' already names 'a'"):
        ActorRegistry.load(p)
    # both places are named: b on line 2, a on line 1
    with pytest.raises(DataError, match=rf"^{re.escape(str(p))}:2: name 'Group' of 'b' already names 'a' "
                                        rf"\({re.escape(str(p))}:1\)$"):
        ActorRegistry.load(p)


def test_registry_duplicate_id_names_both_lines(tmp_path):
    p = _write(tmp_path, [
        json.dumps({"id": "a", "name": "Alpha", "type": "armed_group"}),
        json.dumps({"id": "b", "name": "Beta", "type": "armed_group"}),
        json.dumps({"id": "a", "name": "Gamma", "type": "armed_group"}),
    ])
    with pytest.raises(DataError, match=rf"^{re.escape(str(p))}:3: duplicate actor id 'a' "
                                        rf"\(first at {re.escape(str(p))}:1\)$"):
        ActorRegistry.load(p)


@pytest.mark.parametrize(
    "line, words",
    [("{not json", ":1: not valid JSON"),
     ('{"id": "a", "name": "A", "type": "rebels"}', "field 'type' must be one of"),
     ('{"id": "a", "name": "A", "type": "person", "alias": []}', "unknown field(s) ['alias']"),
     ('{"id": "", "name": "A", "type": "person"}', "field 'id' must be a non-empty string")],
)
def test_registry_bad_lines_name_file_and_line(tmp_path, line, words):
    p = _write(tmp_path, [line])
    with pytest.raises(DataError) as exc:
        ActorRegistry.load(p)
    assert str(p) in str(exc.value) and words in str(exc.value)


def test_registry_file_resolves_by_id_name_and_alias(registry):
    assert registry.resolve("syria_government") == "syria_government"
    assert registry.resolve("Syrian Government") == "syria_government"
    assert registry.resolve("the regime") == "syria_government"
    assert registry.resolve("Wagner Group") is None
