"""MUC text files → documents by id, and the dateline → publication date.

A text file holds many messages, each starting with its id on a line of its own
(``DEV-MUC3-0001 (NOSC)``, ``TST4-MUC4-0001``), followed by the message: a dateline
``PLACE, DD MMM YY (SOURCE) -- [TEXT] ...`` and the body (see
TASK/CORPORA/dev/text-headers-info). The document text is everything between the id
line and the next id line, verbatim, without the blank lines around it.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from .fills import FillError, parse_day

_ID_LINE = re.compile(r"(?m)^((?:DEV|TST\d)-MUC\d-\d{4})\b[^\n]*\n?")
# PLACE , DATE [ (SOURCE) ] --      DATE: DD MMM [YY] | NO DATE | MMM DD YY
_DATELINE = re.compile(
    r"\A(?P<place>[^\n]*?(?:\n[^\n]*?)?),\s*"
    r"(?P<date>NO\s+DATE|\d{1,2}\s+[A-Z]{3}[A-Z]*\.?(?:\s+\d{2})?|[A-Z]{3}[A-Z]*\s+\d{1,2}\s+\d{2})"
    r"\s*(?:[(\[](?P<source>[^)\]]*)[)\]])?\s*--",  # "[INRAVISION ... 1)" occurs too
    re.IGNORECASE,
)


class TextError(ValueError):
    """A text file or message that cannot be read."""


@dataclass(frozen=True)
class Message:
    doc_id: str  # MUC id, upper case
    text: str  # verbatim message text
    line: int  # line of the id in the text file
    place: str | None
    date: str | None  # the dateline's date as written (None for NO DATE)
    source: str | None


def split_messages(text: str) -> list[Message]:
    """The messages of one text file, in file order."""
    matches = list(_ID_LINE.finditer(text))
    if not matches:
        raise TextError("no message id line (e.g. 'DEV-MUC3-0001 (NOSC)') found")
    if text[: matches[0].start()].strip():
        raise TextError("text before the first message id line")
    out = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        body = _strip_blank_lines(text[m.end() : end])
        line = text.count("\n", 0, m.start()) + 1
        if not body.strip():
            raise TextError(f"line {line}: message {m.group(1)} is empty")
        place, date, source = read_dateline(body)
        out.append(Message(m.group(1), body, line, place, date, source))
    return out


def _strip_blank_lines(s: str) -> str:
    """``s`` without leading and trailing blank lines (indentation of the first line kept)."""
    lines = s.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines).rstrip()


def read_dateline(body: str) -> tuple[str | None, str | None, str | None]:
    """(place, date as written or None for NO DATE, source) of a message's dateline."""
    m = _DATELINE.match(body.strip())
    if not m:
        return None, None, None
    date = m.group("date")
    date = None if date.upper().replace(" ", "") == "NODATE" else " ".join(date.split())
    place = " ".join(m.group("place").split())
    source = " ".join(m.group("source").split()) if m.group("source") else None
    return place, date, source


def publication_dates(messages: list[Message]) -> tuple[list[_dt.date], list[str]]:
    """Each message's publication date, and the ids whose date was inferred.

    A dateline without a year takes the year that puts it closest to the previous
    message's date; a message with ``NO DATE`` (or no dateline) takes the previous
    message's date — the collection is in rough date order. Inferred ids are returned so
    the card can list them.
    """
    dates: list[_dt.date] = []
    inferred: list[str] = []
    prev: _dt.date | None = None
    pending: list[int] = []  # NO DATE messages before the first dated one
    for i, msg in enumerate(messages):
        if msg.date is None:
            inferred.append(msg.doc_id)
            if prev is None:
                pending.append(i)
                dates.append(_dt.date.min)
            else:
                dates.append(prev)
            continue
        has_year = bool(re.search(r"\d{2}\s*$", msg.date)) and len(msg.date.split()) == 3
        try:
            if has_year:
                d = parse_day(msg.date)
            else:
                if prev is None:
                    raise TextError(
                        f"line {msg.line}: message {msg.doc_id}: dateline date {msg.date!r} has "
                        "no year and no earlier message to take it from"
                    )
                inferred.append(msg.doc_id)
                d = min(
                    (parse_day(f"{msg.date} {y % 100:02d}") for y in (prev.year - 1, prev.year, prev.year + 1)),
                    key=lambda c: abs((c - prev).days),
                )
        except FillError as exc:
            raise TextError(f"line {msg.line}: message {msg.doc_id}: dateline: {exc}") from None
        for j in pending:
            dates[j] = d
        pending = []
        dates.append(d)
        prev = d
    if pending:
        raise TextError("no message of the file has a dated dateline")
    return dates, inferred
