"""Round trips of arbitrary valid documents through the on-disk formats."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings

from conflictbench.actors import ActorRegistry
from conflictbench.card import gold_card
from conflictbench.corpus import load_corpus, read_gold_source, write_corpus, write_gold_source
from conflictbench.schema import normalise_document
from conflictbench.validation import validate_documents

from .conftest import ROOT
from conflictbench.testing import corpora

REGISTRY = ActorRegistry.load(ROOT / "annotation" / "actors.jsonl")
IDS = sorted(REGISTRY.actors)


@given(corpora(IDS))
def test_generated_documents_are_valid(docs):
    assert validate_documents(docs, REGISTRY) == []


@given(corpora(IDS))
@settings(max_examples=15)
def test_parquet_round_trip(docs):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "c"
        write_corpus(out, {"test": docs}, REGISTRY, card=gold_card({"test": docs}, REGISTRY))
        loaded = load_corpus(out)
    assert list(loaded.documents) == [normalise_document(d) for d in docs]


@given(corpora(IDS))
def test_gold_source_round_trip(docs):
    with tempfile.TemporaryDirectory() as tmp:
        write_gold_source(docs, tmp)
        back = read_gold_source(tmp)
    assert [normalise_document(d) for d in back] == [
        normalise_document(d) for d in sorted(docs, key=lambda d: d["id"])
    ]


def test_load_dataset_reads_a_written_corpus_with_astral_text(tmp_path):
    from datasets import load_dataset

    text = "🇸🇾 At least 3 👨‍👩‍👧 people\r\nkilled"
    doc = {
        "id": "astral", "text": text, "title": "t", "source": "s", "url": None, "language": "en",
        "publication_date": "2020-01-17",
        "casualties": [{"start": 3, "end": 26, "text": text[3:26], "count": 3, "qualifier": "at_least",
                        "kind": "killed", "victims": "people"}],
        "actors": [], "dates": [],
    }
    assert text[3:26] == "At least 3 👨‍👩‍👧 people"  # code points: the flag is 2, the family emoji 5
    write_corpus(tmp_path / "c", {"test": [doc]}, REGISTRY, card=gold_card({"test": [doc]}, REGISTRY))
    ds = load_dataset(str(tmp_path / "c"), cache_dir=str(tmp_path / "cache"))
    row = ds["test"][0]
    assert row["text"] == text
    c = row["casualties"][0]
    assert row["text"][c["start"] : c["end"]] == c["text"]
