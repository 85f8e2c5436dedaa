"""Casualty quantities: a phrase like "at least 40", "close to 400,000", "two dozen",
"3 million", "between 5 and 7" or "thousands of" → ``(qualifier, count, count_low, count_high)``.

Number words are read by ``text2num`` (a kept library); this module only adds the
annotation conventions on top of it:

* qualifiers (annotation guidelines §2.5): "at least / more than / over / no fewer than"
  → ``at_least`` (count = N, the conservative ACLED reading); "up to / as many as / at most /
  no more than / under" → ``at_most``; "around / about / nearly / almost / close to / some /
  approximately / roughly / an estimated / just over" → ``approx``; "between N and M",
  "N-M", "N to M", "N or M" → ``range`` (count null); trailing "N or more", "N-plus" →
  ``at_least`` and "N or so" → ``approx``; "dozens / hundreds / thousands (of)",
  "several", "many", "a few", "a handful", "scores of", "tens of thousands of" → ``vague``
  (all counts null); anything else → ``exact``;
* "N dozen" → N × 12, "a dozen" → 12, "half a dozen" → 6, "a hundred" → 100, "a man" → 1;
  scale words after digits ("3 million", "1.5 million") multiply; European digit grouping
  ("350.000", "350 000") is read as thousands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

#: qualifier phrases (lower-case, single spaces) → qualifier; longest phrases are tried first
QUALIFIER_PHRASES: dict[str, str] = {
    "at least": "at_least",
    "more than": "at_least",
    "over": "at_least",
    "upwards of": "at_least",
    "in excess of": "at_least",
    "a minimum of": "at_least",
    "no fewer than": "at_least",
    "no less than": "at_least",
    "as many as": "at_most",
    "a maximum of": "at_most",
    "under": "at_most",
    "just under": "approx",
    "just over": "approx",
    "up to": "at_most",
    "at most": "at_most",
    "no more than": "at_most",
    "fewer than": "at_most",
    "less than": "at_most",
    "around": "approx",
    "about": "approx",
    "nearly": "approx",
    "almost": "approx",
    "close to": "approx",
    "some": "approx",
    "approximately": "approx",
    "roughly": "approx",
    "an estimated": "approx",
    "estimated": "approx",
}

#: qualifiers written after the number (§2.5): "40 or more", "40-plus", "40 or so"
TRAILING_QUALIFIERS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"\s+or\s+more$"), "at_least"),
    (re.compile(r"(?:\s*-\s*|\s+)plus$|\s*\+$"), "at_least"),
    (re.compile(r"\s+or\s+so$"), "approx"),
)

#: the same as token sequences, to extend a matched quantity over them
TRAILING_TOKENS: tuple[tuple[str, ...], ...] = (("or", "more"), ("or", "so"), ("-", "plus"), ("plus",), ("+",))

#: words that make a quantity vague on their own ("dozens of", "several", ...)
VAGUE_WORDS: frozenset[str] = frozenset(
    {"dozens", "hundreds", "thousands", "millions", "scores", "several", "tens", "numerous", "many"}
)
#: multi-word vague quantities ("a few", "a handful of")
VAGUE_PHRASES: tuple[str, ...] = ("a few", "a handful", "a couple", "a number of")

SCALES: dict[str, int] = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
}

_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+(?:\.\d+)?$")
_EUROPEAN = re.compile(r"^\d{1,3}(?:[. ]\d{3})+$")  # "350.000", "350 000"


@dataclass(frozen=True)
class Quantity:
    qualifier: str
    count: Optional[int] = None
    count_low: Optional[int] = None
    count_high: Optional[int] = None

    def to_dict(self) -> dict:
        return {
            "qualifier": self.qualifier,
            "count": self.count,
            "count_low": self.count_low,
            "count_high": self.count_high,
        }


_DIGIT_DASH = re.compile(r"(?<=\d)-(?=\d)")
_SPACES = re.compile(r"\s+")
_GROUP_SEPARATORS = re.compile(r"[. ]")


def _words(text: str) -> list[str]:
    text = text.replace("\u2013", " - ").replace("\u2014", " - ")
    text = _DIGIT_DASH.sub(" - ", text)
    return [w for w in _SPACES.split(text.strip().lower()) if w]


def parse_number(text: str) -> Optional[int]:
    """An integer from digits ("350,000", "3.5 million"), words ("Seventeen",
    "twenty-five", "two dozen", "a dozen") or a mix; None when ``text`` is no number."""
    from text_to_num import text2num

    if _EUROPEAN.match(text.strip()):
        return int(_GROUP_SEPARATORS.sub("", text.strip()))
    words = _words(text)
    if not words:
        return None
    if words in (["a", "hundred"], ["a", "thousand"], ["a", "million"]):
        return SCALES[words[1]]
    if words in (["a"], ["an"], ["one"]):
        return 1  # an individual victim: "a man", "an aid worker"
    if words == ["half", "a", "dozen"]:
        return 6
    if words[-1] == "dozen":
        head = words[:-1]
        if not head or head in (["a"], ["one"]):
            return 12
        n = parse_number(" ".join(head))
        return None if n is None else n * 12
    if _DIGITS.match(words[0]):
        value = float(words[0].replace(",", ""))
        for w in words[1:]:
            if w not in SCALES:
                return None
            value *= SCALES[w]
        return int(round(value)) if value == int(round(value)) or len(words) > 1 else None
    phrase = " ".join(words).replace(" - ", "-")
    try:
        return int(text2num(phrase, "en"))
    except ValueError:
        return None


def split_qualifier(text: str) -> tuple[str, str]:
    """``("at_least", "40")`` for "At least 40"; ``("exact", text)`` without a qualifier."""
    words = _words(text)
    for n in (3, 2, 1):
        head = " ".join(words[:n])
        if len(words) > n and head in QUALIFIER_PHRASES:
            return QUALIFIER_PHRASES[head], " ".join(words[n:])
    return "exact", " ".join(words)


@lru_cache(maxsize=8192)
def parse_quantity(text: str) -> Optional[Quantity]:
    """The normalised quantity of a quantity phrase (without its victim noun), or None.

    >>> parse_quantity("At least 40")
    Quantity(qualifier='at_least', count=40, count_low=None, count_high=None)
    """
    words = _words(text)
    if not words:
        return None
    for suffix, trailing in TRAILING_QUALIFIERS:
        head = suffix.sub("", text.strip())
        if head != text.strip():
            inner = parse_quantity(head)
            if inner is None or inner.qualifier in ("range", "vague"):
                return None
            # a qualifier in front wins ("at least 40 or more" is at_least either way)
            return inner if inner.qualifier != "exact" else Quantity(trailing, count=inner.count)
    if words[0] in VAGUE_WORDS or words[0] == "few" or any(" ".join(words).startswith(v) for v in VAGUE_PHRASES):
        return Quantity("vague")
    if words[-1] == "of" and words[0] in {"dozens", "hundreds", "thousands", "scores", "tens"}:
        return Quantity("vague")
    rng = _parse_range(words)
    if rng is not None:
        return rng
    qualifier, rest = split_qualifier(text)
    if rest.split() and rest.split()[0] in VAGUE_WORDS:
        return Quantity("vague")
    n = parse_number(rest)
    if n is None:
        return None
    return Quantity(qualifier, count=n)


def _parse_range(words: list[str]) -> Optional[Quantity]:
    if words[0] == "between" and "and" in words:
        i = words.index("and")
        lo, hi = " ".join(words[1:i]), " ".join(words[i + 1 :])
    else:
        for sep in ("-", "to", "or"):  # "20-30", "20 to 30", "two or three"
            if sep in words[1:-1]:
                i = words.index(sep, 1)
                lo, hi = " ".join(words[:i]), " ".join(words[i + 1 :])
                break
        else:
            return None
    qualifier, lo = split_qualifier(lo)
    a, b = parse_number(lo), parse_number(hi)
    if a is None or b is None:
        return None
    if hi.split() and hi.split()[-1] in SCALES and lo and lo.split()[-1] not in SCALES:
        a_scaled = parse_number(lo + " " + hi.split()[-1])  # "2 to 3 million"
        a = a_scaled if a_scaled is not None else a
    if a > b:
        return None
    return Quantity("range", count_low=a, count_high=b)


def qualifier_start(words: list[str], start: int) -> int:
    """Where a quantity starting at ``words[start]`` (lower-case tokens) begins once a
    qualifier phrase before it is included ("at least", "some")."""
    for n in (3, 2, 1):
        if start - n >= 0 and " ".join(words[start - n : start]) in QUALIFIER_PHRASES:
            return start - n
    return start
