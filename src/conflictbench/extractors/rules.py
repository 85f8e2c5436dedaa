"""``rules.v1``: the rule-based baseline, a spaCy pipeline on ``spacy.blank("en")`` — no
model download.

* actors — an EntityRuler fed from the corpus actor registry (ids and aliases) and the
  unnamed-party patterns of ``data/patterns/parties.jsonl`` (see :mod:`.actor_rules`);
* casualties — token patterns from ``data/patterns/casualty_*.jsonl`` (see
  :mod:`.casualty_rules`), counts normalised by :mod:`.numbers`;
* dates — :mod:`.temporal`, anchored on the document's ``publication_date``.

The pipeline is built once per extractor; :meth:`RuleExtractor.extract_batch` streams
documents through ``nlp.pipe``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator

from ..actors import ActorRegistry
from ..errors import DataError
from ..registry import extractors
from .base import Document, Prediction
from .patterns import build_matcher, load_patterns, pattern_path, ruler_patterns

NAME = "rules.v1"


def default_registry() -> ActorRegistry:
    """The embedded corpus's actor registry (``corpus/actors.jsonl``)."""
    from ..corpus import REGISTRY_FILE, default_corpus_dir

    path = default_corpus_dir() / REGISTRY_FILE
    if not path.is_file():
        raise DataError(f"{path}: actor registry not found (build the corpus or pass a registry)")
    return ActorRegistry.load(path)


def build_pipeline(registry: ActorRegistry, *, patterns_dir: str | Path | None = None):
    """``(nlp, matchers)``: the blank English pipeline with its EntityRuler, and the
    compiled casualty matchers (all patterns validated)."""
    import spacy

    from .actor_rules import registry_patterns

    def path(name: str) -> Path:
        return Path(patterns_dir) / name if patterns_dir else pattern_path(name)

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"validate": True, "overwrite_ents": True})
    parties = load_patterns(path("parties.jsonl"))
    try:
        ruler.add_patterns(registry_patterns(registry) + ruler_patterns(parties))
    except ValueError as exc:
        raise DataError(f"{path('parties.jsonl')}: invalid EntityRuler pattern: {exc}") from None
    matchers = {
        key: build_matcher(nlp.vocab, load_patterns(path(f"casualty_{key}.jsonl")))
        for key in ("quantities", "victims", "triggers")
    }
    return nlp, matchers


class RuleExtractor:
    """Rule baseline; ``extract(view)`` / ``extract_batch(views)`` → predictions."""

    name = NAME

    def __init__(self, registry: ActorRegistry | None = None, *, batch_size: int = 64) -> None:
        self.registry = registry if registry is not None else default_registry()
        self.batch_size = batch_size
        self.nlp, self.matchers = build_pipeline(self.registry)

    def extract(self, document: Document) -> Prediction:
        return next(self.extract_batch([document]))

    def extract_batch(self, documents: Iterable[Document]) -> Iterator[Prediction]:
        docs = list(documents)
        for view in docs:
            _check_view(view)
        texts = (view["text"] for view in docs)
        for view, doc in zip(docs, self.nlp.pipe(texts, batch_size=self.batch_size)):
            yield self._predict(view, doc)

    def _predict(self, view: Document, doc: Any) -> Prediction:
        from .actor_rules import find_actors
        from .casualty_rules import find_casualties
        from .temporal import find_dates

        dates = find_dates(view["text"], view["publication_date"])
        blocked = [(d["start"], d["end"]) for d in dates]
        return {
            "id": view["id"],
            "casualties": find_casualties(doc, self.matchers, blocked),
            "actors": find_actors(doc, self.registry, title=view.get("title") or ""),
            "dates": dates,
        }


def _check_view(view: Document) -> None:
    from ..validation import parse_publication_date

    where = f"document {view.get('id')!r}" if isinstance(view, dict) else "document"
    if not isinstance(view, dict) or not isinstance(view.get("text"), str):
        raise DataError(f"{where}: field 'text' must be a string")
    if parse_publication_date(view.get("publication_date")) is None:
        raise DataError(
            f"{where}: field 'publication_date' must be an ISO 8601 date, "
            f"got {view.get('publication_date')!r}"
        )


@extractors.register(NAME)
def make_rules_extractor() -> RuleExtractor:
    return RuleExtractor()
