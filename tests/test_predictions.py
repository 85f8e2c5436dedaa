"""Reading prediction files: every bad input is one DataError naming file:line and field."""

from __future__ import annotations

import json

import jsonschema
import pytest

from conflictbench.errors import DataError
from conflictbench.predictions import prediction_schema, read_predictions, write_predictions
from conflictbench.schema import VOCABULARIES

SEED = "thenational-2020-01-17-idlib-offensive"


def write(tmp_path, *records, raw=None):
    p = tmp_path / "preds.jsonl"
    lines = [json.dumps(r) for r in records] + ([raw] if raw is not None else [])
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_seed_round_trip(tmp_path, corpus, seed_doc):
    pred = {"id": SEED, **{f: seed_doc[f] for f in ("casualties", "actors", "dates")}}
    path = tmp_path / "out.jsonl"
    write_predictions(path, [pred], meta={"corpus_fingerprint": corpus.fingerprint, "extractor": "gold"})
    pf = read_predictions(path, corpus)
    assert pf.predictions[SEED] == pred
    assert pf.meta["extractor"] == "gold" and pf.missing == ()


def test_minimal_lines_accepted(tmp_path, corpus):
    # offsets optional, fields optional, actors by text only, victims/type may be left out
    p = write(tmp_path, {"id": SEED, "casualties": [{"kind": "killed", "qualifier": "exact", "count": 40}],
                         "actors": [{"text": "Moscow"}], "dates": [{"value": "2020-01-16"}]})
    pred = read_predictions(p, corpus).predictions[SEED]
    assert pred["casualties"][0]["count"] == 40 and pred["casualties"][0]["start"] is None
    assert pred["actors"][0]["entity"] is None and pred["actors"][0]["text"] == "Moscow"


def test_missing_document_reported_not_an_error(tmp_path, corpus):
    p = tmp_path / "empty.jsonl"
    p.write_text("", encoding="utf-8")
    pf = read_predictions(p, corpus)
    assert pf.predictions == {} and pf.missing == (SEED,)


def test_document_outside_selection_reported(tmp_path, corpus):
    pf = read_predictions(write(tmp_path, {"id": SEED}), corpus, doc_ids=[])
    assert pf.outside == (SEED,) and pf.predictions == {}


CAS = {"kind": "killed", "qualifier": "exact", "count": 3}

BAD = [
    ("json", [], "{\"id\": ", ":1: not valid JSON"),
    ("not-object", [], "[1, 2]", ":1: expected a JSON object"),
    ("unknown-id", [{"id": "nope"}], None, ":1: field id: unknown document id 'nope'"),
    ("duplicate", [{"id": SEED}, {"id": SEED}], None, ":2: field id: duplicate document id .* \\(first at line 1\\)"),
    ("unknown-field", [{"id": SEED, "casualty": []}], None, ":1: field \\(line\\): Additional properties"),
    ("unknown-kind", [{"id": SEED, "casualties": [{**CAS, "kind": "kiled"}]}], None,
     ":1: field casualties\\[0\\].kind: 'kiled' is not one of"),
    ("unknown-actor-type", [{"id": SEED, "actors": [{"text": "UN", "type": "club"}]}], None,
     ":1: field actors\\[0\\].type"),
    ("unknown-date-type", [{"id": SEED, "dates": [{"value": "2020", "type": "YEAR"}]}], None,
     ":1: field dates\\[0\\].type"),
    ("actor-without-name", [{"id": SEED, "actors": [{"type": "person"}]}], None,
     ":1: field actors\\[0\\]: an actor needs an 'entity'"),
    ("offsets-outside", [{"id": SEED, "casualties": [{**CAS, "start": 10, "end": 99999}]}], None,
     ":1: document '.*', field casualties\\[0\\].start: offsets \\[10, 99999\\) are outside the text"),
    ("offsets-one-sided", [{"id": SEED, "dates": [{"value": "2020", "start": 3}]}], None,
     ":1: document .*, field dates\\[0\\].start: start and end must both be integers"),
    ("span-text", [{"id": SEED, "actors": [{"entity": "un", "start": 111, "end": 113, "text": "EU"}]}], None,
     ":1: document .*, field actors\\[0\\].text: span text 'EU' != text\\[111:113\\] = 'UN'"),
    ("range-no-bounds", [{"id": SEED, "casualties": [{"kind": "killed", "qualifier": "range", "count_low": 3}]}],
     None, ":1: document .*, field casualties\\[0\\].count_low: qualifier 'range' needs"),
    ("bad-timex", [{"id": SEED, "dates": [{"value": "16 Jan 2020"}]}], None,
     ":1: document .*, field dates\\[0\\].value: '16 Jan 2020' is not a well-formed TIMEX3 value"),
    ("fingerprint", [{"meta": {"corpus_fingerprint": "000000000000"}}, {"id": SEED}], None,
     ":1: field meta.corpus_fingerprint: the predictions were made on corpus '000000000000'"),
    ("late-header", [{"id": SEED}, {"meta": {}}], None, ":2: field meta: the header must be the first line"),
]


@pytest.mark.parametrize("name, records, raw, message", BAD, ids=[b[0] for b in BAD])
def test_bad_input_one_clear_error(tmp_path, corpus, name, records, raw, message):
    p = write(tmp_path, *records, raw=raw)
    with pytest.raises(DataError, match=f"^{p}" + message):
        read_predictions(p, corpus)


def test_unreadable_file(tmp_path, corpus):
    with pytest.raises(DataError, match="cannot read predictions"):
        read_predictions(tmp_path / "absent.jsonl", corpus)


def test_invalid_utf8(tmp_path, corpus):
    p = tmp_path / "bad.jsonl"
    p.write_bytes(b'{"id": "\xff"}\n')
    with pytest.raises(DataError, match="not valid UTF-8"):
        read_predictions(p, corpus)


# --- the JSON Schema file is data: valid, and in step with schema.py ----------------------


def test_schema_file_is_a_valid_schema():
    schema = prediction_schema()
    jsonschema.validators.validator_for(schema).check_schema(schema)


def test_schema_enums_match_the_vocabularies():
    defs = prediction_schema()["$defs"]
    names = {"casualties": "casualty", "actors": "actor", "dates": "date"}
    for field, vocab in VOCABULARIES.items():
        props = defs[names[field]]["properties"]
        for attr, allowed in vocab.items():
            assert [v for v in props[attr]["enum"] if v is not None] == list(allowed), (field, attr)


def test_schema_accepts_documented_examples_and_header():
    schema = prediction_schema()
    v = jsonschema.validators.validator_for(schema)(schema)
    v.validate({"meta": {"corpus_fingerprint": "abc", "extractor": "rules.v1"}})
    v.validate({"id": "d", "casualties": [{"kind": "injured", "qualifier": "range", "count_low": 2,
                                           "count_high": 4}], "actors": [{"text": "Moscow"}], "dates": []})
    with pytest.raises(jsonschema.ValidationError):
        v.validate({"id": "d", "dates": [{"type": "DATE"}]})
