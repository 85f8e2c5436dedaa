"""Reading one result folder (one corpus) of ``conflictbench eval``: the site's input.

A folder holds ``results.json``, ``documents.csv`` and ``documents.jsonl`` (format: ``SITE.md``)
and, optionally, ``predictions/*.jsonl``. Everything is checked before any page is written:
a missing file, a format of another version, a row naming an unknown system, counts that do
not add up to ``results.json`` — one :class:`~conflictbench.errors.DataError` naming the file,
line and field (exit 2).
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ..errors import DataError
from ..report.documents import CSV_HEADER, FORMAT, VERSION
from ..schema import FIELDS

LEVELS = ("mention", "value")


@dataclass
class Run:
    """One result folder: its results, per-document counts and the documents file's header."""

    folder: Path
    slug: str
    results: dict[str, Any]
    header: dict[str, Any]
    systems: list[str]
    doc_ids: list[str]
    splits: list[str]
    #: (system, level, field, document, tp/fp/fn) counts, in the order of the names above
    counts: Any
    predictions: list[Path] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        return str(self.results["corpus"]["fingerprint"])

    @property
    def corpus_name(self) -> str:
        return str(self.results["corpus"].get("path") or self.folder.name)

    def system(self, name: str) -> dict[str, Any]:
        return next(s for s in self.results["systems"] if s["name"] == name)

    def meta(self, name: str) -> dict[str, Any]:
        return next(s for s in self.header["systems"] if s["name"] == name)

    def documents(self) -> Iterator[dict[str, Any]]:
        """The documents of ``documents.jsonl``, streamed, each checked against ``documents.csv``."""
        path = self.folder / "documents.jsonl"
        n = 0
        with path.open(encoding="utf-8") as fh:
            next(fh)
            for lineno, line in enumerate(fh, start=2):
                where = f"{path}:{lineno}"
                try:
                    doc = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise DataError(f"{where}: not JSON ({exc.msg})") from None
                if not isinstance(doc, dict):
                    raise DataError(f"{where}: expected an object")
                for key, kind in (("id", str), ("text", str), ("gold", dict), ("systems", list)):
                    if not isinstance(doc.get(key), kind):
                        raise DataError(f"{where}: field {key!r}: expected {kind.__name__}")
                if n >= len(self.doc_ids) or doc["id"] != self.doc_ids[n]:
                    want = self.doc_ids[n] if n < len(self.doc_ids) else "no more document"
                    raise DataError(f"{where}: field 'id': {doc['id']!r}, but documents.csv has {want!r} here")
                if len(doc["systems"]) != len(self.systems):
                    raise DataError(f"{where}: field 'systems': {len(doc['systems'])} entries for "
                                    f"{len(self.systems)} systems")
                for k, entry in enumerate(doc["systems"]):
                    _check_entry(entry, f"{where}: field 'systems[{k}]")
                n += 1
                yield doc
        if n != len(self.doc_ids):
            raise DataError(f"{path}: {n} document(s), documents.csv has {len(self.doc_ids)}")


COUNTED = ("tp", "fp fn", "fn", "fp", "")


def _check_entry(entry: Any, where: str) -> None:
    """A system's entry of a document: ``pred`` and ``taxonomy`` per field, entries of four."""
    if not isinstance(entry, dict) or not isinstance(entry.get("pred"), dict) or not isinstance(entry.get("taxonomy"), dict):
        raise DataError(f"{where}': expected an object with 'pred' and 'taxonomy' objects")
    for field, items in entry["taxonomy"].items():
        for j, t in enumerate(items if isinstance(items, list) else [None]):
            if not (isinstance(t, list) and len(t) == 4 and isinstance(t[0], str) and t[3] in COUNTED):
                raise DataError(f"{where}.taxonomy.{field}[{j}]': expected [status, gold index, predicted index, "
                                f"counted] with counted one of {list(COUNTED)}; got {t!r}")


def slug_of(folder: Path, fingerprint: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", f"{folder.name}-{fingerprint}".lower()).strip("-") or "corpus"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _json(path: Path) -> Any:
    if not path.is_file():
        raise DataError(f"{path}: not found (write it with `conflictbench eval --out {path.parent}`)")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}:{exc.lineno}: not JSON ({exc.msg})") from None


def _header(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise DataError(f"{path}: not found (conflictbench eval writes it beside results.json)")
    with path.open(encoding="utf-8") as fh:
        first = fh.readline()
    try:
        head = json.loads(first)
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}:1: not JSON ({exc.msg})") from None
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise DataError(f"{path}:1: field 'format': expected {FORMAT!r}")
    if head.get("version") != VERSION:
        raise DataError(f"{path}:1: field 'version': {head.get('version')!r}; this conflictbench reads version {VERSION}")
    if not isinstance(head.get("systems"), list):
        raise DataError(f"{path}:1: field 'systems': expected a list")
    return head


def read_run(folder: str | Path, *, taken: set[str] | None = None) -> Run:
    import numpy as np

    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"{folder}: not a results folder (conflictbench eval --out {folder})")
    results = _json(folder / "results.json")
    if not isinstance(results, dict) or not isinstance(results.get("systems"), list) or "corpus" not in results:
        raise DataError(f"{folder / 'results.json'}: field 'systems'/'corpus': not a conflictbench results file")
    head = _header(folder / "documents.jsonl")
    systems = [s["name"] for s in results["systems"]]
    if [s.get("name") for s in head["systems"]] != systems:
        raise DataError(f"{folder / 'documents.jsonl'}:1: field 'systems': {[s.get('name') for s in head['systems']]} "
                        f"but results.json has {systems}")
    fp = results["corpus"].get("fingerprint")
    if head.get("corpus_fingerprint") != fp:
        raise DataError(f"{folder / 'documents.jsonl'}:1: field 'corpus_fingerprint': "
                        f"{head.get('corpus_fingerprint')!r} but results.json has {fp!r} (another run?)")
    doc_ids, splits, counts = _read_counts(folder / "documents.csv", systems)
    arr = np.asarray(counts, dtype=np.int64).reshape(len(systems), len(LEVELS), len(doc_ids), len(FIELDS), 3)
    arr = arr.transpose(0, 1, 3, 2, 4).copy()  # system, level, field, document, tp/fp/fn
    run = Run(folder, slug_of(folder, str(fp), taken or set()), results, head, systems, doc_ids, splits, arr)
    _check_totals(run)
    pred_dir = folder / "predictions"
    run.predictions = sorted(pred_dir.glob("*.jsonl")) if pred_dir.is_dir() else []
    return run


def _read_counts(path: Path, systems: list[str]):
    """documents.csv → (doc ids, splits, [system][level][document][field][3] counts), checked."""
    if not path.is_file():
        raise DataError(f"{path}: not found (conflictbench eval writes it beside results.json)")
    blocks: dict[tuple[str, str], list[list[int]]] = {}
    ids: dict[tuple[str, str], list[str]] = {}
    doc_ids: list[str] | None = None
    splits: list[str] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        head = next(reader, None)
        if head != CSV_HEADER:
            raise DataError(f"{path}:1: header {head!r}; expected {CSV_HEADER!r}")
        for lineno, row in enumerate(reader, start=2):
            if len(row) != len(CSV_HEADER):
                raise DataError(f"{path}:{lineno}: {len(row)} columns, expected {len(CSV_HEADER)}")
            system, level, doc_id, split = row[:4]
            if system not in systems:
                raise DataError(f"{path}:{lineno}: field 'system': {system!r} is not in results.json")
            if level not in LEVELS:
                raise DataError(f"{path}:{lineno}: field 'level': {level!r} is not one of {list(LEVELS)}")
            try:
                nums = [int(x) for x in row[4:]]
            except ValueError:
                raise DataError(f"{path}:{lineno}: a count is not an integer: {row[4:]}") from None
            if min(nums) < 0:
                raise DataError(f"{path}:{lineno}: a count is negative: {nums}")
            key = (system, level)
            blocks.setdefault(key, []).append(nums)
            ids.setdefault(key, []).append(doc_id)
            if key == (systems[0], LEVELS[0]):
                splits.append(split)
    for s in systems:
        for lvl in LEVELS:
            got = ids.get((s, lvl))
            if got is None and not ids:  # no document at all (an empty selection)
                got = []
            if got is None:
                raise DataError(f"{path}: no row for system {s!r} at level {lvl!r}")
            if doc_ids is None:
                doc_ids = got
            elif got != doc_ids:
                raise DataError(f"{path}: system {s!r}, level {lvl!r}: documents differ from "
                                f"{systems[0]!r}'s (same documents, same order required)")
    counts = [[blocks.get((s, lvl), []) for lvl in LEVELS] for s in systems]
    return doc_ids or [], splits, counts


def _check_totals(run: Run) -> None:
    """The per-document counts add up to the totals of results.json (same run, nothing lost)."""
    for k, name in enumerate(run.systems):
        s = run.system(name)
        for li, lvl in enumerate(LEVELS):
            for fi, f in enumerate(FIELDS):
                got = [int(x) for x in run.counts[k, li, fi].sum(axis=0)] if len(run.doc_ids) else [0, 0, 0]
                want = [s[lvl].get(f"{f}.{c}") for c in ("tp", "fp", "fn")]
                if got != want:
                    raise DataError(f"{run.folder / 'documents.csv'}: system {name!r}, {lvl} {f}: per-document "
                                    f"counts add up to tp/fp/fn {got}, results.json says {want}")
