"""Splitting a long document into overlapping chunks on sentence boundaries.

A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or brackets) followed
by whitespace, or at a blank line; a line break alone inside a paragraph does not end one.
A chunk is a run of whole sentences of at most ``chunk_chars`` code points (a single longer
sentence is a chunk of its own, never cut), and each chunk after the first starts with the
last ``overlap`` sentences of the one before, so a mention split by a boundary is whole in one
of them. Chunks carry their offset in the document: grounding maps back to document offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_END = re.compile(r"""[.!?…]+['"’”)\]]*\s+|\n\s*\n\s*""")


@dataclass(frozen=True)
class Chunk:
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def sentences(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every sentence (trailing whitespace excluded), in order."""
    out, pos = [], 0
    for m in _END.finditer(text):
        end = m.end()
        stripped = text[pos:end].rstrip()
        if stripped.strip():
            lead = len(text[pos:end]) - len(text[pos:end].lstrip())
            out.append((pos + lead, pos + len(stripped)))
        pos = end
    if text[pos:].strip():
        lead = len(text[pos:]) - len(text[pos:].lstrip())
        out.append((pos + lead, len(text.rstrip())))
    return out


def chunks(text: str, *, chunk_chars: int, overlap: int = 1) -> list[Chunk]:
    """The document as chunks (one chunk when it fits; none for a blank text)."""
    sents = sentences(text)
    if not sents:
        return []
    if sents[-1][1] - sents[0][0] <= chunk_chars:
        return [Chunk(sents[0][0], text[sents[0][0]:sents[-1][1]])]
    out: list[Chunk] = []
    i = 0
    while i < len(sents):
        j = i + 1
        while j < len(sents) and sents[j][1] - sents[i][0] <= chunk_chars:
            j += 1
        out.append(Chunk(sents[i][0], text[sents[i][0]:sents[j - 1][1]]))
        if j >= len(sents):
            break
        i = max(j - overlap, i + 1)  # always moves on, even when one sentence fills a chunk
    return out
