"""Individual victims without a quantity word (guidelines §2.1: "a named victim", count 1):
the singular subject of a passive casualty verb — "Judge Maria Ortiz was assassinated",
"THE MAYOR OF ACHI WAS KIDNAPPED", "his driver was also wounded".

The policy, on the tokens and trigger index of :mod:`.casualty_rules`:

* the subject is the noun phrase right before a singular auxiliary ("was", "has been",
  "had been"), reached backwards over words only — a comma, a clause word ("that", "who",
  "said") or a pronoun stops it, and a pronoun alone ("he was killed") is anaphora, not a
  mention; a leading determiner ("the", "his") is left out, and so is a post-modifying "of"
  phrase ("mayor of Achi" → "mayor");
* in mixed-case text the phrase must end in a name ("local journalist Ahmed Ali") or
  follow a determiner ("his driver"); upper-case wire copy cannot tell, so any such phrase counts;
* the trigger after the auxiliary (over adverbs: "was also killed", "was found dead")
  decides ``kind``; ``detained`` needs a victim noun of the lexicon ("the town was
  captured" is no casualty);
* count 1, qualifier ``exact``; ``victims`` from the phrase's head noun when the lexicon
  knows it, otherwise ``people``.
"""

from __future__ import annotations

from typing import Any

SINGULAR_AUX = frozenset({"was"})
PERFECT = frozenset({"has", "had"})
ADVERBS = frozenset("also reportedly allegedly later subsequently then later initially found seriously badly "
                    "critically slightly fatally mortally".split())
DETERMINERS = frozenset("the a an his her their its this that".split())
PRONOUNS = frozenset("he she it they who which that this one someone nobody none each another".split())
STOP = frozenset(
    "and or but when while after before said says reported according where since because if "
    "today yesterday tonight also then to by for with from in on at as than not no though although "
    "even unless whether how why what whom whose".split()
)
MAX_WORDS = 6


def find_individuals(index: tuple, taken: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """Individual-victim mentions as schema dicts, none overlapping a token span in
    ``taken`` (the quantity mentions already found)."""
    tk, victims, by_start = index[0], index[2], index[3]
    mixed = any(c.islower() for c in tk.doc_text)
    out = []
    for i in range(1, tk.n):
        if tk.lower[i] not in SINGULAR_AUX:
            continue
        j = i + 1
        if j < tk.n and tk.lower[i] == "has" and tk.lower[j] == "been":
            j += 1
        while j < tk.n and tk.lower[j] in ADVERBS:
            j += 1
        if j >= tk.n or j not in by_start:
            continue
        _end, kind, role = by_start[j]
        if role == "pre":
            continue
        phrase = _subject(tk, i)
        if phrase is None:
            continue
        start, end = phrase
        head = victims.get(end - 1) or victims.get(start)
        if kind == "detained" and head is None:
            continue
        if mixed and not _named_or_determined(tk, start, end):
            continue
        if any(start < te and ts < end for ts, te in taken):
            continue
        s, e = tk.start[start], tk.end[end - 1]
        out.append({"start": s, "end": e, "text": tk.doc_text[s:e], "qualifier": "exact", "count": 1,
                    "count_low": None, "count_high": None, "kind": kind,
                    "victims": head[1] if head else "people"})
    return out


def _subject(tk, aux: int) -> tuple[int, int] | None:
    """Token span of the noun phrase ending right before ``aux``, or None."""
    k = aux - 1
    while k >= 0 and aux - k <= MAX_WORDS and tk.alpha[k] and tk.lower[k] not in STOP | DETERMINERS | PRONOUNS:
        k -= 1
    start, end = k + 1, aux
    if start >= end:
        return None
    if "of" in tk.lower[start:end]:
        end = start + tk.lower[start:end].index("of")
    if start >= end or (k >= 0 and tk.alpha[k] and tk.lower[k] not in STOP | DETERMINERS):
        return None  # too long, or a pronoun right before: not a phrase of its own
    return start, end


def _named_or_determined(tk, start: int, end: int) -> bool:
    if start > 0 and tk.lower[start - 1] in DETERMINERS:
        return True
    return tk.text[end - 1][:1].isupper()  # ends in a name: "local journalist Ahmed Ali"
