"""One MUC-4 answer-key fill: tokenising it and reading its numbers and dates.

A key slot holds one fill per line (continuation lines add fills). A fill is::

    [?] VALUE [/ VALUE ...] [: "REF" [/ "REF" ...]]

``?`` marks an optional fill (a null response is also correct); ``/`` separates
alternative correct values; the part after ``:`` is the cross-reference to the fill of
another slot (HUM TGT: NUMBER → NAME or DESCRIPTION), itself with alternatives. VALUE
is a quoted string (``"FMLN"``, inner quotes escaped as ``\\"``) or a bare set fill,
number or date (``DEATH``, ``~7``, ``5 - 7``, ``(- 25 AUG 88)``). ``-`` is the null
fill, ``*`` the inapplicable one (see TASK/TASKDOC/templ-doc-basic/template-doc-part1).
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

_STRING = re.compile(r'"((?:\\.|[^"\\])*)"')
_SEP = re.compile(r"\s*/\s*")


class FillError(ValueError):
    """A fill that cannot be read; the message says why."""


@dataclass(frozen=True)
class Fill:
    """One fill line: alternatives of the value, alternatives of the cross-reference."""

    values: tuple[str, ...]
    refs: tuple[str, ...] = ()
    optional: bool = False
    quoted: bool = False  # the values are text strings (else set fills / numbers / dates)
    repaired: bool = False  # the quoting was unbalanced and was read leniently

    @property
    def value(self) -> str:
        return self.values[0]


def _unescape(s: str) -> str:
    return s.replace('\\"', '"').replace("\\\\", "\\")


def parse_strings(text: str) -> tuple[tuple[str, ...], str, bool]:
    """``"A" / "B" ...`` at the start of ``text`` → (strings, rest after the list, repaired).

    The rest starts at the first character after the last string that is not a ``/``
    separator. An unbalanced list (``"16 OTHERS / "OTHERS"`` in the TST keys) is read by
    splitting on ``/`` and stripping quotes, and flagged as repaired.
    """
    out: list[str] = []
    pos = 0
    s = text
    while True:
        m = _STRING.match(s, pos)
        if not m:
            break
        out.append(_unescape(m.group(1)))
        pos = m.end()
        sep = _SEP.match(s, pos)
        if sep and sep.group(0).strip() == "/" and s.startswith('"', sep.end()):
            pos = sep.end()
            continue
        break
    rest = s[pos:]
    if out and (not rest.strip() or rest.lstrip().startswith(":")):
        return tuple(out), rest, False
    # lenient reading of an unbalanced list: everything up to ': "' is the list
    head, colon, tail = _split_at_reference(s)
    if len(re.findall(r'(?<!\\)"', head)) % 2 == 0:
        raise FillError(f"unexpected text {rest.strip()!r} after the quoted strings")
    parts = [p.strip().strip('"').strip() for p in head.split("/")]
    parts = [_unescape(p) for p in parts if p]
    if not parts:
        raise FillError(f"expected quoted strings, got {text!r}")
    return tuple(parts), (colon + tail), True


def _split_at_reference(s: str) -> tuple[str, str, str]:
    """Split at the first ``: "`` (where a cross-reference starts): the lenient reader's
    boundary between a value list and its reference."""
    m = re.search(r':\s*"', s)
    if not m:
        return s, "", ""
    return s[: m.start()], ":", s[m.start() + 1 :]


def parse_fill(text: str) -> Fill:
    """Read one fill line (already stripped of the slot label and indentation)."""
    s = text.strip()
    if not s:
        raise FillError("empty fill")
    optional = s.startswith("?")
    if optional:
        s = s[1:].strip()
    if m := re.fullmatch(r'\(\s*(".*")\s*\)\s*(:.*)?', s):  # ("A" / "B"): "REF"
        s = m.group(1) + (m.group(2) or "")
    if s.startswith('"'):
        values, rest, repaired = parse_strings(s)
        refs: tuple[str, ...] = ()
        rest = rest.strip()
        if rest.startswith(":"):
            refs, tail, rep2 = parse_strings(rest[1:].strip())
            repaired = repaired or rep2
            if tail.strip():
                raise FillError(f"unexpected text {tail.strip()!r} after the cross-reference")
        elif rest:
            raise FillError(f"unexpected text {rest!r} after the quoted strings")
        return Fill(values, refs, optional, quoted=True, repaired=repaired)
    quote = s.find('"')
    refs = ()
    repaired = False
    if quote >= 0:
        head, body = s[:quote].rstrip(), s[quote:]
        if not head.endswith(":"):
            raise FillError(f"a quoted cross-reference must follow ':' in {text!r}")
        s = head[:-1].strip()
        refs, tail, repaired = parse_strings(body)
        if tail.strip():
            raise FillError(f"unexpected text {tail.strip()!r} after the cross-reference")
    if s.startswith("(") and s.endswith(")") and s.count("(") == 1:
        s = s[1:-1].strip()  # "(INJURY / DEATH)"
    alts = [a.strip() for a in re.split(r"\)\s*/\s*\(|\s*/\s*", s)]
    alts = [a.strip("()").strip() for a in alts]
    if not all(alts):
        raise FillError(f"empty alternative in {text!r}")
    return Fill(tuple(alts), refs, optional, quoted=False, repaired=repaired)


# --- numbers (HUM TGT: NUMBER) -------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    """A key number in the schema's terms (see schema.QUALIFIERS)."""

    qualifier: str
    count: int | None = None
    low: int | None = None
    high: int | None = None


_INT = r"(\d[\d,]*)"


def parse_number(value: str) -> Number:
    """``7``, ``~7``, ``6-`` (at least 6), ``- 15`` (at most 15), ``5 - 7``, ``PLURAL``.

    The forms are those of template-doc-part1 §7.22; "at most" (``- N``) is the key's
    reading of the date notation ``- DD MMM YY`` (on or before) applied to numbers.
    """
    v = value.strip()
    if v.upper() == "PLURAL":
        return Number("vague")

    def num(s: str) -> int:
        return int(s.replace(",", ""))

    if m := re.fullmatch(_INT, v):
        return Number("exact", count=num(m.group(1)))
    if m := re.fullmatch(r"~\s*" + _INT, v):
        return Number("approx", count=num(m.group(1)))
    if m := re.fullmatch(_INT + r"\s*-", v):
        return Number("at_least", count=num(m.group(1)))
    if m := re.fullmatch(r"-\s*" + _INT, v):
        return Number("at_most", count=num(m.group(1)))
    if m := re.fullmatch(_INT + r"\s*-\s*" + _INT, v):
        low, high = num(m.group(1)), num(m.group(2))
        if low > high:
            raise FillError(f"range {v!r} has its low end above its high end")
        return Number("range", low=low, high=high)
    raise FillError(f"{value!r} is not a MUC number (N, ~N, N-, - N, N - M or PLURAL)")


# --- dates (INCIDENT: DATE) -----------------------------------------------------------------

MONTHS = {m: i for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), 1)}
_DAY_MONTH = re.compile(r"(\d{1,2})\s+([A-Z]{3})[A-Z]*\.?(?:\s+(\d{2}|\d{4}))?")
_MONTH_DAY = re.compile(r"([A-Z]{3})[A-Z]*\.?\s+(\d{1,2})(?:\s+(\d{2}|\d{4}))?")


def parse_day(text: str, *, anchor: _dt.date | None = None) -> _dt.date:
    """``25 AUG 88`` (also ``25 AUGUST 88``, ``AUG 25 88``, ``11 NOV``) → a date.

    A missing year is taken from ``anchor`` (the publication date): the latest year that
    does not put the day more than a month after the anchor.
    """
    s = text.strip().upper()
    m = _DAY_MONTH.fullmatch(s)
    if m:
        day, mon, year = m.group(1), m.group(2), m.group(3)
    elif m := _MONTH_DAY.fullmatch(s):
        mon, day, year = m.group(1), m.group(2), m.group(3)
    else:
        raise FillError(f"{text!r} is not a date of the form DD MMM YY")
    if mon not in MONTHS:
        raise FillError(f"{text!r}: unknown month {mon!r}")
    month, dday = MONTHS[mon], int(day)
    if year is None:
        if anchor is None:
            raise FillError(f"{text!r} has no year and there is no publication date to take it from")
        y = anchor.year
        try:
            if _dt.date(y, month, dday) > anchor + _dt.timedelta(days=31):
                y -= 1
        except ValueError:
            pass
    else:
        y = int(year) if len(year) == 4 else 1900 + int(year)
    try:
        return _dt.date(y, month, dday)
    except ValueError:
        raise FillError(f"{text!r} is not a calendar date") from None


@dataclass(frozen=True)
class DateValue:
    value: str  # TIMEX3 value (a day, a month or an ISO interval day/day)
    mod: str | None = None
    repair: str | None = None  # how an impossible key date was read, if it was


def _day_or_month(text: str, anchor: _dt.date | None) -> tuple[str, str | None]:
    """A day's ISO value; an impossible day of a real month (``31 NOV 89``) → the month."""
    try:
        return parse_day(text, anchor=anchor).isoformat(), None
    except FillError:
        m = re.fullmatch(r"\d{1,2}\s+([A-Z]{3})[A-Z]*\s+(\d{2})", text.strip().upper())
        if not m or m.group(1) not in MONTHS:
            raise
        value = f"19{m.group(2)}-{MONTHS[m.group(1)]:02d}"
        return value, f"{text.strip()!r} is not a calendar date: kept the month {value}"


def _clamped_day(text: str, anchor: _dt.date | None) -> tuple[_dt.date, str | None]:
    """A range end; an impossible day (``31 NOV 89``) becomes the month's last day."""
    try:
        return parse_day(text, anchor=anchor), None
    except FillError:
        m = re.fullmatch(r"(\d{1,2})\s+([A-Z]{3})[A-Z]*\s+(\d{2})", text.strip().upper())
        if not m or m.group(2) not in MONTHS:
            raise
        import calendar

        year, month = 1900 + int(m.group(3)), MONTHS[m.group(2)]
        last = calendar.monthrange(year, month)[1]
        if int(m.group(1)) <= last:
            raise
        day = _dt.date(year, month, last)
        return day, f"range end {text.strip()!r} is not a calendar date: read as {day}"


def parse_date(value: str, *, anchor: _dt.date | None = None) -> DateValue:
    """The key's date forms (template-doc-part1 §7.3) → a TIMEX3 value and mod.

    ``25 AUG 88`` → 1988-08-25; ``- 25 AUG 88`` (on or before) → 1988-08-25 with mod
    ON_OR_BEFORE; ``24 AUG 88 - 25 AUG 88`` (on or between) → 1988-08-24/1988-08-25.

    Two slips of the keys are read rather than rejected, and the reading is returned in
    ``repair``: an impossible day of a real month (``31 NOV 89``) keeps the month
    (``1989-11``), as a range end the month's last day; a range that ends before it starts (``11 NOV 90 - 19 NOV 89``) keeps
    its end as an upper bound (``1989-11-19``, ON_OR_BEFORE).
    """
    v = value.strip()
    if v.startswith("-"):
        day, repair = _day_or_month(v[1:], anchor)
        return DateValue(day, "ON_OR_BEFORE", repair)
    parts = re.split(r"\s+-\s+|(?<=\d)-(?=\s*\d)", v)
    if len(parts) == 2:
        (a, rep_a), (b, rep_b) = (_clamped_day(p, anchor) for p in parts)
        repair = rep_a or rep_b
        if a > b:
            return DateValue(
                b.isoformat(), "ON_OR_BEFORE",
                f"range {value!r} ends before it starts: kept its end as an upper bound",
            )
        if a == b:
            return DateValue(a.isoformat(), None, repair)
        return DateValue(f"{a.isoformat()}/{b.isoformat()}", None, repair)
    if len(parts) != 1:
        raise FillError(f"{value!r} is not a MUC date (DD MMM YY, - DD MMM YY, or a range)")
    day, repair = _day_or_month(v, anchor)
    return DateValue(day, None, repair)
