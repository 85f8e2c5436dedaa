"""Locating a key's quoted fill in the message text (case- and whitespace-insensitive).

The key's strings are upper case and copied from the text, line breaks turned into
single spaces; the TST4 texts are mixed case. A fill is found where its words occur in
order separated by any whitespace, not inside a longer word.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Iterator


@lru_cache(maxsize=8192)
def _pattern(fill: str) -> re.Pattern[str] | None:
    words = fill.split()
    if not words:
        return None
    body = r"\s+".join(re.escape(w) for w in words)
    left = r"(?<!\w)" if re.match(r"\w", words[0]) else ""
    right = r"(?!\w)" if re.search(r"\w$", words[-1]) else ""
    return re.compile(left + body + right, re.IGNORECASE)


def occurrences(text: str, fill: str) -> Iterator[tuple[int, int]]:
    """Every ``[start, end)`` where ``fill`` occurs in ``text``, left to right."""
    pat = _pattern(fill)
    if pat is None:
        return
    for m in pat.finditer(text):
        yield m.start(), m.end()


def find_span(
    text: str, fills: Iterable[str], *, taken: set[tuple[int, int]] | frozenset = frozenset()
) -> tuple[int, int] | None:
    """The first occurrence of the first alternative that occurs, skipping ``taken`` spans.

    Alternatives are tried in key order (the key lists its preferred string first).
    Returns None when no alternative occurs outside ``taken``.
    """
    for fill in fills:
        for span in occurrences(text, fill):
            if span not in taken:
                return span
    return None
