"""Sanity references for the scorer: ``null.v1`` predicts nothing (recall 0), ``oracle.v1``
predicts the gold annotations of the document (every score 1.0)."""

from __future__ import annotations

import copy
from typing import Any

from ..errors import DataError, ParameterError
from ..schema import FIELDS
from .base import Document, Prediction, empty_prediction


class NullExtractor:
    name = "null.v1"

    def extract(self, document: Document) -> Prediction:
        return empty_prediction(document["id"])


class OracleExtractor:
    """Returns the gold of the corpus document with the view's id."""

    name = "oracle.v1"

    def __init__(self, corpus: Any) -> None:
        if corpus is None or not hasattr(corpus, "by_id"):
            raise ParameterError(
                "The 'corpus' parameter of oracle.v1 must be a conflictbench Corpus. "
                f"Got {type(corpus).__name__} instead."
            )
        self._gold = corpus.by_id()

    def extract(self, document: Document) -> Prediction:
        doc_id = document.get("id")
        gold = self._gold.get(doc_id)
        if gold is None:
            raise DataError(f"oracle.v1: document {doc_id!r} is not in the corpus")
        out: dict[str, Any] = {"id": doc_id}
        for field in FIELDS:
            out[field] = copy.deepcopy(list(gold.get(field) or []))
        return out


def make_null_extractor() -> NullExtractor:
    return NullExtractor()


def make_oracle_extractor(*, corpus: Any = None) -> OracleExtractor:
    return OracleExtractor(corpus)
