"""The extractor interface every system implements (or is wrapped into).

An extractor receives a *document view*: the corpus row without gold annotations
(``id``, ``text``, ``title``, ``source``, ``url``, ``language``, ``publication_date``) and
returns a *prediction*: ``{"id": ..., "casualties": [...], "actors": [...], "dates": [...]}``
with the attributes of the gold schema (see PREDICTIONS.md). Offsets are optional.
"""

from __future__ import annotations

from dataclasses import dataclass
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


def check_view(view: Document) -> None:
    """Raise :class:`~conflictbench.errors.DataError` when ``view`` cannot be extracted from:
    no text string, or a publication date that is neither an ISO 8601 date nor null (a
    document without a DCT is extracted; its relative dates stay underspecified)."""
    from ..errors import DataError
    from ..validation import parse_publication_date

    where = f"document {view.get('id')!r}" if isinstance(view, dict) else "document"
    if not isinstance(view, dict) or not isinstance(view.get("text"), str):
        raise DataError(f"{where}: field 'text' must be a string")
    dct = view.get("publication_date")
    if dct is not None and parse_publication_date(dct) is None:  # null: no DCT (still extracted)
        raise DataError(
            f"{where}: field 'publication_date' must be an ISO 8601 date or null, "
            f"got {view.get('publication_date')!r}"
        )


def empty_prediction(doc_id: str) -> Prediction:
    return {"id": doc_id, "casualties": [], "actors": [], "dates": []}


def extractor_signature(extractor: Any) -> str:
    """A reproducibility signature of an extractor's output, sacrebleu style.

    ``name|registry:<hash>|v:<version>``: the versioned registered name, the fingerprint of
    the actor registry it resolves actors through (when it has one: the same rules on another
    registry give other entities) and the conflictbench version (code and pattern data ship
    together). An extractor may declare its own ``signature`` attribute instead. Used as Label
    Studio's ``model_version`` so pre-annotations say exactly what produced them.
    """
    explicit = getattr(extractor, "signature", None)
    if explicit:
        return str(explicit)
    from .. import __version__

    parts = [str(getattr(extractor, "name", type(extractor).__name__))]
    registry = getattr(extractor, "registry", None)
    if registry is not None and hasattr(registry, "to_records"):
        import hashlib
        import json

        recs = sorted(registry.to_records(), key=lambda r: r["id"])
        digest = hashlib.sha256(json.dumps(recs, sort_keys=True).encode("utf-8")).hexdigest()[:12]
        parts.append(f"registry:{digest}")
    parts.append(f"v:{__version__}")
    return "|".join(parts)


@dataclass(frozen=True)
class DocumentFailure:
    """What ``extract_batch`` yields for a document it could not extract: the runner records
    it as that document's failure (``kind``: e.g. ``timeout``, ``request``, ``malformed``) and
    scores the document as empty."""

    id: str
    kind: str
    message: str
