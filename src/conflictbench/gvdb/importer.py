"""The Gun Violence Database (Pavlick et al., 2016) split files → a conflictbench corpus.

Each TSV file (columns ``Article id``, ``Article url``, ``Article title``, ``Full text``,
``Json``, ``Worker``) is one split named by its file stem. Per article (``Json`` fields
as ``conversion_scripts/readme.txt`` describes them):

* casualties — one value-level item ``killed`` (count = victims whose ``victim-was``
  contains ``killed``) and one ``injured`` (victims not killed whose ``victim-was`` contains
  ``injured`` or ``hospitalized``); qualifier ``exact``, victims ``people``, no span, no
  item for a zero count;
* actors — each shooter ``name`` with text → a ``person`` mention of the per-corpus
  registry entity of that name, with its offsets where ``Full text[startIndex:endIndex]``
  is the name (other offsets are dropped and counted: never shifted);
* dates — the incident ``date`` (a date picker's ``YYYY-MM-DD``) → a DATE value without span;
* ``publication_date`` null (GVDB gives none).

A record that cannot be read stops the import naming the file, line, article and field;
nothing is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence
from urllib.parse import urlparse

from ..actors import Actor, ActorRegistry, normalise_name
from ..errors import DataError

COLUMNS = ("Article id", "Article url", "Article title", "Full text", "Json", "Worker")
VICTIM_WAS = ("killed", "injured", "hospitalized")
ID_PREFIX = "gvdb:"
SOURCE = "GVDB"


@dataclass(frozen=True)
class GVDBReport:
    inputs: tuple[str, ...]
    sha256: dict[str, str]
    documents: dict[str, int]
    victims: dict[str, int]
    killed: dict[str, int]
    injured: dict[str, int]  # injured or hospitalized, not killed
    actors: dict[str, int]  # shooter mentions
    actors_with_offsets: dict[str, int]
    dropped_offsets: dict[str, int]  # shooter offsets that disagree with the text
    dates: dict[str, int]
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


class _Record:
    def __init__(self, path: str, line: int, article: str) -> None:
        self.where = f"{path}:{line}: article {article!r}"

    def fail(self, field: str, msg: str) -> DataError:
        return DataError(f"{self.where}: field {field}: {msg}; nothing written")


def _span_dict(value: Any, rec: _Record, field: str) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise rec.fail(field, f"expected an object with value/startIndex/endIndex, got {value!r}")
    return value


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", normalise_name(name)).strip("_") or "person"


def _date(raw: Any, rec: _Record, notes: list[str]) -> str | None:
    if raw in (None, ""):
        return None
    if not isinstance(raw, str):
        raise rec.fail("Json.date-and-time.date", f"expected a date string, got {raw!r}")
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", raw)
    if not m:
        raise rec.fail("Json.date-and-time.date", f"{raw!r} is not a YYYY-MM-DD date")
    try:
        d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise rec.fail("Json.date-and-time.date", f"{raw!r} is not a calendar date") from None
    if d.isoformat() != raw:
        notes.append(f"{rec.where}: date {raw!r} read as {d.isoformat()!r} (month/day without leading zero)")
    return d.isoformat()


def _sources(paths: Sequence[Path]) -> list[tuple[str, str, bytes]]:
    """(name, split, bytes) of every TSV: a file, or each ``*.tsv`` member of a ``.tar.gz``
    (read directly, never extracted). The split is the file stem."""
    import tarfile

    out = []
    for path in paths:
        if not path.is_file():
            raise DataError(f"{path}: no such file")
        if path.name.endswith((".tar.gz", ".tgz", ".tar")):
            try:
                with tarfile.open(path, mode="r:*") as tar:
                    members = [m for m in tar if m.isfile() and m.name.endswith(".tsv")
                               and not Path(m.name).name.startswith("._")]
                    found = [(f"{path}:{m.name}", Path(m.name).name, tar.extractfile(m).read())  # type: ignore[union-attr]
                             for m in sorted(members, key=lambda m: m.name)]
            except (tarfile.TarError, OSError, EOFError) as exc:
                raise DataError(f"{path}: not a readable tar archive ({exc}); nothing written") from None
            if not found:
                raise DataError(f"{path}: no .tsv file in this archive")
            out += found
        else:
            out.append((str(path), path.name, path.read_bytes()))
    return [(name, re.sub(r"[^a-z0-9]+", "_", base.split(".")[0].lower()).strip("_") or "default", data)
            for name, base, data in out]


def _rows(name: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    import io

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DataError(f"{name}:{line}: byte {data[exc.start]:#04x} is not valid UTF-8; nothing written") from None
    csv.field_size_limit(1 << 30)
    out = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t")
    try:
        header = next(reader, None)
        if header is None:
            raise DataError(f"{name}: empty file (expected a header with {list(COLUMNS)})")
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise DataError(f"{name}:1: header lacks column(s) {missing} (has {header})")
        for row in reader:
            line = reader.line_num
            if len(row) != len(header):
                raise DataError(f"{name}:{line}: {len(row)} cell(s), the header has {len(header)} "
                                "(a tab or line break inside a cell, or a truncated file); nothing written")
            out.append((line, dict(zip(header, row))))
    except csv.Error as exc:
        raise DataError(f"{name}:{reader.line_num}: not a readable TSV record ({exc}); nothing written") from None
    return out


def _map_row(path: str, line: int, row: dict[str, str], names: dict[str, tuple[str, str]], notes: list[str],
             stats: Counter) -> dict[str, Any]:
    article = row["Article id"].strip()
    rec = _Record(path, line, article)
    if not re.fullmatch(r"[A-Za-z0-9._-]+", article):
        raise rec.fail("Article id", f"{article!r} cannot name a document (letters, digits, '.', '_', '-')")
    text = row["Full text"]
    if not text:
        raise rec.fail("Full text", "empty")
    try:
        j = json.loads(row["Json"])
    except json.JSONDecodeError as exc:
        raise rec.fail("Json", f"not valid JSON at character {exc.pos} ({exc.msg})") from None
    if not isinstance(j, dict):
        raise rec.fail("Json", f"expected an object, got {type(j).__name__}")
    victims = j.get("victim-section") or []
    if not isinstance(victims, list):
        raise rec.fail("Json.victim-section", "expected a list")
    killed = injured = 0
    for i, v in enumerate(victims):
        was = v.get("victim-was") if isinstance(v, dict) else None
        if not isinstance(was, list) or any(w not in VICTIM_WAS for w in was):
            raise rec.fail(f"Json.victim-section[{i}].victim-was", f"expected a list of {list(VICTIM_WAS)}, got {was!r}")
        if "killed" in was:
            killed += 1
        elif "injured" in was or "hospitalized" in was:
            injured += 1
    stats["victims"] += len(victims)
    stats["killed"] += killed
    stats["injured"] += injured
    casualties = [
        {"start": None, "end": None, "text": None, "count": n, "qualifier": "exact", "kind": kind,
         "victims": "people", "optional": False}
        for kind, n in (("killed", killed), ("injured", injured)) if n
    ]
    shooters = j.get("shooter-section") or []
    if not isinstance(shooters, list):
        raise rec.fail("Json.shooter-section", "expected a list")
    actors: list[dict[str, Any]] = []
    for i, s in enumerate(shooters):
        name = _span_dict(s.get("name") if isinstance(s, dict) else None, rec, f"Json.shooter-section[{i}].name")
        value = (name or {}).get("value")
        if not isinstance(value, str) or not value.strip():
            continue
        value = value.strip()
        key = normalise_name(value)
        if not key:
            continue
        if key not in names:
            slug, n = _slug(value), 1
            taken = {i for _v, i in names.values()}
            while ID_PREFIX + (slug if n == 1 else f"{slug}_{n}") in taken:
                n += 1
            names[key] = (value, ID_PREFIX + (slug if n == 1 else f"{slug}_{n}"))
        a, b = name.get("startIndex"), name.get("endIndex")
        item = {"start": None, "end": None, "text": value, "entity": names[key][1],
                "type": "person", "optional": False}
        if isinstance(a, int) and isinstance(b, int) and 0 <= a < b <= len(text) and text[a:b].strip() == value:
            lead = len(text[a:b]) - len(text[a:b].lstrip())
            item.update(start=a + lead, end=a + lead + len(value), text=value)
            stats["actors_with_offsets"] += 1
        elif isinstance(a, int) and a >= 0:
            stats["dropped_offsets"] += 1
            notes.append(f"{rec.where}: shooter {value!r}: offsets [{a}, {b}) give "
                         f"{text[a:b] if isinstance(b, int) else None!r}, not the name: offsets dropped")
        if any(x == item for x in actors):
            notes.append(f"{rec.where}: shooter {value!r} listed twice with the same offsets: kept once")
            continue
        actors.append(item)
    stats["actors"] += len(actors)
    when = j.get("date-and-time") or {}
    if not isinstance(when, dict):
        raise rec.fail("Json.date-and-time", "expected an object")
    date = _date(when.get("date"), rec, notes)
    dates = [] if date is None else [{"start": None, "end": None, "text": None, "value": date, "type": "DATE",
                                      "mod": None, "optional": False}]
    stats["dates"] += len(dates)
    url = row["Article url"].strip() or None
    host = urlparse(url).netloc if url else ""
    return {
        "id": f"gvdb-{article}",
        "text": text,
        "title": row["Article title"].strip() or f"GVDB article {article}",
        "source": f"{SOURCE} ({host})" if host else SOURCE,
        "url": url,
        "language": "en",
        "publication_date": None,
        "casualties": casualties,
        "actors": actors,
        "dates": dates,
    }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_gvdb(paths: Sequence[str | Path]) -> tuple[dict[str, list[dict[str, Any]]], ActorRegistry, GVDBReport]:
    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths = [Path(p) for p in paths]
    names: dict[str, tuple[str, str]] = {}  # normalised shooter name -> (first spelling, entity id)
    notes: list[str] = []
    splits: dict[str, list[dict[str, Any]]] = {}
    stats: dict[str, Counter] = {}
    first: dict[str, str] = {}
    for name, split, data in _sources(paths):
        if split in splits:
            raise DataError(f"{name}: a second file for split {split!r} (one split per file stem)")
        docs: list[dict[str, Any]] = []
        st: Counter = Counter()
        for line, row in _rows(name, data):
            doc = _map_row(name, line, row, names, notes, st)
            if doc["id"] in first:
                raise DataError(f"{name}:{line}: article {row['Article id']!r} again (first at {first[doc['id']]}); "
                                "nothing written")
            first[doc["id"]] = f"{name}:{line}"
            docs.append(doc)
        if not docs:
            raise DataError(f"{name}: no article; nothing written")
        splits[split], stats[split] = docs, st
    registry = ActorRegistry.from_actors(
        Actor(ent, v, "person", description="a shooter named in GVDB")
        for _k, (v, ent) in sorted(names.items())
    )
    s = {k: {sp: stats[sp][k] for sp in splits} for k in
         ("victims", "killed", "injured", "actors", "actors_with_offsets", "dropped_offsets", "dates")}
    report = GVDBReport(tuple(map(str, paths)), {str(p): _sha256(p) for p in paths},
                        {sp: len(d) for sp, d in splits.items()}, notes=tuple(notes), **s)
    return splits, registry, report


def import_gvdb(paths: Sequence[str | Path], out_dir: str | Path) -> GVDBReport:
    """Read the TSV files and write the corpus folder ``out_dir`` (validated, atomic)."""
    from ..corpus import write_corpus
    from .card import gvdb_card

    splits, registry, report = read_gvdb(paths)
    write_corpus(out_dir, splits, registry, card=gvdb_card(splits, registry, report))
    return report
