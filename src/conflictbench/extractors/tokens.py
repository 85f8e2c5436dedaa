"""Plain per-token lists of a spaCy ``Doc``, shared by the rule baseline's casualty and
actor rules (creating spaCy ``Token`` objects per access is costly)."""

from __future__ import annotations

from typing import Any


class Tokens:
    """Plain per-token lists of a ``Doc`` (spaCy ``Token`` objects are costly to create)."""

    __slots__ = ("text", "lower", "alpha", "start", "end", "n", "doc_text")

    def __init__(self, doc: Any, text: str | None = None) -> None:
        from spacy.attrs import IDX, LENGTH

        self.doc_text = doc.text if text is None else text
        arr = doc.to_array([IDX, LENGTH]).tolist() if len(doc) else []
        self.start = [a for a, _ in arr]
        self.end = [a + n for a, n in arr]
        self.text = [self.doc_text[a:b] for a, b in zip(self.start, self.end)]
        self.lower = [t.lower() for t in self.text]
        self.alpha = [t.isalpha() for t in self.text]
        self.n = len(self.text)
