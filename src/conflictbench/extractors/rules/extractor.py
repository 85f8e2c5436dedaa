"""``rules.v1``: the rule-based baseline, a spaCy pipeline on ``spacy.blank("en")`` — no
model download.

* actors — an EntityRuler fed from the corpus actor registry (ids and aliases) and the
  unnamed-party patterns of ``data/patterns/parties.jsonl`` (see :mod:`.actors`);
* casualties — token patterns from ``data/patterns/casualty_*.jsonl`` (see
  :mod:`.casualties`; individual victims without a number word in
  :mod:`.individuals`), counts normalised by :mod:`.numbers`;
* dates — :mod:`.temporal`, anchored on the document's ``publication_date`` (when it is
  null, relative dates get the TIMEX3 underspecified form, ``XXXX-WXX-4``).

The pipeline is built once per extractor; :meth:`RuleExtractor.extract_batch` streams
documents through ``nlp.pipe``.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import Any, Iterable, Iterator

from ...actors import ActorRegistry
from ...errors import DataError
from ..base import Document, Prediction, check_view
from .patterns import load_patterns, pattern_path, ruler_patterns

NAME = "rules.v1"


def default_registry() -> ActorRegistry:
    """The embedded corpus's actor registry (``corpus/actors.jsonl``)."""
    from ...corpus import REGISTRY_FILE, default_corpus_dir

    path = default_corpus_dir() / REGISTRY_FILE
    if not path.is_file():
        raise DataError(f"{path}: actor registry not found (build the corpus or pass a registry)")
    return ActorRegistry.load(path)


def build_pipeline(registry: ActorRegistry, *, patterns_dir: str | Path | None = None):
    """``(nlp, matcher)``: the blank English pipeline with its EntityRuler, and the
    compiled casualty matcher (all patterns validated)."""
    import spacy

    from .actors import registry_patterns
    from .casualties import load_casualty_matcher

    def path(name: str) -> Path:
        return Path(patterns_dir) / name if patterns_dir else pattern_path(name)

    nlp = spacy.blank("en")
    # registry names (case-sensitive) and unnamed parties in one ruler: the longest match wins
    ruler = nlp.add_pipe("entity_ruler", config={"validate": True})
    parties = ruler_patterns(nlp.vocab, load_patterns(path("parties.jsonl")))
    ruler.add_patterns(registry_patterns(registry) + parties)
    matcher = load_casualty_matcher(nlp.vocab, patterns_dir=patterns_dir)
    return nlp, matcher


class RuleExtractor:
    """Rule baseline; ``extract(view)`` / ``extract_batch(views)`` → predictions."""

    name = NAME

    def __init__(self, registry: ActorRegistry | None = None, *, batch_size: int = 64) -> None:
        self.registry = registry if registry is not None else default_registry()
        self.batch_size = batch_size
        self.nlp, self.matcher = build_pipeline(self.registry)

    def extract(self, document: Document) -> Prediction:
        return next(self.extract_batch([document]))

    def extract_batch(self, documents: Iterable[Document], *, n_process: int = 1) -> Iterator[Prediction]:
        """Predictions in input order; ``n_process > 1`` splits the documents over forked
        worker processes that share this extractor (POSIX only)."""
        docs = list(documents)
        for view in docs:
            check_view(view)
        if n_process > 1 and len(docs) > self.batch_size:
            yield from _parallel(self, docs, n_process)
            return
        squeezed = [Squeezed(view["text"]) for view in docs]
        texts = (sq.text for sq in squeezed)
        for view, sq, doc in zip(docs, squeezed, self.nlp.pipe(texts, batch_size=self.batch_size)):
            yield self._predict(view, doc, sq)

    def _predict(self, view: Document, doc: Any, sq: "Squeezed") -> Prediction:
        from .actors import find_actors
        from .casualties import Tokens, find_casualties
        from .temporal import find_dates

        dates = find_dates(view["text"], view.get("publication_date"))
        blocked = [(sq.to_squeezed(d["start"]), sq.to_squeezed(d["end"] - 1) + 1) for d in dates]
        tokens = Tokens(doc, sq.text)
        casualties = find_casualties(doc, self.matcher, blocked, tokens=tokens)
        actors = find_actors(doc, self.registry, title=view.get("title") or "", tokens=tokens)
        return {
            "id": view["id"],
            "casualties": [sq.restore(c) for c in casualties],
            "actors": [sq.restore(a) for a in actors],
            "dates": dates,
        }


class Squeezed:
    """A text with every whitespace run made one space, for the tokenizer (so that line
    breaks inside a sentence do not split patterns), and the offset maps back and forth."""

    _RUN = re.compile(r"\s{2,}|[^\S ]")

    def __init__(self, text: str) -> None:
        self.original = text
        pieces: list[str] = []
        self._pos, self._shift = [0], [0]  # from squeezed offset _pos[i] on, add _shift[i]
        last = shift = 0
        for m in self._RUN.finditer(text):
            pieces += [text[last : m.start()], " "]
            shift += m.end() - m.start() - 1
            self._pos.append(m.end() - shift)  # squeezed offset of the first character after the run
            self._shift.append(shift)
            last = m.end()
        self.text = "".join(pieces) + text[last:] if pieces else text
        self._orig = [p + s for p, s in zip(self._pos, self._shift)]

    def to_original(self, offset: int) -> int:
        """The original offset of a squeezed offset that is not inside a squeezed run."""
        return offset + self._shift[bisect.bisect_right(self._pos, offset) - 1]

    def to_squeezed(self, offset: int) -> int:
        """The squeezed offset of an original offset (a run's characters map to its space)."""
        i = bisect.bisect_right(self._orig, offset) - 1
        out = offset - self._shift[i]
        return min(out, self._pos[i + 1] - 1) if i + 1 < len(self._pos) else out

    def restore(self, span: dict[str, Any]) -> dict[str, Any]:
        """A span predicted on the squeezed text, with offsets and text of the original."""
        start, end = self.to_original(span["start"]), self.to_original(span["end"] - 1) + 1
        return {**span, "start": start, "end": end, "text": self.original[start:end]}


_WORKER: "RuleExtractor | None" = None


def _work(chunk: list[Document]) -> list[Prediction]:
    assert _WORKER is not None
    return list(_WORKER.extract_batch(chunk))


def _parallel(extractor: "RuleExtractor", docs: list[Document], n_process: int) -> Iterator[Prediction]:
    import multiprocessing

    global _WORKER
    size = extractor.batch_size
    chunks = [docs[i : i + size] for i in range(0, len(docs), size)]
    _WORKER = extractor  # inherited by the forked workers: no pipeline rebuild
    try:
        with multiprocessing.get_context("fork").Pool(n_process) as pool:
            for preds in pool.imap(_work, chunks):
                yield from preds
    finally:
        _WORKER = None


def make_rules_extractor(*, corpus: Any = None) -> RuleExtractor:
    """The rule baseline on the actor registry of ``corpus`` (a
    :class:`~conflictbench.corpus.Corpus`: its registry only, never its annotations), or of
    the embedded corpus when none is given."""
    return RuleExtractor(corpus.registry if corpus is not None else None)
