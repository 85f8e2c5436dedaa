"""Plain per-token lists of a spaCy ``Doc``, shared by the rule baseline's casualty and
actor rules (creating spaCy ``Token`` objects per access is costly), and the token-level
test for age compounds ("12-year-old")."""

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


AGE_UNITS = frozenset("year years month months week weeks day days".split())


def age_end(tk: Tokens, i: int) -> int | None:
    """The end of an age compound starting at token ``i`` ("12-year-old", "57- YEAR- OLD")."""
    if i >= tk.n or not tk.text[i][:1].isdigit():
        return None
    j = i + 1
    if tk.text[i].endswith("-") and j + 1 < tk.n:  # "57- YEAR- OLD"
        if tk.lower[j].rstrip("-") in AGE_UNITS and tk.lower[j + 1] == "old":
            return j + 2
    return j + 4 if is_age(tk, j) else None


def is_age(tk: Tokens, i: int) -> bool:
    """Tokens from ``i`` on are "-year-old" (the rest of an age compound after its number)."""
    return (
        i + 3 < tk.n
        and tk.text[i] == "-"
        and tk.lower[i + 1] in AGE_UNITS
        and tk.text[i + 2] == "-"
        and tk.lower[i + 3] == "old"
    )
