"""``spacy-ner.v1``: the statistical baseline — a pretrained English spaCy pipeline's named
entities mapped to the schema.

* ORG / NORP / GPE / PERSON / FAC entities → actors, resolved through the corpus actor
  registry, with the rule baseline's span and geography policy (:mod:`.rules.actors`:
  no leading article or trailing role noun, no "the Turkish border", no "in Ankara");
  an entity the registry does not know is not predicted (a prediction needs a registry id);
* DATE / TIME entities → dates, normalised by the rule baseline's normaliser
  (:func:`.rules.temporal.find_dates`, anchored on the ``publication_date``); an entity with no
  normalisable expression inside is not predicted (it has no TIMEX3 value);
* CARDINAL entities next to a casualty trigger → casualties, with the rule baseline's
  victim-noun and trigger patterns (:mod:`.rules.casualties`).

The pipeline is named by ``CONFLICTBENCH_SPACY_MODEL`` (a package name or a path; default
``en_core_web_sm``). No pretrained pipeline is a dependency of conflictbench: where it is
not installed the factory raises :class:`~conflictbench.errors.ExtractorUnavailable`.
"""

from __future__ import annotations

import os
from typing import Any, Iterable, Iterator

from ..actors import ActorRegistry
from ..errors import ExtractorUnavailable
from .base import Document, Prediction, check_view

NAME = "spacy-ner.v1"
MODEL_ENV = "CONFLICTBENCH_SPACY_MODEL"
DEFAULT_MODEL = "en_core_web_sm"
ACTOR_LABELS = frozenset({"ORG", "NORP", "GPE", "PERSON", "FAC"})
DATE_LABELS = frozenset({"DATE", "TIME"})


def load_model(name: str) -> Any:
    import spacy

    try:
        return spacy.load(name, exclude=["lemmatizer"])
    except (OSError, IOError):
        raise ExtractorUnavailable(
            f"{NAME}: spaCy pipeline {name!r} is not installed; install an English pipeline "
            f"package (e.g. `python -m spacy download {DEFAULT_MODEL}` where a network is "
            f"available) or set {MODEL_ENV} to an installed pipeline's name or path"
        ) from None


class SpacyNerExtractor:
    name = NAME

    def __init__(self, model: str | None = None, registry: ActorRegistry | None = None) -> None:
        from .rules.casualties import load_casualty_matcher
        from .rules.extractor import default_registry

        self.model_name = model or os.environ.get(MODEL_ENV) or DEFAULT_MODEL
        self.nlp = load_model(self.model_name)
        if "ner" not in self.nlp.pipe_names and "entity_ruler" not in self.nlp.pipe_names:
            raise ExtractorUnavailable(
                f"{NAME}: spaCy pipeline {self.model_name!r} has no entity recogniser "
                f"(pipes: {', '.join(self.nlp.pipe_names) or 'none'})"
            )
        self.registry = registry if registry is not None else default_registry()
        self.matcher = load_casualty_matcher(self.nlp.vocab, ("victims", "triggers"))

    def extract(self, document: Document) -> Prediction:
        return next(self.extract_batch([document]))

    def extract_batch(self, documents: Iterable[Document]) -> Iterator[Prediction]:
        docs = list(documents)
        for view in docs:
            check_view(view)
        for view, doc in zip(docs, self.nlp.pipe(v["text"] for v in docs)):
            yield self._predict(view, doc)

    def _predict(self, view: Document, doc: Any) -> Prediction:
        from .rules.actors import is_geographic, trim_mention
        from .rules.casualties import casualty_at, index_matches
        from .rules.temporal import find_dates

        actors, dates, casualties = [], [], []
        index = index_matches(doc, self.matcher, view["text"])
        tk = index[0]
        for ent in doc.ents:
            if ent.label_ in ACTOR_LABELS:
                start, end = trim_mention(tk, ent.start, ent.end, self.registry, None)
                entity = self.registry.resolve(tk.doc_text[tk.start[start] : tk.end[end - 1]])
                if entity is None:
                    continue
                start, end = trim_mention(tk, start, end, self.registry, entity)
                if is_geographic(tk, start, end, self.registry.get(entity)):
                    continue
                s, e = tk.start[start], tk.end[end - 1]
                actors.append(
                    {"start": s, "end": e, "text": tk.doc_text[s:e], "entity": entity,
                     "type": self.registry.get(entity).type}
                )  # fmt: skip
            elif ent.label_ in DATE_LABELS:
                for d in find_dates(ent.text, view.get("publication_date")):
                    s = ent.start_char + d["start"]
                    dates.append({**d, "start": s, "end": s + len(d["text"])})
            elif ent.label_ == "CARDINAL":
                found = casualty_at(ent.start, ent.end, index)
                if found is not None:
                    casualties.append(found)
        return {"id": view["id"], "casualties": casualties, "actors": actors, "dates": dates}


def make_spacy_ner_extractor(*, corpus: Any = None) -> SpacyNerExtractor:
    """The spaCy NER baseline on the actor registry of ``corpus`` (registry only), or of the
    embedded corpus when none is given."""
    return SpacyNerExtractor(registry=corpus.registry if corpus is not None else None)
