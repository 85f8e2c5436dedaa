"""The MUC-4 distribution → a conflictbench corpus folder (one split per MUC set).

:func:`read_muc4` parses the archive into documents, the actor registry and a report;
:func:`import_muc4` also writes the corpus with :func:`conflictbench.corpus.write_corpus`
(validated, atomic). Every document that cannot be read is reported with its id and the
reason, and nothing is written unless every document was read. Every id is accounted
for: each set's texts and keys name the same ids, which run from 0001 without gaps, and a
dev text file holds exactly the ids its name says; a set smaller than the published one is
noted in the report.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..actors import ActorRegistry
from ..errors import DataError
from .archive import SPLITS, read_archive
from .entities import build_registry
from .gold import MappingError, map_document, perp_fills, template_actor_type
from .keys import KeyFileError, Template, parse_key_file
from .texts import Message, TextError, publication_dates, split_messages

SOURCE = "FBIS"


@dataclass(frozen=True)
class ImportReport:
    """What an import read: counts per split, inferred dates, lenient readings."""

    archive: str
    sha256: str
    documents: dict[str, int]
    relevant_documents: dict[str, int]
    templates: dict[str, int]  # relevant (non-'*') templates
    casualties: dict[str, int]
    actors: dict[str, int]
    dates: dict[str, int]
    inferred_dates: tuple[str, ...]  # document ids whose publication date was inferred
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


def doc_slug(muc_id: str) -> str:
    """``DEV-MUC3-0001`` → ``dev-muc3-0001`` (the corpus document id)."""
    return muc_id.lower()


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_muc4(path: str | Path) -> tuple[dict[str, list[dict[str, Any]]], ActorRegistry, ImportReport]:
    """Parse the archive at ``path``: documents per split, actor registry, report."""
    path = Path(path)
    files = read_archive(path)
    problems: list[str] = []
    messages: dict[str, list[tuple[Message, Any]]] = {}
    templates: dict[str, dict[str, list[Template]]] = {}
    inferred: list[str] = []
    for split in SPLITS:
        msgs: list[tuple[Message, Any]] = []
        file_ids: dict[str, list[str]] = {}
        for name in sorted(files[split].texts):
            try:
                ms = split_messages(files[split].texts[name])
                dates, inf = publication_dates(ms)
            except TextError as exc:
                problems.append(f"{name}: {exc}")
                continue
            msgs += list(zip(ms, dates))
            file_ids[name] = [m.doc_id for m in ms]
            inferred += [doc_slug(i) for i in inf]
        by_id: dict[str, list[Template]] = defaultdict(list)
        for name in sorted(files[split].keys):
            try:
                for t in parse_key_file(files[split].keys[name], source=name):
                    by_id[t.doc_id].append(t)
            except KeyFileError as exc:
                problems.append(f"{name}: {exc}")
        text_ids = [m.doc_id for m, _ in msgs]
        problems += _id_coverage(split, file_ids)
        dup = sorted({i for i in text_ids if text_ids.count(i) > 1})
        for i in dup:
            problems.append(f"{split} {i}: the text appears more than once")
        for i in sorted(set(text_ids) - set(by_id)):
            problems.append(f"{split} {i}: no answer-key template")
        for i in sorted(set(by_id) - set(text_ids)):
            problems.append(f"{split} {i}: answer-key template(s) but no text")
        messages[split], templates[split] = msgs, by_id
    if problems:
        raise DataError(_problem_message(path, problems))

    mentions = []
    for split in SPLITS:
        for doc_id, ts in templates[split].items():
            for t in ts:
                if not t.relevant:
                    continue
                try:
                    typ = template_actor_type(t)
                    mentions += [(f.values, typ, slot == "PERP: ORGANIZATION ID")
                                 for slot, f in perp_fills(t)]
                except KeyFileError as exc:
                    problems.append(f"{split} {doc_id}: {exc}")
    if problems:
        raise DataError(_problem_message(path, problems))
    registry, key_to_id = build_registry(mentions)

    out: dict[str, list[dict[str, Any]]] = {}
    notes: list[str] = []
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for split in SPLITS:
        docs = []
        for msg, pub in messages[split]:
            ts = templates[split][msg.doc_id]
            try:
                gold = map_document(msg.text, pub, ts, key_to_id)
            except (MappingError, KeyFileError) as exc:
                problems.append(f"{split} {msg.doc_id}: {exc}")
                continue
            notes += [f"{msg.doc_id}: {n}" for n in gold.notes]
            docs.append(
                {
                    "id": doc_slug(msg.doc_id),
                    "text": msg.text,
                    "title": f"{msg.doc_id} ({msg.place or 'no place'}, {msg.date or 'no date'})",
                    "source": f"{SOURCE} ({msg.source})" if msg.source else SOURCE,
                    "url": None,
                    "language": "en",
                    "publication_date": pub.isoformat(),
                    "casualties": gold.casualties,
                    "actors": gold.actors,
                    "dates": gold.dates,
                }
            )
        out[split] = docs
        ts_all = [t for ts in templates[split].values() for t in ts]
        counts["documents"][split] = len(docs)
        counts["relevant_documents"][split] = sum(
            any(t.relevant for t in ts) for ts in templates[split].values()
        )
        counts["templates"][split] = sum(t.relevant for t in ts_all)
        for fld in ("casualties", "actors", "dates"):
            counts[fld][split] = sum(len(d[fld]) for d in docs)
    if problems:
        raise DataError(_problem_message(path, problems))
    notes += [
        f"{split}: {counts['documents'][split]} document(s); the published distribution has "
        f"{PUBLISHED_SIZES[split]}"
        for split in SPLITS
        if counts["documents"][split] != PUBLISHED_SIZES[split]
    ]
    report = ImportReport(
        archive=str(path),
        sha256=_sha256(path),
        inferred_dates=tuple(inferred),
        notes=tuple(notes),
        **{k: dict(v) for k, v in counts.items()},
    )
    return out, registry, report


#: Documents per set in the public distribution (TASK/CORPORA); a smaller archive is noted.
PUBLISHED_SIZES = {"dev": 1300, "tst1": 100, "tst2": 100, "tst3": 100, "tst4": 100}
_RANGE_NAME = re.compile(r"-(\d{4})-(\d{4})$")


def _id_coverage(split: str, file_ids: dict[str, list[str]]) -> list[str]:
    """Problems if a set's ids do not run from 0001 without gaps, or a text file named for
    a range of ids (``dev-muc3-0101-0200``) holds other ids: a file or message went missing."""
    def number(doc_id: str) -> int:
        return int(doc_id.rsplit("-", 1)[1])

    out = []
    numbers = {number(i) for ids in file_ids.values() for i in ids}
    gaps = sorted(set(range(1, max(numbers, default=0) + 1)) - numbers)
    if gaps:
        shown = ", ".join(f"{n:04d}" for n in gaps[:10]) + (" ..." if len(gaps) > 10 else "")
        out.append(f"{split}: no text for document number(s) {shown} (ids run from 0001 without gaps)")
    for name, ids in sorted(file_ids.items()):
        m = _RANGE_NAME.search(name)
        if not m:
            continue
        want = set(range(int(m.group(1)), int(m.group(2)) + 1))
        if {number(i) for i in ids} != want:
            out.append(f"{name}: holds {len(set(ids))} of the {len(want)} documents its name "
                       f"says ({m.group(1)}-{m.group(2)})")
    return out


def _problem_message(path: Path, problems: list[str]) -> str:
    lines = [f"{path}: {len(problems)} document(s) or file(s) could not be read; nothing written"]
    return "\n".join(lines + [f"  {p}" for p in problems])


def import_muc4(path: str | Path, out_dir: str | Path) -> ImportReport:
    """Read the archive and write the corpus folder ``out_dir`` (validated, atomic)."""
    from ..corpus import write_corpus
    from .card import muc4_card

    splits, registry, report = read_muc4(path)
    write_corpus(out_dir, splits, registry, card=muc4_card(splits, registry, report))
    return report
