"""The seed document: scored against itself (1.0 everywhere) and against crafted predictions
whose expected numbers are derived by hand from the gold file."""

from __future__ import annotations

import copy
import warnings

import pytest

from conflictbench.scoring.counts import Counts
from conflictbench.scoring import score

FIELDS = ("casualties", "actors", "dates")


def as_prediction(doc):
    return {"id": doc["id"], **{f: copy.deepcopy(doc[f]) for f in FIELDS}}


@pytest.mark.parametrize("level", ["mention", "value"])
@pytest.mark.parametrize("span_mode", ["strict", "overlap", "none"])
def test_seed_against_itself_is_perfect(corpus, seed_doc, level, span_mode):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = score(corpus, [as_prediction(seed_doc)], level=level, span_mode=span_mode, zero_division="warn")
    for f in res.fields:
        assert (f.precision, f.recall, f.f1) == (1.0, 1.0, 1.0), f.field
        assert (f.macro_precision, f.macro_recall, f.macro_f1) == (1.0, 1.0, 1.0)
        assert f.counts.fp == f.counts.fn == 0
        for a in f.attributes:
            assert a.accuracy == 1.0 and a.correct == a.total
    if level == "mention":
        # every gold mention is a pair
        assert [f.counts.tp for f in res.fields] == [len(seed_doc[f]) for f in FIELDS]
    else:
        # distinct values, enumerated straight from the gold file: a casualty figure is its
        # kind and its number (the qualifier is not part of it: "350,000" and "around 350,000
        # Syrians" are one value); an actor is its entity; a date its TIMEX3 value.
        # (For the seed as first committed these were 8, 12 and 11.)
        def figure(c):
            if c["qualifier"] == "range":
                return (c["kind"], c["count_low"], c["count_high"])
            return (c["kind"], "vague" if c["qualifier"] == "vague" else c["count"])

        expected = [len({figure(c) for c in seed_doc["casualties"]}),
                    len({a["entity"] for a in seed_doc["actors"]}),
                    len({d["value"] for d in seed_doc["dates"]})]
        assert [f.counts.tp for f in res.fields] == expected
        assert expected[0] < len(seed_doc["casualties"])  # the 350,000 figure is given twice
    assert res.missing == ()


def _find(spans, text):
    (i,) = [i for i, s in enumerate(spans) if s["text"] == text]
    return i


def test_crafted_casualties(corpus, seed_doc):
    pred = as_prediction(seed_doc)
    cas = pred["casualties"]
    cas[_find(cas, "At least 40 people")]["count"] = 41          # wrong number: 1 FP + 1 FN
    cas[_find(cas, "350,000")]["qualifier"] = "approx"           # still a pair; qualifier wrong
    cas[_find(cas, "19 civilians")]["victims"] = "people"        # still a pair; victims wrong
    for text in ("39 people", "Seventeen government troops and allied militia"):
        del cas[_find(cas, text)]                                # 2 FN
    cas.append({**cas[0], "start": 0, "end": 5, "text": seed_doc["text"][0:5], "count": 7})  # 1 FP
    res = score(corpus, [pred])
    f = res.field("casualties")
    # gold 9; predicted 9 - 2 + 1 = 8; pairs = 8 - 1 (wrong number) - 1 (spurious) = 6
    assert f.counts == Counts(tp=6, fp=2, fn=3)
    assert f.precision == pytest.approx(6 / 8)
    assert f.recall == pytest.approx(6 / 9)
    assert f.f1 == pytest.approx(12 / 17)
    acc = {a.name: (a.correct, a.total) for a in f.attributes}
    assert acc == {"qualifier": (5, 6), "victims": (5, 6)}
    # by kind: killed gold 5 -> pairs "22" and "19" (2 TP), FN "40","39","17" (3), FP "41" (1);
    # displaced gold 4 -> 4 TP, FP the spurious 7 copied from a displaced item (1)
    assert dict(f.by_label) == {"killed": Counts(2, 1, 3), "displaced": Counts(4, 1, 0)}
    # actors and dates untouched
    assert res.field("actors").f1 == res.field("dates").f1 == 1.0


def test_crafted_dates_headline_and_relaxed(corpus, seed_doc):
    pred = as_prediction(seed_doc)
    d = pred["dates"][_find(pred["dates"], "early December")]
    d["value"] = "2019-12-05"  # finer than the gold 2019-12: wrong value, same month
    n = len(seed_doc["dates"])
    strict = score(corpus, [pred]).field("dates")
    assert strict.counts == Counts(n - 1, 1, 1)
    relaxed = score(corpus, [pred], matchers={"dates": "dates.value-granularity.v1"}).field("dates")
    assert relaxed.counts == Counts(n, 0, 0)
    assert "match:dates.value-granularity.v1" in str(relaxed.signature)


def test_crafted_actor_text_only(corpus, seed_doc, registry):
    # an LLM-style prediction: actor mentions by text only, no offsets, no entity
    pred = {"id": seed_doc["id"], "actors": [{"text": a["text"]} for a in seed_doc["actors"]]}
    pred["actors"].append({"text": "Foo Brigade"})
    # expected, derived from the registry (not from the scorer): a mention pairs exactly
    # when the registry resolves its text to its gold entity
    ok = sum(registry.resolve(a["text"]) == a["entity"] for a in seed_doc["actors"])
    unresolved = sum(registry.resolve(a["text"]) is None for a in seed_doc["actors"]) + 1
    n = len(seed_doc["actors"])
    f = score(corpus, [pred], span_mode="none").field("actors")
    assert f.counts == Counts(ok, n + 1 - ok, n - ok)
    assert f.unresolved == unresolved
    # in strict mode, items without offsets pair with nothing
    assert score(corpus, [pred], span_mode="strict").field("actors").counts == Counts(0, n + 1, n)


def test_missing_document_scored_empty_and_reported(corpus, seed_doc):
    res = score(corpus, [])
    assert res.missing == (seed_doc["id"],)
    assert [f.counts for f in res.fields] == [Counts(0, 0, len(seed_doc[f])) for f in FIELDS]
