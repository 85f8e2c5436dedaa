"""Temporal expressions: find them in a text and normalise them to TIMEX3, anchored on the
document creation time (DCT, the ``publication_date``).

This module holds the finding patterns; :mod:`.anchoring` the anchoring policy of the
annotation conventions (absolute dates and times read by ``python-dateutil``):

* spans exclude prepositions ("on Thursday" → "Thursday") and include modifiers
  ("late Wednesday" → mod END, "early December" → START, "mid-" → MID);
* a weekday is the most recent such day on or before the DCT ("last <weekday>": strictly
  before; "next <weekday>", or a future-tense sentence — "talks will resume on Monday":
  strictly after);
* a month without a year is the most recent such month on or before the DCT ("December 1"
  with DCT 2020-01-17 → 2019-12-01), the next one in a future-tense sentence;
* "daily", "weekly", "every month" → SET P1D/P1W/P1M, "every Friday" → XXXX-WXX-5; "three-day" (adjectival) → P3D;
  "now"/"currently" → PRESENT_REF, "recently" → PAST_REF; "overnight" → the night before;
* "this/last/next week|month|year", "earlier this month" → the period (2020-W03, 2020-01);
* durations: "a week" → P1W, "Nearly nine years" → P9Y mod APPROX, "more than a year" →
  P1Y mod MORE_THAN;
* without a DCT (``publication_date`` null) what it would anchor stays underspecified:
  "Thursday" → XXXX-WXX-4, "December 1" → XXXX-12-01, "yesterday"/"N days ago" →
  XXXX-XX-XX, "last month" → XXXX-XX, "last year" → XXXX;
* "N days ago" → DCT − N; "N days after/before" anchored on the next date expression of
  the same sentence ("two days after … took effect on Sunday"); "N days later" on the
  closest earlier date expression; without an anchor the phrase is read as a duration.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .anchoring import (  # noqa: F401  (WEEKDAYS, MONTHS: part of this module's interface)
    DURATION_MODS,
    MONTHS,
    NUMBER_WORDS,
    UNITS,
    WEEKDAYS,
    _MONTH_ABBR,
    normalise,
    resolve_offset,
)


def _names(words) -> str:
    """Title-case and all-caps forms (wire copy is often upper case), never lower case:
    "may", "march" and "sun" are common words."""
    return "|".join(sorted({w for word in words for w in (word, word.upper())}, key=len, reverse=True))


_WD = "(?P<wd>" + _names(WEEKDAYS) + ")"
_MON = "(?P<mon>" + _names(MONTHS + _MONTH_ABBR) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_TIME = r"(?P<time>[0-2]?\d:[0-5]\d(?:\s*(?i:[ap]\.?m\.?))?|[01]?\d\s*(?i:[ap]\.?m\.?))"
_PMOD = r"(?:(?P<pmod>(?i:early|late|mid)(?:\s+|-)))"
_NUM = r"(?P<num>\d+|(?i:" + "|".join(NUMBER_WORDS) + r"))"
_DMOD = r"(?:(?P<dmod>(?i:" + "|".join(sorted(DURATION_MODS, key=len, reverse=True)) + r"))\s+)"
_UNIT = r"(?P<unit>(?i:" + "|".join(UNITS) + r"))(?i:s)?"

PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(r"\b(?P<iso>\d{4}-[01]\d-[0-3]\d)(?:[T ](?P<time>[0-2]\d:[0-5]\d))?\b")),
    (
        "calendar",
        re.compile(
            r"(?<![\w-])" + _PMOD + r"?(?:" + _WD + r",?\s+)?(?:" + _DAY + r"\s+" + _MON
            + r"|" + _MON.replace("mon>", "mon2>") + r"\s+" + _DAY.replace("day>", "day2>")
            + r"(?!\d))(?:,?\s+" + _YEAR + r")?(?:,?\s+(?:at\s+)?" + _TIME + r")?\b"
        ),
    ),
    ("month", re.compile(r"(?<![\w-])" + _PMOD + r"?" + _MON + r"(?:\s+" + _YEAR + r")?\b(?!\s*\d)")),
    (
        "weekday",
        re.compile(
            r"(?<![\w-])" + _PMOD + r"?(?:(?P<rel>(?i:last|next|this))\s+)?" + _WD
            + r"(?:\s+(?P<pod>morning|afternoon|evening|night))?\b(?!-)"
        ),
    ),
    (
        "deictic",
        re.compile(
            r"\b(?P<deictic>(?i:(?:this|yesterday|tomorrow) (?:morning|afternoon|evening)"
            r"|today|yesterday|tomorrow|tonight|last night|overnight))\b"
        ),
    ),
    (
        "period",
        re.compile(
            r"\b(?:(?P<pmod2>(?i:earlier|later|early|late))\s+)?(?P<rel>(?i:this|last|next))\s+"
            r"(?P<period>week|month|year)\b"
        ),
    ),
    ("past", re.compile(r"\b(?i:the\s+(?:past|last))\s+(?:(?P<num>\w+)\s+)?(?P<unit>(?i:minute|hour|day|week|month|year))(?i:s)?\b")),
    (
        "duration",
        re.compile(
            r"\b" + _DMOD + r"?" + _NUM + r"\s+" + _UNIT
            + r"(?:\s+(?P<anchor>(?i:ago|after|before|later|earlier)))?\b"
        ),
    ),
    (
        "year",
        re.compile(
            r"\b(?i:in|since|until|during|by|from|of|through)\s+(?P<span>" + _PMOD + r"?" + _YEAR
            + r")\b(?!-|,\d)"
        ),
    ),
    ("decade", re.compile(r"\bthe (?P<dec>(?:19|20)\d)0s\b")),
    (
        "set",
        re.compile(
            r"\b(?P<set>(?i:daily|weekly|monthly|annually|yearly|every (?:day|week|month|year))"
            r"|(?i:every) " + _WD + r")\b(?!-)"
        ),
    ),
    ("adjective", re.compile(r"\b" + _NUM + r"-" + r"(?P<unit>(?i:minute|hour|day|week|month|year))\b(?!-)")),
    ("reference", re.compile(r"\b(?P<ref>(?i:now|currently|recently))\b(?!-)")),
]



def _cased(words) -> str:
    """Literal alternatives in lower, title and upper case: plain literal alternations let
    the regex engine skip ahead fast, which a case-insensitive group does not."""
    return "|".join(sorted({v for w in words for v in (w, w.title(), w.upper())}, key=len, reverse=True))


#: cheap scans for the words every expression of a kind contains; the full patterns then
#: run only in windows around those words (the result is the same as scanning everything)
_ANCHORS = {
    "weekday": re.compile(_names(WEEKDAYS)),
    "month": re.compile(_names(MONTHS + _MONTH_ABBR)),
    "deictic": re.compile(
        _cased(["today", "yesterday", "tomorrow", "tonight", "night", "morning", "afternoon", "evening"])
    ),
    "unit": re.compile(_cased(UNITS)),
    "year": re.compile(r"(?:19|20)\d\d"),
    "set": re.compile(_cased(["daily", "weekly", "monthly", "annually", "yearly", "every"])),
    "reference": re.compile(_cased(["now", "currently", "recently"])),
}
#: anchor word → the kinds of expression containing it, with how many characters an
#: expression of that kind can extend before and after its anchor word (generous bounds)
_KINDS_BY_ANCHOR: dict[str, tuple[tuple[str, int, int], ...]] = {
    "weekday": (("weekday", 20, 16), ("set", 8, 2)),  # "early last Friday afternoon", "every Friday"
    "month": (("calendar", 40, 40), ("month", 12, 10)),  # "late Friday, 22nd March, 2020 at 12:30 a.m."
    "deictic": (("deictic", 12, 2),),  # "last night", "yesterday morning"
    "unit": (("duration", 40, 14), ("period", 20, 4), ("past", 36, 4), ("adjective", 12, 2)),  # "approximately fifteen days earlier"
    "set": (("set", 2, 8),),  # "every month"
    "reference": (("reference", 2, 2),),
    "year": (("iso", 12, 16), ("year", 24, 4), ("decade", 8, 4)),  # "since early 2019", "2020-01-17T05:06"
}


def _windows(text: str) -> dict[str, list[tuple[int, int]]]:
    """kind → merged character windows around that kind's anchor words."""
    out: dict[str, list[tuple[int, int]]] = {}
    n = len(text)
    for anchor, regex in _ANCHORS.items():
        hits = [(m.start(), m.end()) for m in regex.finditer(text)]
        for kind, before, after in _KINDS_BY_ANCHOR[anchor]:
            spans = out.setdefault(kind, [])
            spans += [(max(0, a - before), min(n, b + after)) for a, b in hits]
    for kind, spans in out.items():
        spans.sort()
        merged: list[tuple[int, int]] = []
        for lo, hi in spans:
            if merged and lo <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
            else:
                merged.append((lo, hi))
        out[kind] = merged
    return out


def find_dates(
    text: str, publication_date: str | dt.date | None, *, windows: bool = True
) -> list[dict[str, Any]]:
    """Every temporal expression in ``text`` as ``{start, end, text, value, type, mod}``,
    sorted by offset, non-overlapping (the longest expression wins). ``windows=False``
    scans the whole text with every pattern (same result, slower; for tests).
    ``publication_date`` None (a document without a DCT): every expression is still found;
    those the DCT would anchor get the TIMEX3 underspecified form (``XXXX-WXX-4``)."""
    if publication_date is None:
        dct = None
    elif isinstance(publication_date, dt.date):
        dct = publication_date
    else:
        dct = dt.date.fromisoformat(str(publication_date)[:10])
    cands = []
    seen = set()
    spans = _windows(text) if windows else {kind: [(0, len(text))] for kind, _ in PATTERNS}
    for rank, (kind, pattern) in enumerate(PATTERNS):
        for lo, hi in spans.get(kind, ()):
            for m in pattern.finditer(text, lo, hi):
                g = "span" if "span" in pattern.groupindex else 0  # context outside the span
                key = (m.start(g), m.end(g), rank)
                if key not in seen:
                    seen.add(key)
                    cands.append((m.start(g), m.end(g), rank, kind, m))
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken: list[tuple[int, int]] = []
    found = []
    for start, end, _rank, kind, m in cands:
        if any(start < e and s < end for s, e in taken):
            continue
        norm = normalise(kind, m, dct)
        if norm is None:
            continue
        taken.append((start, end))
        found.append((start, end, kind, m, norm))
    found.sort(key=lambda f: f[0])
    out = []
    for i, (start, end, kind, m, norm) in enumerate(found):
        if kind == "duration" and m.group("anchor"):
            anchored = resolve_offset(text, found, i, m, dct)
            if anchored is None:  # no anchor: keep the duration, drop the connective
                end = m.start("anchor")
                end = len(text[:end].rstrip())
            else:
                norm = {"value": anchored, "type": "DATE", "mod": None}
        out.append({"start": start, "end": end, "text": text[start:end], **norm})
    return out


