"""Temporal expressions: find them in a text and normalise them to TIMEX3, anchored on the
document creation time (DCT, the ``publication_date``).

Absolute dates and times are parsed by ``python-dateutil``; this module only holds the
finding patterns and the anchoring policy of the annotation conventions:

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
* "N days ago" → DCT − N; "N days after/before" anchored on the next date expression of
  the same sentence ("two days after … took effect on Sunday"); "N days later" on the
  closest earlier date expression; without an anchor the phrase is read as a duration.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Optional

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec")
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "few": None, "several": None,
}  # fmt: skip
UNITS = {"minute": "TM", "hour": "TH", "day": "D", "week": "W", "month": "M", "year": "Y",
         "decade": "DE"}  # fmt: skip
DURATION_MODS = {
    "nearly": "APPROX", "almost": "APPROX", "about": "APPROX", "around": "APPROX",
    "some": "APPROX", "roughly": "APPROX", "approximately": "APPROX",
    "more than": "MORE_THAN", "over": "MORE_THAN", "less than": "LESS_THAN",
    "under": "LESS_THAN", "at least": "EQUAL_OR_MORE", "at most": "EQUAL_OR_LESS",
}  # fmt: skip
POINT_MODS = {"early": "START", "late": "END", "mid": "MID", "mid-": "MID"}
SETS = {"daily": "P1D", "day": "P1D", "weekly": "P1W", "week": "P1W", "monthly": "P1M", "month": "P1M",
        "annually": "P1Y", "yearly": "P1Y", "year": "P1Y"}  # fmt: skip
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}



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


def _month_num(name: str) -> int:
    return [m[:3] for m in MONTHS].index(name[:3].title()) + 1


def _recent_month(month: int, dct: dt.date, future: bool = False) -> int:
    """The year of the most recent ``month`` on or before the DCT (the next one on or after
    it when the sentence speaks of the future)."""
    if future:
        return dct.year if month >= dct.month else dct.year + 1
    return dct.year if month <= dct.month else dct.year - 1


_FUTURE = re.compile(r"\b(?i:will|shall|(?:is|are) (?:due|scheduled|set|expected) to)\b")


def _future(m: re.Match) -> bool:
    """Whether the expression's sentence speaks of the future before it ("talks will
    resume on Monday"): then a weekday or month without a year is the next one."""
    text = m.string
    lo = max(0, m.start() - 100)
    cut = max(text.rfind(". ", lo, m.start()), text.rfind("\n", lo, m.start()))
    return bool(_FUTURE.search(text, cut + 1 if cut >= 0 else lo, m.start()))


def _time_value(text: str) -> Optional[str]:
    from dateutil import parser

    try:
        t = parser.parse(text, default=dt.datetime(2000, 1, 1))
    except (ValueError, OverflowError):
        return None
    return f"{t.hour:02d}:{t.minute:02d}"


def _calendar(m: re.Match, dct: dt.date) -> Optional[tuple[str, str]]:
    from dateutil import parser

    mon = m.group("mon") or m.group("mon2")
    day = m.group("day") or m.group("day2")
    month = _month_num(mon)
    if m.group("year"):
        year = int(m.group("year"))
    elif _future(m):
        year = dct.year if (month, int(day)) >= (dct.month, dct.day) else dct.year + 1
    else:
        year = _recent_month(month, dct)
    try:
        d = parser.parse(f"{year} {MONTHS[month - 1]} {int(day)}", default=dt.datetime(year, 1, 1))
    except (ValueError, OverflowError):
        return None
    value = d.date().isoformat()
    if m.group("time"):
        t = _time_value(m.group("time"))
        if t:
            return value + "T" + t, "TIME"
    return value, "DATE"


def _weekday(m: re.Match, dct: dt.date) -> tuple[str, str]:
    wd = WEEKDAYS.index(m.group("wd").title())
    rel = (m.group("rel") or "").lower()
    if rel == "next" or (not rel and _future(m)):
        d = dct + dt.timedelta(days=(wd - dct.weekday()) % 7 or 7)
    else:
        back = (dct.weekday() - wd) % 7
        if rel == "last" and back == 0:
            back = 7
        d = dct - dt.timedelta(days=back)
    if m.group("pod"):
        return d.isoformat() + "T" + PARTS_OF_DAY[m.group("pod")], "TIME"
    return d.isoformat(), "DATE"


def _shift(dct: dt.date, unit: str, n: int) -> str:
    """The period ``n`` units from the DCT at that unit's granularity."""
    if unit == "day":
        return (dct + dt.timedelta(days=n)).isoformat()
    if unit == "week":
        y, w, _ = (dct + dt.timedelta(weeks=n)).isocalendar()
        return f"{y}-W{w:02d}"
    if unit == "month":
        k = dct.year * 12 + dct.month - 1 + n
        return f"{k // 12}-{k % 12 + 1:02d}"
    return str(dct.year + n)


def _duration_value(num: Optional[str], unit: str) -> str:
    n: Any = 1 if num is None else (int(num) if num.isdigit() else NUMBER_WORDS.get(num.lower(), 1))
    code = UNITS[unit.lower()]
    if code == "DE":
        return f"P{n * 10}Y" if n is not None else "PXY"
    n = "X" if n is None else n
    return f"PT{n}{code[1]}" if code.startswith("T") else f"P{n}{code}"


def _normalise(kind: str, m: re.Match, dct: dt.date) -> Optional[dict[str, Any]]:
    g = m.groupdict()
    mod = None
    if g.get("pmod"):
        mod = POINT_MODS[g["pmod"].strip().lower().rstrip("-")]
    if kind == "iso":
        value, typ = g["iso"], "DATE"
        if g.get("time"):
            value, typ = value + "T" + g["time"], "TIME"
    elif kind == "calendar":
        res = _calendar(m, dct)
        if res is None:
            return None
        value, typ = res
    elif kind == "month":
        month = _month_num(g["mon"])
        if g["mon"].title() == "May" and not (g.get("pmod") or g.get("year")) and not _after_prep(m):
            return None  # the modal verb
        year = int(g["year"]) if g.get("year") else _recent_month(month, dct, _future(m))
        value, typ = f"{year}-{month:02d}", "DATE"
    elif kind == "weekday":
        value, typ = _weekday(m, dct)
    elif kind == "deictic":
        words = g["deictic"].lower().split()
        shift = {"today": 0, "tonight": 0, "this": 0, "yesterday": -1, "tomorrow": 1, "last": -1,
                 "overnight": -1}[words[0]]  # fmt: skip
        value, typ = (dct + dt.timedelta(days=shift)).isoformat(), "DATE"
        pod = "night" if words[0] in ("tonight", "overnight") else words[-1]
        if pod in PARTS_OF_DAY:
            value, typ = value + "T" + PARTS_OF_DAY[pod], "TIME"
    elif kind == "period":
        n = {"this": 0, "last": -1, "next": 1}[g["rel"].lower()]
        value, typ = _shift(dct, g["period"], n), "DATE"
        pm = (g.get("pmod2") or "").lower()
        mod = {"early": "START", "late": "END"}.get(pm)
    elif kind == "past":
        num = g.get("num")
        if num is not None and not (num.isdigit() or num.lower() in NUMBER_WORDS):
            return None
        value, typ = _duration_value(num, g["unit"]), "DURATION"
    elif kind == "duration":
        value, typ = _duration_value(g["num"], g["unit"]), "DURATION"
        mod = DURATION_MODS.get((g.get("dmod") or "").lower())
    elif kind == "year":
        value, typ = g["year"], "DATE"
    elif kind == "decade":
        value, typ = g["dec"], "DATE"
    elif kind == "set":
        last = g["set"].split()[-1]
        if g.get("wd"):  # "every Friday" → XXXX-WXX-5
            value = f"XXXX-WXX-{WEEKDAYS.index(g['wd'].title()) + 1}"
        else:
            value = SETS[last.lower()]
        typ = "SET"
    elif kind == "adjective":  # "a three-day ceasefire", "48-hour truce"
        value, typ = _duration_value(g["num"], g["unit"]), "DURATION"
    elif kind == "reference":
        value, typ = ("PAST_REF" if g["ref"].lower() == "recently" else "PRESENT_REF"), "DATE"
    else:  # pragma: no cover - PATTERNS and this function are kept in step
        raise AssertionError(kind)
    return {"value": value, "type": typ, "mod": mod}


def _after_prep(m: re.Match) -> bool:
    before = m.string[max(0, m.start() - 8) : m.start()].lower().split()
    return bool(before) and before[-1] in {"in", "since", "until", "by", "during", "from", "of"}


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


_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")


def find_dates(text: str, publication_date: str | dt.date, *, windows: bool = True) -> list[dict[str, Any]]:
    """Every temporal expression in ``text`` as ``{start, end, text, value, type, mod}``,
    sorted by offset, non-overlapping (the longest expression wins). ``windows=False``
    scans the whole text with every pattern (same result, slower; for tests)."""
    dct = (
        publication_date
        if isinstance(publication_date, dt.date)
        else dt.date.fromisoformat(str(publication_date)[:10])
    )
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
        norm = _normalise(kind, m, dct)
        if norm is None:
            continue
        taken.append((start, end))
        found.append((start, end, kind, m, norm))
    found.sort(key=lambda f: f[0])
    out = []
    for i, (start, end, kind, m, norm) in enumerate(found):
        if kind == "duration" and m.group("anchor"):
            anchored = _anchor(text, found, i, m, dct)
            if anchored is None:  # no anchor: keep the duration, drop the connective
                end = m.start("anchor")
                end = len(text[:end].rstrip())
            else:
                norm = {"value": anchored, "type": "DATE", "mod": None}
        out.append({"start": start, "end": end, "text": text[start:end], **norm})
    return out


def _day(value: str) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat(value[:10]) if re.match(r"\d{4}-\d\d-\d\d", value) else None
    except ValueError:
        return None


def _anchor(text: str, found: list, i: int, m: re.Match, dct: dt.date) -> Optional[str]:
    word = m.group("anchor").lower()
    unit = m.group("unit").lower()
    num = m.group("num").lower()
    n = int(num) if num.isdigit() else NUMBER_WORDS.get(num)
    if n is None or unit not in ("day", "week"):
        if word == "ago" and n is not None and unit in ("month", "year"):
            return _shift(dct, unit, -n)
        return None
    days = n * (7 if unit == "week" else 1)
    if word == "ago":
        return (dct - dt.timedelta(days=days)).isoformat()
    if word in ("after", "before"):
        stop = _SENTENCE_END.search(text, m.end())
        limit = stop.start() if stop else len(text)
        for start, _end, _k, _m, norm in found[i + 1 :]:
            if start >= limit:
                break
            base = _day(norm["value"])
            if base is not None:
                sign = 1 if word == "after" else -1
                return (base + dt.timedelta(days=sign * days)).isoformat()
        return None
    for _s, _e, _k, _m, norm in reversed(found[:i]):  # later / earlier: the previous date
        base = _day(norm["value"])
        if base is not None:
            sign = 1 if word == "later" else -1
            return (base + dt.timedelta(days=sign * days)).isoformat()
    return None
