"""The extractor interface every system implements (or is wrapped into).

An extractor receives a *document view*: the corpus row without gold annotations
(``id``, ``text``, ``title``, ``source``, ``url``, ``language``, ``publication_date``) and
returns a *prediction*: ``{"id": ..., "casualties": [...], "actors": [...], "dates": [...]}``
with the attributes of the gold schema (see PREDICTIONS.md). Offsets are optional.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Protocol, runtime_checkable

from ..schema import DOCUMENT_FIELDS

Document = dict[str, Any]
Prediction = dict[str, Any]

VIEW_FIELDS = tuple(name for name, *_ in DOCUMENT_FIELDS)


def document_view(doc: Document) -> Document:
    """The fields an extractor may see: metadata and text, never the gold annotations."""
    return {k: doc.get(k) for k in VIEW_FIELDS}


@runtime_checkable
class Extractor(Protocol):
    #: versioned name, e.g. ``"rules.v1"``; appears in signatures and leaderboards
    name: str

    def extract(self, document: Document) -> Prediction: ...


class BatchExtractor(Extractor, Protocol):
    def extract_batch(self, documents: Iterable[Document]) -> Iterator[Prediction]: ...


def empty_prediction(doc_id: str) -> Prediction:
    return {"id": doc_id, "casualties": [], "actors": [], "dates": []}
