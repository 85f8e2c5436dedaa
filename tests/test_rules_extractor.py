"""rules.v1 end to end: a short article written for this test with every expected item
derived by hand, batch = single extraction, and every prediction valid against the schema."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflictbench.errors import DataError
from conflictbench.extractors.rules import RuleExtractor
from conflictbench.registrations import get_extractor
from conflictbench.validation import check_span_offsets, check_span_values

from .support.rules_registry import make_registry

DCT = "2023-06-14"  # a Wednesday
ARTICLE = (
    "Russian missiles struck Odesa on Tuesday, killing at least 3 people, Ukrainian officials said. "
    "Ukrainian forces said 11 soldiers were wounded late Monday. "
    "The UN said more than 2,000 civilians have fled the region since early June."
)


@pytest.fixture(scope="module")
def extractor():
    return RuleExtractor(make_registry())


def test_article(extractor):
    pred = extractor.extract({"id": "ua-1", "text": ARTICLE, "publication_date": DCT, "title": ""})
    assert pred["id"] == "ua-1"
    assert [(d["text"], d["value"], d["type"], d["mod"]) for d in pred["dates"]] == [
        ("Tuesday", "2023-06-13", "DATE", None),  # most recent Tuesday before Wed 14 June
        ("late Monday", "2023-06-12", "DATE", "END"),
        ("early June", "2023-06", "DATE", "START"),
    ]
    assert [
        (c["text"], c["qualifier"], c["count"], c["kind"], c["victims"]) for c in pred["casualties"]
    ] == [
        ("at least 3 people", "at_least", 3, "killed", "people"),
        ("11 soldiers", "exact", 11, "injured", "security_forces"),
        ("more than 2,000 civilians", "at_least", 2000, "displaced", "civilians"),
    ]
    assert [(a["text"], a["entity"], a["type"]) for a in pred["actors"]] == [
        ("Russian", "russia", "foreign_state"),  # "Russian missiles": the party
        ("Ukrainian", "ukraine_government", "state_forces"),  # "Ukrainian officials"
        ("Ukrainian forces", "ukraine_government", "state_forces"),
        ("UN", "un", "international_org"),
        ("civilians", "civilians", "civilians"),
    ]
    for field in ("casualties", "actors", "dates"):
        for item in pred[field]:
            assert ARTICLE[item["start"] : item["end"]] == item["text"]


def test_registered_factory_uses_the_embedded_registry(registry):
    ex = get_extractor("rules.v1")
    assert ex.name == "rules.v1"
    assert set(ex.registry.actors) == set(registry.actors)


def test_factory_takes_the_registry_of_a_given_corpus(corpus):
    from dataclasses import replace

    other = replace(corpus, registry=make_registry())
    ex = get_extractor("rules.v1", corpus=other)
    assert ex.registry is other.registry
    pred = ex.extract({"id": "x", "text": "Houthi rebels said so.", "publication_date": DCT})
    assert [a["entity"] for a in pred["actors"]] == ["houthis"]


SENTENCES = [
    ARTICLE,
    "Gunmen abducted 80 schoolgirls in Zamfara on Friday night.",
    "The Tatmadaw said 14 rebels were killed in Sagaing last week.",
    "Some 200 families were displaced by the clashes in Darfur in May 2023.",
    "Houthi rebels said a Saudi-led coalition strike killed 7 civilians two days ago.",
    "",
]

DOCS = [{"id": f"d{i}", "text": t, "publication_date": DCT} for i, t in enumerate(SENTENCES)]


@given(st.permutations(DOCS))
def test_batch_equals_single_in_any_order(extractor, docs):
    singles = {d["id"]: extractor.extract(d) for d in docs}
    batch = list(extractor.extract_batch(docs))
    assert [p["id"] for p in batch] == [d["id"] for d in docs]
    assert {p["id"]: p for p in batch} == singles


@given(st.lists(st.sampled_from(SENTENCES + ["  ", "\n", "12", "killed", ",", "Syrian"]), max_size=8))
def test_predictions_are_valid_spans(extractor, parts):
    text = " ".join(parts)
    pred = extractor.extract({"id": "x", "text": text, "publication_date": DCT})
    reg = extractor.registry
    for field in ("casualties", "actors", "dates"):
        for span in pred[field]:
            assert check_span_offsets(span, text, require=True) == []
            assert check_span_values(field, span, registry=reg) == []


@pytest.mark.parametrize(
    "view,message",
    [
        ({"id": "a", "text": None, "publication_date": DCT}, "document 'a': field 'text'"),
        ({"id": "b", "text": "x", "publication_date": "17/01/2020"}, "document 'b': field 'publication_date'"),
        ({"id": "c", "text": "x", "publication_date": 20200117}, "document 'c': field 'publication_date'"),
    ],
)
def test_bad_view(extractor, view, message):
    with pytest.raises(DataError, match=message):
        extractor.extract(view)


def test_seed_predictions_are_valid(seed_doc, registry):
    from conflictbench.extractors.base import document_view

    ex = RuleExtractor(registry)
    pred = ex.extract(document_view(seed_doc))
    for field in ("casualties", "actors", "dates"):
        assert pred[field], field
        for span in pred[field]:
            assert check_span_offsets(span, seed_doc["text"], require=True) == []
            assert check_span_values(field, span, registry=registry) == []


@given(st.lists(st.sampled_from(list("ab12 ,\n\t.") + [" killed", " people", "  "]), max_size=40).map("".join))
def test_squeezed_offsets_round_trip(text):
    from conflictbench.extractors.rules.extractor import Squeezed

    sq = Squeezed(text)
    assert " " * 2 not in sq.text and "\n" not in sq.text
    for j, ch in enumerate(sq.text):
        i = sq.to_original(j)
        assert text[i] == ch or (ch == " " and text[i].isspace())
        assert sq.to_squeezed(i) == j
    for i, ch in enumerate(text):  # every original character maps into the squeezed text
        j = sq.to_squeezed(i)
        assert 0 <= j < len(sq.text) and (sq.text[j] == ch or (ch.isspace() and sq.text[j] == " "))


@given(st.text(max_size=300))
def test_any_text_gives_valid_spans(extractor, text):
    pred = extractor.extract({"id": "x", "text": text, "publication_date": DCT})
    for field in ("casualties", "actors", "dates"):
        for span in pred[field]:
            assert check_span_offsets(span, text, require=True) == []
            assert check_span_values(field, span, registry=extractor.registry) == []


def test_parallel_equals_sequential():
    ex = RuleExtractor(make_registry(), batch_size=2)
    docs = DOCS * 2
    assert list(ex.extract_batch(docs, n_process=2)) == list(ex.extract_batch(docs))
