"""A small multi-document corpus (seed + documents that trigger test extractors' failures),
written with the real corpus writer into a temporary folder."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _doc(doc_id, text, actors=()):
    return {"id": doc_id, "text": text, "title": doc_id, "source": "test", "url": None, "language": "en",
            "publication_date": "2020-01-17", "casualties": [], "actors": list(actors), "dates": []}


def _actor(text, word, entity, type_):
    start = text.index(word)
    return {"start": start, "end": start + len(word), "text": word, "entity": entity, "type": type_,
            "optional": False}


OK_TEXT = "Moscow said troops from Russia were in Idlib."
SMALL_DOCS = [
    _doc("a-ok", OK_TEXT, [_actor(OK_TEXT, "Moscow", "russia", "foreign_state"),
                           _actor(OK_TEXT, "Russia", "russia", "foreign_state")]),
    _doc("b-boom", "BOOM went Moscow."),
    _doc("c-garbage", "GARBAGE about Russia."),
    _doc("d-sleep", "SLEEP now."),
    _doc("e-crash", "CRASH here. <script>alert(1)</script> & more"),
    _doc("f-otherid", "OTHERID in Russia."),
]


def write_small_corpus(out: Path):
    from conflictbench.actors import ActorRegistry
    from conflictbench.corpus import load_corpus, read_gold_source, write_corpus

    registry = ActorRegistry.load(ROOT / "annotation" / "actors.jsonl")
    seed = read_gold_source(ROOT / "annotation" / "gold")
    write_corpus(out, {"dev": SMALL_DOCS, "test": seed}, registry, card="# test corpus\n")
    return load_corpus(out)
