"""Documents without a publication date (``publication_date: null``): valid in the schema,
the validator, the card and Label Studio; ``rules.v1`` extracts everything, relative
dates taking the TIMEX3 underspecified form (annotation/GUIDELINES.md §1.2). Expected values
are derived by hand from the guidelines' table."""

from __future__ import annotations

import pytest

from conflictbench import timex
from conflictbench.card import schema_table
from conflictbench.errors import DataError
from conflictbench.extractors.rules.extractor import RuleExtractor
from conflictbench.extractors.rules.temporal import find_dates
from conflictbench.labelstudio.export import annotation_to_document
from conflictbench.labelstudio.tasks import NO_DCT, document_to_task, task_data
from conflictbench.schema import DOCUMENT_FIELDS
from conflictbench.validation import validate_documents

from .support.rules_registry import make_registry

ARTICLE = ("Ukrainian forces said 11 soldiers were wounded on Thursday. "
           "Russian missiles struck Odesa on 12 June 2023, killing at least 3 people.")


def _doc(dct):
    return {"id": "d", "text": ARTICLE, "title": "t", "source": "s", "url": None, "language": "en",
            "publication_date": dct, "casualties": [], "actors": [], "dates": []}


@pytest.mark.parametrize(
    "phrase,with_dct,without",
    [
        ("on Thursday", "2020-01-16", "XXXX-WXX-4"),  # DCT 2020-01-17 is a Friday
        ("on Monday", "2020-01-13", "XXXX-WXX-1"),
        ("on Thursday morning", "2020-01-16TMO", "XXXX-WXX-4TMO"),
        ("on December 1", "2019-12-01", "XXXX-12-01"),
        ("in December", "2019-12", "XXXX-12"),
        ("yesterday", "2020-01-16", "XXXX-XX-XX"),
        ("three days ago", "2020-01-14", "XXXX-XX-XX"),
        ("two months ago", "2019-11", "XXXX-XX"),
        ("last week", "2020-W02", "XXXX-WXX"),
        ("last month", "2019-12", "XXXX-XX"),
        ("last year", "2019", "XXXX"),
        ("tonight", "2020-01-17TNI", "XXXX-XX-XXTNI"),
        ("on 12 January 2020", "2020-01-12", "2020-01-12"),  # absolute: no DCT needed
        ("for three days", "P3D", "P3D"),
        ("every Friday", "XXXX-WXX-5", "XXXX-WXX-5"),
        ("since 2011", "2011", "2011"),
    ],
)
def test_underspecified_values(phrase, with_dct, without):
    text = f"It happened {phrase}."
    (got_dct,) = find_dates(text, "2020-01-17")
    (got,) = find_dates(text, None)
    assert got_dct["value"] == with_dct
    assert got["value"] == without
    assert (got["start"], got["end"]) == (got_dct["start"], got_dct["end"])  # same span either way
    assert timex.is_valid_value(got["value"]) and timex.type_agrees(got["value"], got["type"])


def test_a_day_that_exists_in_no_year_is_no_date():
    assert [d["text"] for d in find_dates("On 30 February the talks began.", None)] == ["February"]


def test_rules_extract_everything_without_a_dct():
    ex = RuleExtractor(make_registry())
    with_dct = ex.extract({"id": "a", "text": ARTICLE, "publication_date": "2023-06-16"})
    without = ex.extract({"id": "a", "text": ARTICLE, "publication_date": None})
    missing_key = ex.extract({"id": "a", "text": ARTICLE})
    assert without == missing_key
    # casualties and actors do not depend on the DCT
    assert without["casualties"] == with_dct["casualties"]
    assert without["actors"] == with_dct["actors"]
    assert [(c["text"], c["count"], c["kind"]) for c in without["casualties"]] == [
        ("11 soldiers", 11, "injured"), ("at least 3 people", 3, "killed")]
    assert [(d["text"], d["value"]) for d in with_dct["dates"]] == [
        ("Thursday", "2023-06-15"), ("12 June 2023", "2023-06-12")]
    assert [(d["text"], d["value"]) for d in without["dates"]] == [
        ("Thursday", "XXXX-WXX-4"), ("12 June 2023", "2023-06-12")]


def test_guidelines_example():
    """The §1.2 example of annotation/GUIDELINES.md, as rules.v1 reads it."""
    text = ("Government forces shelled the town on Thursday, killing four people. "
            "The truce of 12 January 2020 had collapsed the day before.")
    pred = RuleExtractor(make_registry()).extract({"id": "g", "text": text, "publication_date": None})
    assert [(d["text"], d["value"], d["type"]) for d in pred["dates"]] == [
        ("Thursday", "XXXX-WXX-4", "DATE"), ("12 January 2020", "2020-01-12", "DATE")]
    assert [(c["text"], c["count"], c["qualifier"], c["kind"]) for c in pred["casualties"]] == [
        ("four people", 4, "exact", "killed")]


def test_guidelines_say_so(root):
    text = (root / "annotation" / "GUIDELINES.md").read_text(encoding="utf-8")
    assert "`publication_date: null`" in text and "`XXXX-WXX-4`" in text


@pytest.mark.parametrize("bad", ["", "17/01/2020", 20200117, "2020-02-30"])
def test_a_malformed_dct_is_still_an_error(bad):
    with pytest.raises(DataError, match="field 'publication_date'"):
        RuleExtractor(make_registry()).extract({"id": "x", "text": "x", "publication_date": bad})
    problems = validate_documents([_doc(bad)], None)
    assert problems and {p.field for p in problems} == {"publication_date"}


def test_validator_schema_and_card_accept_null():
    assert validate_documents([_doc(None)], None) == []
    assert dict((n, nullable) for n, _t, nullable, _d in DOCUMENT_FIELDS)["publication_date"] is True
    row = [line for line in schema_table().splitlines() if line.startswith("| `publication_date`")]
    assert row and "| yes |" in row[0]


def test_label_studio_round_trip_keeps_null():
    doc = _doc(None)
    data = task_data(doc)
    assert data["publication_date"] == "" and data["published"] == NO_DCT
    assert task_data(_doc("2020-01-17"))["published"] == "Published 2020-01-17"
    task, _skipped = document_to_task(doc, gold=True)
    back, problems = annotation_to_document(task["data"], task["annotations"][0]["result"], make_registry())
    assert problems == [] and back["publication_date"] is None
