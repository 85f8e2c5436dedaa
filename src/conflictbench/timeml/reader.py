"""One TimeML (``.tml``) file → its ``<TEXT>`` text, TIMEX3 extents and DCT.

The file is checked for well-formedness with :mod:`xml.etree.ElementTree` (a malformed file
is a :class:`TimeMLError` naming the file, line and column), then the ``<TEXT>`` element is
read from the raw characters: the document text is that element's content with every tag
removed and the five predefined entities and character references decoded; nothing else
changes (line ends stay as in the file — an XML parser would turn CR LF into LF).
Offsets are Python code points into that text. :attr:`TmlFile.raw_offsets` maps them back
to positions in the file, so an export can rebuild ``<TEXT>`` with other tags and the very
same characters.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..errors import DataError


class TimeMLError(DataError):
    """A TimeML file that cannot be read: the message names the file and the place."""


@dataclass(frozen=True)
class Timex:
    """A TIMEX3 inside ``<TEXT>``: its extent in the text and its attributes as written."""

    start: int
    end: int
    attrs: tuple[tuple[str, str], ...]

    def get(self, name: str) -> str | None:
        for k, v in self.attrs:
            if k == name:
                return v
        return None


@dataclass(frozen=True)
class TmlFile:
    name: str  # the file or archive member it came from
    text: str
    timexes: tuple[Timex, ...]  # inside <TEXT>, in document order, consuming ones only
    dct: tuple[tuple[str, str], ...] | None  # the CREATION_TIME TIMEX3's attributes
    title: str | None
    #: empty (non-consuming) TIMEX3 inside <TEXT>: tids, kept out of ``timexes``
    empty_timexes: tuple[str, ...]
    #: CREATION_TIME TIMEX3 found inside <TEXT> (not text mentions): tids
    dct_in_text: tuple[str, ...]
    raw: str
    #: raw_offsets[i] = position in ``raw`` of text[i]; raw_offsets[len(text)] = end of content
    raw_offsets: tuple[int, ...]
    text_open: int  # position in ``raw`` just after "<TEXT>"
    text_close: int  # position in ``raw`` of "</TEXT>"


_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_TOKEN = re.compile(r"<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>|<[^>]*>|&[^;&<]*;|[^<&]+|[<&]", re.S)
_OPEN = re.compile(r"<([A-Za-z_][\w.-]*)((?:\s[^>]*?)?)(/?)>", re.S)
_CLOSE = re.compile(r"</([A-Za-z_][\w.-]*)\s*>")
_ATTR = re.compile(r"([A-Za-z_][\w.:-]*)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_TEXT_OPEN = re.compile(r"<TEXT(?:\s[^>]*)?>")
_TEXT_CLOSE = re.compile(r"</TEXT\s*>")


def _line_col(raw: str, pos: int) -> str:
    line = raw.count("\n", 0, pos) + 1
    return f"line {line}, column {pos - (raw.rfind(chr(10), 0, pos) + 1) + 1}"


def decode_entity(ref: str, *, where: str) -> str:
    body = ref[1:-1]
    if body in _ENTITIES:
        return _ENTITIES[body]
    try:
        if body.startswith("#x"):
            return chr(int(body[2:], 16))
        if body.startswith("#"):
            return chr(int(body[1:]))
    except (ValueError, OverflowError):
        pass
    raise TimeMLError(f"{where}: unknown entity reference {ref!r}")


def parse_attrs(tag_body: str, *, where: str) -> tuple[tuple[str, str], ...]:
    out = []
    for m in _ATTR.finditer(tag_body):
        value = m.group(2) if m.group(2) is not None else m.group(3)
        value = re.sub(r"&[^;&]*;", lambda e: decode_entity(e.group(0), where=where), value)
        out.append((m.group(1), value))
    return tuple(out)


def decode_file(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise TimeMLError(f"{name}: line {line}: byte {data[exc.start]:#04x} is not valid UTF-8") from None


def read_tml(data: bytes | str, name: str) -> TmlFile:
    """Parse one TimeML file (bytes are decoded as strict UTF-8)."""
    raw = decode_file(data, name) if isinstance(data, bytes) else data
    try:
        ET.fromstring(raw.encode("utf-8"))
    except ET.ParseError as exc:
        line, col = exc.position
        raise TimeMLError(f"{name}: line {line}, column {col + 1}: malformed XML ({_reason(exc)})") from None
    opens, closes = list(_TEXT_OPEN.finditer(raw)), list(_TEXT_CLOSE.finditer(raw))
    if len(opens) != 1 or len(closes) != 1:
        raise TimeMLError(f"{name}: expected one <TEXT> element, found {len(opens)}")
    t_open, t_close = opens[0].end(), closes[0].start()
    text_parts: list[str] = []
    offsets: list[int] = []
    timexes: list[Timex] = []
    empty: list[str] = []
    dct_in_text: list[str] = []
    open_timex: tuple[int, tuple[tuple[str, str], ...], int] | None = None  # (start, attrs, raw pos)
    n = 0
    for m in _TOKEN.finditer(raw, t_open, t_close):
        tok, pos = m.group(0), m.start()
        where = f"{name}: {_line_col(raw, pos)}"
        if tok.startswith("<!--") or tok.startswith("<?"):
            continue
        if tok.startswith("<![CDATA["):
            raise TimeMLError(f"{where}: CDATA sections inside <TEXT> are not supported")
        if tok.startswith("</"):
            c = _CLOSE.fullmatch(tok)
            if c and c.group(1) == "TIMEX3":
                if open_timex is None:  # pragma: no cover - ElementTree rejects it first
                    raise TimeMLError(f"{where}: </TIMEX3> without an open TIMEX3")
                start, attrs, _p = open_timex
                open_timex = None
                tid = dict(attrs).get("tid", "?")
                if dict(attrs).get("functionInDocument") == "CREATION_TIME":
                    dct_in_text.append(tid)
                elif n == start or not "".join(text_parts)[start:].strip():
                    empty.append(tid)
                else:
                    timexes.append(Timex(start, n, attrs))
            continue
        if tok.startswith("<"):
            o = _OPEN.fullmatch(tok)
            if not o:
                raise TimeMLError(f"{where}: cannot read the tag {tok[:40]!r}")
            if o.group(1) == "TIMEX3":
                attrs = parse_attrs(o.group(2), where=where)
                if o.group(3):  # <TIMEX3 .../>: a non-consuming timex, no text
                    empty.append(dict(attrs).get("tid", "?"))
                    continue
                if open_timex is not None:
                    outer = dict(open_timex[1]).get("tid", "?")
                    raise TimeMLError(
                        f"{where}: TIMEX3 {dict(attrs).get('tid', '?')!r} is nested inside TIMEX3 "
                        f"{outer!r}; TimeML extents cannot nest"
                    )
                open_timex = (n, attrs, pos)
            continue
        chars = decode_entity(tok, where=where) if tok.startswith("&") else tok
        if tok.startswith("&"):
            text_parts.append(chars)
            offsets.append(pos)
            n += 1
        else:
            text_parts.append(chars)
            offsets.extend(range(pos, pos + len(chars)))
            n += len(chars)
    offsets.append(t_close)
    dct = _find_dct(raw, name)
    title = _title(raw, name)
    return TmlFile(
        name=name,
        text="".join(text_parts),
        timexes=tuple(timexes),
        dct=dct,
        title=title,
        empty_timexes=tuple(empty),
        dct_in_text=tuple(dct_in_text),
        raw=raw,
        raw_offsets=tuple(offsets),
        text_open=t_open,
        text_close=t_close,
    )


def _reason(exc: ET.ParseError) -> str:
    return str(exc).split(":", 1)[0]


def _find_dct(raw: str, name: str) -> tuple[tuple[str, str], ...] | None:
    found = []
    for m in re.finditer(r"<TIMEX3(\s[^>]*?)/?>", raw):
        attrs = parse_attrs(m.group(1), where=f"{name}: {_line_col(raw, m.start())}")
        if dict(attrs).get("functionInDocument") == "CREATION_TIME":
            found.append((m.start(), attrs))
    if len(found) > 1:
        raise TimeMLError(
            f"{name}: {_line_col(raw, found[1][0])}: a second TIMEX3 with "
            'functionInDocument="CREATION_TIME" (a document has one DCT)'
        )
    return found[0][1] if found else None


def _title(raw: str, name: str) -> str | None:
    m = re.search(r"<TITLE(?:\s[^>]*)?>(.*?)</TITLE\s*>", raw, re.S)
    if not m:
        return None
    inner = re.sub(r"<[^>]*>", "", m.group(1))
    inner = re.sub(r"&[^;&]*;", lambda e: decode_entity(e.group(0), where=f"{name}: <TITLE>"), inner)
    return " ".join(inner.split()) or None
