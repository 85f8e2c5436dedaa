"""The documents being scored: a corpus and an ordered subset of its ids (its splits)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from ..errors import ParameterError


@dataclass(frozen=True)
class Selection:
    """The documents being scored: a corpus and an ordered subset of its ids."""

    corpus: Any
    doc_ids: tuple[str, ...]
    splits: tuple[str, ...]
    fingerprint: str

    def documents(self) -> list[dict[str, Any]]:
        by_id = self.corpus.by_id()
        return [by_id[i] for i in self.doc_ids]


def select(corpus: Any, splits: Sequence[str] | None = None) -> Selection:
    """All documents, or those of ``splits`` (unknown split names are an error)."""
    from ..corpus import fingerprint

    if not splits:
        return Selection(corpus, tuple(d["id"] for d in corpus.documents), tuple(corpus.splits), corpus.fingerprint)
    unknown = [s for s in splits if s not in corpus.splits]
    if unknown:
        raise ParameterError(f"unknown split(s) {unknown}; the corpus {corpus.path} has {sorted(corpus.splits)}")
    ids = tuple(i for s in splits for i in corpus.splits[s])
    by_id = corpus.by_id()
    fp = fingerprint([by_id[i] for i in ids], corpus.registry)
    return Selection(corpus, ids, tuple(splits), fp)


