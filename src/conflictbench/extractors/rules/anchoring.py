"""The anchoring policy for temporal expressions: a matched expression → its TIMEX3 value,
type and mod, relative to the document creation time (DCT). :mod:`.temporal` finds the
expressions; the rules are listed in its docstring (annotation guidelines §4.3).

A document without a DCT (``publication_date`` null) still gets every expression: what
needs the DCT takes the TIMEX3 underspecified form (guidelines §1.2): "on Thursday" →
``XXXX-WXX-4``, "December 1" → ``XXXX-12-01``, "yesterday" → ``XXXX-XX-XX``, "last month"
→ ``XXXX-XX``; absolute dates, durations and sets are unchanged.

Absolute dates and times are read by ``python-dateutil``; this module holds only the
vocabulary and the policy.
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


def _calendar(m: re.Match, dct: Optional[dt.date]) -> Optional[tuple[str, str]]:
    from dateutil import parser

    mon = m.group("mon") or m.group("mon2")
    day = m.group("day") or m.group("day2")
    month = _month_num(mon)
    if m.group("year"):
        year = int(m.group("year"))
    elif dct is None:  # no DCT: the year stays unknown; the day must exist in some year
        try:
            dt.date(2000, month, int(day))  # 2000 is a leap year: 29 February exists
        except ValueError:
            return None
        value = f"XXXX-{month:02d}-{int(day):02d}"
        t = _time_value(m.group("time")) if m.group("time") else None
        return (value + "T" + t, "TIME") if t else (value, "DATE")
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


def _weekday(m: re.Match, dct: Optional[dt.date]) -> tuple[str, str]:
    wd = WEEKDAYS.index(m.group("wd").title())
    rel = (m.group("rel") or "").lower()
    if dct is None:  # "on Thursday" without a DCT: some Thursday, XXXX-WXX-4
        value = f"XXXX-WXX-{wd + 1}"
        if m.group("pod"):
            return value + "T" + PARTS_OF_DAY[m.group("pod")], "TIME"
        return value, "DATE"
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


def _shift(dct: Optional[dt.date], unit: str, n: int) -> str:
    """The period ``n`` units from the DCT at that unit's granularity (without a DCT, the
    underspecified period of that unit: ``XXXX-XX-XX``, ``XXXX-WXX``, ``XXXX-XX``, ``XXXX``)."""
    if dct is None:
        return {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX"}.get(unit, "XXXX")
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


def normalise(kind: str, m: re.Match, dct: Optional[dt.date]) -> Optional[dict[str, Any]]:
    """``{value, type, mod}`` of an expression matched by the :mod:`.temporal` pattern of
    ``kind``, or None when it is no date after all (the modal "May", a bad day number).
    ``dct`` None: the document has no DCT (see the module docstring)."""
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
        if g.get("year"):
            value = f"{int(g['year'])}-{month:02d}"
        elif dct is None:
            value = f"XXXX-{month:02d}"
        else:
            value = f"{_recent_month(month, dct, _future(m))}-{month:02d}"
        typ = "DATE"
    elif kind == "weekday":
        value, typ = _weekday(m, dct)
    elif kind == "deictic":
        words = g["deictic"].lower().split()
        shift = {"today": 0, "tonight": 0, "this": 0, "yesterday": -1, "tomorrow": 1, "last": -1,
                 "overnight": -1}[words[0]]  # fmt: skip
        value = "XXXX-XX-XX" if dct is None else (dct + dt.timedelta(days=shift)).isoformat()
        typ = "DATE"
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


_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")


_ISO_DAY = re.compile(r"\d{4}-\d\d-\d\d")


def _day(value: str) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat(value[:10]) if _ISO_DAY.match(value) else None
    except ValueError:
        return None


def resolve_offset(text: str, found: list, i: int, m: re.Match, dct: Optional[dt.date]) -> Optional[str]:
    """The date of an offset phrase ("two days after", "three days ago", "Four days
    later") from its anchor (the next date of the sentence, the DCT, the previous date), or
    None when it has none. "N days ago" without a DCT is the unknown day ``XXXX-XX-XX``
    (``XXXX-XX`` / ``XXXX`` for months and years)."""
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
        return "XXXX-XX-XX" if dct is None else (dct - dt.timedelta(days=days)).isoformat()
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
