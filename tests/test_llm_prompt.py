"""The prompt of llm.v1 is data: examples drawn from the guidelines (never from a corpus
document), valid answers, a schema derived from the prediction schema, a hash in the signature."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from conflictbench.extractors.llm import prompt as P
from conflictbench.extractors.llm.extractor import LLMExtractor
from conflictbench.predictions import check_prediction, prediction_schema

from .conftest import ROOT


def _guidelines_quotes() -> list[str]:
    """Every block quote of annotation/GUIDELINES.md as plain text (emphasis removed, lines joined)."""
    text = (ROOT / "annotation" / "GUIDELINES.md").read_text("utf-8")
    quotes, cur = [], []
    for line in text.splitlines() + [""]:
        if line.startswith(">"):
            cur.append(line[1:].strip())
        elif cur:
            quotes.append(" ".join(cur).replace("**", ""))
            cur = []
    return quotes


def test_every_example_is_a_guidelines_passage():
    quotes = _guidelines_quotes()
    assert P.examples()
    for ex in P.examples():
        assert ex.text in quotes, ex.source
        assert ex.source.startswith("annotation/GUIDELINES.md §6")  # §6: constructed, beyond the seed


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s) > 20]


def _assert_no_example_in(documents) -> int:
    n = 0
    for doc in documents:
        body = " ".join((doc["text"] or "").split())
        for ex in P.examples():
            for sent in _sentences(ex.text):
                assert sent not in body, (doc["id"], sent)
        n += 1
    return n


def test_no_example_text_occurs_in_the_embedded_corpus(corpus):
    assert _assert_no_example_in(corpus.documents) == len(corpus.documents)


@pytest.mark.muc
def test_no_example_text_occurs_in_muc4(shared):
    from conflictbench.muc import read_muc4

    docs, _, _ = read_muc4(shared / "datasets" / "muc34.tar.gz")
    assert _assert_no_example_in([d for split in docs.values() for d in split]) > 1000


def test_example_answers_follow_the_schema_and_the_prediction_rules():
    validator = jsonschema.Draft202012Validator(P.response_schema())
    for k, ex in enumerate(P.examples()):
        validator.validate(ex.answer)
        doc = {"id": f"ex{k}", "text": ex.text}
        pred = {"id": doc["id"]}
        for field, items in ex.answer.items():
            spans = []
            for item in items:
                start = ex.text.index(item["text"])  # every answer string is in its passage verbatim
                spans.append({**item, "start": start, "end": start + len(item["text"])})
            pred[field] = spans
        check_prediction(pred, doc, where=ex.source)


def test_the_response_schema_is_derived_from_the_prediction_schema():
    schema = P.response_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    defs = prediction_schema()["$defs"]
    for field, name in P.ITEM_DEFS.items():
        items = schema["properties"][field]["items"]
        asked = set(items["properties"])
        assert asked == set(defs[name]["properties"]) - set(P.NOT_ASKED)
        assert list(items["properties"])[0] == "text" and set(items["required"]) == asked
        for attr, spec in items["properties"].items():
            if "enum" in spec:
                assert spec["enum"] == defs[name]["properties"][attr]["enum"]
        assert schema["properties"][field]["maxItems"] == P.MAX_ITEMS


def test_the_prompt_hash_covers_every_file_and_enters_the_signature(monkeypatch):
    x = LLMExtractor(base_url="http://127.0.0.1:9/v1", model="m")
    before = P.prompt_hash()
    assert f"prompt:{before}" in x.signature and "model:m" in x.signature
    real = P._read
    for name in P.PROMPT_FILES:
        P.prompt_hash.cache_clear()
        monkeypatch.setattr(P, "_read", lambda n, _name=name: real(n) + (" " if n == _name else ""))
        assert P.prompt_hash() != before, name
        monkeypatch.undo()
        P.prompt_hash.cache_clear()
    assert P.prompt_hash() == before


def test_messages_hold_the_examples_then_the_chunk():
    msgs = P.messages("Text with {braces} and {text}.", "2020-01-17")
    assert [m["role"] for m in msgs] == ["system"] + ["user", "assistant"] * len(P.examples()) + ["user"]
    assert msgs[-1]["content"] == "Publication date: 2020-01-17\n\nText with {braces} and {text}.\n"
    assert json.loads(msgs[2]["content"]) == P.examples()[0].answer
