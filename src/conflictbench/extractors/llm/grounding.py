"""Grounding: where in the document text (Python code points) a returned string is.

Three tries, in order; the first that succeeds gives the status:

``exact``
    the string occurs verbatim;
``normalised``
    it occurs once both sides are normalised: case folded (per code point, ``str.lower``),
    runs of whitespace made one space, typographic quotes and apostrophes made ASCII
    (``‘’‚‛′`` → ``'``, ``“”„‟″«»`` → ``"``), dashes (``‐‑‒–—―−``) made ``-``, and the
    string's own leading/trailing whitespace and punctuation ignored;
``fuzzy``
    some stretch of the normalised text, starting and ending on word boundaries, has a
    :class:`difflib.SequenceMatcher` ratio of at least :data:`FUZZY_THRESHOLD` (0.85) with the
    normalised string; only for strings of :data:`FUZZY_MIN_CHARS` (5) normalised characters
    or more (shorter ones match too much by chance); the best ratio wins, then the earliest;
``ungrounded``
    none of these: the prediction keeps its string as ``text`` and has no offsets.

A grounded prediction gets the offsets of the matched stretch of the *document* and that
stretch as its ``text`` (so ``text == document[start:end]``, whatever the model wrote).
When a string occurs several times, :func:`ground` takes the first occurrence at or after
``not_before`` that is not in ``taken`` (so the second "two people" of a chunk lands on the
second occurrence), else the first occurrence.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Collection

STATUSES = ("exact", "normalised", "fuzzy", "ungrounded")
FUZZY_THRESHOLD = 0.85
FUZZY_MIN_CHARS = 5

_QUOTES = {**{c: "'" for c in "‘’‚‛′"}, **{c: '"' for c in "“”„‟″«»"}, **{c: "-" for c in "‐‑‒–—―−"}}
_EDGE = re.compile(r"^[\s\W_]+|[\s\W_]+$")


@dataclass(frozen=True)
class Grounded:
    status: str
    start: int | None = None
    end: int | None = None


def _norm_char(c: str) -> str:
    c = _QUOTES.get(c, c)
    low = c.lower()
    return low if len(low) == 1 else c  # one code point in, one out: offsets map back


class NormalisedText:
    """A text normalised as above, with the original offset of every normalised character."""

    def __init__(self, text: str) -> None:
        chars: list[str] = []
        origin: list[int] = []
        prev_space = False
        for i, c in enumerate(text):
            if c.isspace():
                if prev_space:
                    continue
                chars.append(" ")
                prev_space = True
            else:
                chars.append(_norm_char(c))
                prev_space = False
            origin.append(i)
        self.text = text
        self.norm = "".join(chars)
        self.origin = origin
        self._words: list[tuple[int, int]] | None = None

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Original ``[start, end)`` of the normalised ``[i, j)``."""
        return self.origin[i], self.origin[j - 1] + 1

    def words(self) -> list[tuple[int, int]]:
        if self._words is None:
            self._words = [(m.start(), m.end()) for m in re.finditer(r"\S+", self.norm)]
        return self._words


def normalise(s: str) -> str:
    return _EDGE.sub("", NormalisedText(s).norm)


def _pick(found: list[tuple[int, int]], taken: Collection[tuple[int, int]], not_before: int) -> tuple[int, int]:
    for s, e in found:
        if s >= not_before and (s, e) not in taken:
            return s, e
    for s, e in found:
        if (s, e) not in taken:
            return s, e
    return found[0]


def _occurrences(hay: str, needle: str) -> list[int]:
    out, i = [], hay.find(needle)
    while i >= 0:
        out.append(i)
        i = hay.find(needle, i + 1)
    return out


def ground(s: str, doc: NormalisedText, *, taken: Collection[tuple[int, int]] = (), not_before: int = 0) -> Grounded:
    """Locate ``s`` in ``doc`` (see the module docstring)."""
    s = s.strip() if isinstance(s, str) else ""
    if not s:
        return Grounded("ungrounded")
    found = [(i, i + len(s)) for i in _occurrences(doc.text, s)]
    if found:
        return Grounded("exact", *_pick(found, taken, not_before))
    q = normalise(s)
    if not q:
        return Grounded("ungrounded")
    found = [doc.span(i, i + len(q)) for i in _occurrences(doc.norm, q)]
    if found:
        return Grounded("normalised", *_pick(found, taken, not_before))
    if len(q) < FUZZY_MIN_CHARS:
        return Grounded("ungrounded")
    best = _fuzzy(q, doc)
    if best is None:
        return Grounded("ungrounded")
    return Grounded("fuzzy", *doc.span(*best))


def _fuzzy(q: str, doc: NormalisedText) -> tuple[int, int] | None:
    """The normalised ``[i, j)`` on word boundaries most like ``q`` (ratio ≥ the threshold)."""
    words = doc.words()
    n_words = len(q.split()) or 1
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(q)
    best, best_ratio = None, FUZZY_THRESHOLD
    t = FUZZY_THRESHOLD  # ratio = 2·matches / (len(a) + len(b)) ≥ t bounds the window's length
    lo, hi = len(q) * t / (2 - t), len(q) * (2 - t) / t
    for a in range(len(words)):
        for k in range(max(1, n_words - 2), n_words + 3):
            b = a + k - 1
            if b >= len(words):
                break
            i, j = words[a][0], words[b][1]
            i, j = _trim(doc.norm, i, j)
            if j <= i or not lo <= j - i <= hi:
                continue
            matcher.set_seq1(doc.norm[i:j])
            if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
                continue
            r = matcher.ratio()
            if r > best_ratio or (best is None and r >= best_ratio):
                best, best_ratio = (i, j), r
    return best


def _trim(norm: str, i: int, j: int) -> tuple[int, int]:
    """Leading/trailing punctuation of a window is not part of it (no "people," spans)."""
    while i < j and not (norm[i].isalnum()):
        i += 1
    while j > i and not (norm[j - 1].isalnum()):
        j -= 1
    return i, j
