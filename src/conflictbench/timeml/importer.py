"""TimeML files (TimeBank, AQUAINT, TempEval-3) → a dates-only conflictbench corpus.

:func:`read_timeml` maps every file (see :mod:`.reader`) to a document: text = ``<TEXT>``
without tags, each consuming TIMEX3 of ``<TEXT>`` a date mention (``value``, ``type``,
``mod``), ``publication_date`` = the DCT (the TIMEX3 with
``functionInDocument="CREATION_TIME"``, not a text mention). Every lenient reading is
listed in the report and the generated card; a file that cannot be read stops the import
with its name and the reason, and nothing is written.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from .. import timex as tx
from ..actors import ActorRegistry
from ..errors import DataError
from ..schema import DATE_MODS, DATE_TYPES
from ..validation import parse_publication_date
from .reader import TimeMLError, TmlFile, read_tml
from .sources import Source, read_sources, split_name

SOURCE = "TimeML"

#: TimeML duration units the TIMEX3 grammar of :mod:`conflictbench.timex` lacks → (factor, unit)
_EXTRA_UNITS = {"Q": (3, "M"), "E": (10, "Y"), "C": (100, "Y"), "L": (1000, "Y")}
#: TimeML attributes with no place in the schema (dropped, counted in the card)
UNKEPT_ATTRIBUTES = ("anchorTimeID", "beginPoint", "endPoint", "freq", "quant", "temporalFunction",
                     "functionInDocument", "valueFromFunction", "comment")


@dataclass(frozen=True)
class TimeMLReport:
    inputs: tuple[str, ...]
    sha256: dict[str, str]  # input path -> sha256 (files and archives; folders are hashed by content)
    documents: dict[str, int]
    dates: dict[str, int]
    timex_tags: int  # every <TIMEX3 in the files read, DCTs included
    dcts: int
    attributes_not_kept: dict[str, int]
    notes: tuple[str, ...]  # every lenient reading, one line each

    def to_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


def lenient_value(value: str) -> str | None:
    """A TimeML value the schema's grammar lacks, in that grammar: ``2000-W8`` → ``2000-W08``;
    ``P1Q`` → ``P3M``, ``P1E`` → ``P10Y`` (decade), ``PXC`` → ``PXY`` (century), ``P2L`` →
    ``P2000Y`` (millennium). None when no reading exists (``PXX``: unit unknown)."""
    m = re.fullmatch(r"([0-9X]{4})-W(\d)((?:-\w+)?)", value)
    if m:
        return f"{m.group(1)}-W0{m.group(2)}{m.group(3)}"
    m = re.fullmatch(r"P(\d+|X)([QECL])", value)
    if m:
        factor, unit = _EXTRA_UNITS[m.group(2)]
        n = m.group(1)
        return f"P{'X' if n == 'X' else int(n) * factor}{unit}"
    return None


def _fitting_type(value: str, typ: str) -> str:
    """The TIMEX3 type a value's shape fits, for a gold type that does not fit it."""
    if tx.is_duration(value):
        return "DURATION"
    return "DATE"  # a point value typed DURATION, or a TIME without a clock time


def map_file(tml: TmlFile, notes: list[str], unkept: dict[str, int]) -> dict[str, Any]:
    """One parsed file → a corpus document (``notes`` gets its lenient readings)."""
    name = tml.name
    if tml.dct is None:
        raise TimeMLError(f"{name}: no DCT (a TIMEX3 with functionInDocument=\"CREATION_TIME\")")
    dct = dict(tml.dct)
    dct_value = dct.get("value") or ""
    pub = parse_publication_date(dct_value[:10]) if re.match(r"\d{4}-\d\d-\d\d", dct_value) else None
    if pub is None:
        raise TimeMLError(f"{name}: DCT {dct.get('tid', '?')!r}: value {dct_value!r} is not a calendar date")
    for tid in tml.empty_timexes:
        notes.append(f"{name}: TIMEX3 {tid!r} has no text (non-consuming): not a text mention, skipped")
    for tid in tml.dct_in_text:
        notes.append(f"{name}: the DCT TIMEX3 {tid!r} is inside <TEXT>: the publication date, not a mention")
    dates = []
    for t in tml.timexes:
        tid = t.get("tid") or "?"
        where = f"{name}: TIMEX3 {tid!r} ({tml.text[t.start:t.end]!r})"
        value, typ, mod = t.get("value"), t.get("type"), t.get("mod")
        if typ not in DATE_TYPES:
            raise TimeMLError(f"{where}: type {typ!r} is not one of {list(DATE_TYPES)}")
        if mod is not None and mod not in DATE_MODS:
            raise TimeMLError(f"{where}: mod {mod!r} is not one of {list(DATE_MODS)}")
        if value is None:
            raise TimeMLError(f"{where}: no value attribute")
        if not tx.is_valid_value(value):
            fixed = lenient_value(value)
            if fixed is None:
                if re.fullmatch(r"P(\d+|X)X", value):
                    notes.append(f"{where}: value {value!r} (unit unknown) has no TIMEX3 reading here: skipped")
                    continue
                raise TimeMLError(f"{where}: value {value!r} is not a TIMEX3 value")
            notes.append(f"{where}: value {value!r} read as {fixed!r}")
            value = fixed
        if not tx.type_agrees(value, typ):
            new = _fitting_type(value, typ)
            notes.append(f"{where}: type {typ!r} does not fit value {value!r}: read as {new!r}")
            typ = new
        for k, _v in t.attrs:
            if k in UNKEPT_ATTRIBUTES:
                unkept[k] = unkept.get(k, 0) + 1
        dates.append({"start": t.start, "end": t.end, "text": tml.text[t.start:t.end], "value": value,
                      "type": typ, "mod": mod, "optional": False})
    doc_id = Path(name.rsplit(":", 1)[-1]).name[: -len(".tml")]
    return {
        "id": doc_id,
        "text": tml.text,
        "title": tml.title or doc_id,
        "source": SOURCE,
        "url": None,
        "language": "en",
        "publication_date": pub.isoformat(),
        "casualties": [],
        "actors": [],
        "dates": dates,
    }


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    if path.is_dir():
        for f in sorted(path.rglob("*.tml")):
            h.update(f.relative_to(path).as_posix().encode() + b"\0" + f.read_bytes())
        return h.hexdigest()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_timeml(
    paths: Sequence[str | Path], *, split: str | None = None
) -> tuple[dict[str, list[dict[str, Any]]], ActorRegistry, TimeMLReport]:
    """Documents per split (one per folder, or all in ``split``), an empty registry, the report."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if split is not None and not re.fullmatch(r"[a-z0-9_]+", split):
        raise DataError(f"--split {split!r}: a split name is lower-case letters, digits and '_'")
    sources: list[Source] = read_sources(paths)
    notes: list[str] = []
    unkept: dict[str, int] = {}
    out: dict[str, list[dict[str, Any]]] = {}
    seen: dict[str, tuple[str, bytes]] = {}
    tags = dcts = 0
    for src in sources:
        tml = read_tml(src.data, src.name)
        doc = map_file(tml, notes, unkept)
        tags += tml.raw.count("<TIMEX3")
        dcts += 1
        first = seen.get(doc["id"])
        if first is not None:
            if first[1] == src.data:
                notes.append(f"{src.name}: an identical copy of {first[0]}: skipped")
                continue
            raise TimeMLError(f"{src.name}: document id {doc['id']!r} again (first in {first[0]}), with "
                              "different content; ids are file names and must be unique")
        seen[doc["id"]] = (src.name, src.data)
        out.setdefault(split or split_name(src.folder), []).append(doc)
    report = TimeMLReport(
        inputs=tuple(str(p) for p in paths),
        sha256={str(p): _sha256(Path(p)) for p in paths},
        documents={s: len(d) for s, d in out.items()},
        dates={s: sum(len(x["dates"]) for x in d) for s, d in out.items()},
        timex_tags=tags,
        dcts=dcts,
        attributes_not_kept=dict(sorted(unkept.items())),
        notes=tuple(notes),
    )
    return out, ActorRegistry.from_actors([]), report


def import_timeml(paths: Sequence[str | Path], out_dir: str | Path, *, split: str | None = None) -> TimeMLReport:
    """Read the files and write the corpus folder ``out_dir`` (validated, atomic)."""
    from ..corpus import write_corpus
    from .card import timeml_card

    splits, registry, report = read_timeml(paths, split=split)
    write_corpus(out_dir, splits, registry, card=timeml_card(splits, report))
    return report
