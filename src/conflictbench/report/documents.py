"""Per-document results, the input of ``conflictbench site`` (format: ``SITE.md``).

* ``documents.csv`` — per-document counts, one row per system, level and document:
  ``system,level,doc_id,split,<field>_tp,<field>_fp,<field>_fn,...`` read from each result's
  :attr:`ScoreResult.documents` (never recomputed); scores only, no text.
* ``documents.jsonl`` — a header line (format name and version, corpus fingerprint, span mode,
  the systems), then one line per document in the run's order: its text, its gold items and,
  per system, its predicted items and the MUC-style taxonomy of the mention-level alignment
  (:mod:`conflictbench.scoring.taxonomy`). It quotes the documents' texts.
* ``predictions/<name>.jsonl`` — each system's predictions (the ``PREDICTIONS.md`` format).

The alignment is the one the scorer makes (:meth:`Scorer.add`, the settings of the run), as
``report.html`` shows it; a document's taxonomy adds up to its counts in ``documents.csv``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any, Sequence

from .. import __version__
from ..schema import FIELDS
from .common import LEVELS

FORMAT = "conflictbench-documents"
VERSION = 1
CSV_HEADER = ["system", "level", "doc_id", "split"] + [f"{f}_{k}" for f in FIELDS for k in ("tp", "fp", "fn")]


def system_kind(source: str, name: str) -> str:
    """``predictions`` (a file), ``program`` (``--extractor-cmd``) or ``extractor`` (Python)."""
    if name.startswith("cmd:"):
        return "program"
    if source.endswith((".jsonl", ".json")) or Path(source).is_file():
        return "predictions"
    return "extractor"


def prediction_stem(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "system"


def prediction_paths(systems: Sequence[Any]) -> list[str]:
    """``predictions/<stem>.jsonl`` per system, distinct (as ``--save-predictions`` names them)."""
    out: list[str] = []
    for s in systems:
        stem = prediction_stem(s.name)
        path, n = f"predictions/{stem}.jsonl", 1
        while path in out:
            n += 1
            path = f"predictions/{stem}_{n}.jsonl"
        out.append(path)
    return out


def _splits_of(selection: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for split, ids in selection.corpus.splits.items():
        for i in ids:
            out.setdefault(i, split)
    return out


def documents_csv(systems: Sequence[Any], selection: Any) -> str:
    split = _splits_of(selection)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_HEADER)
    for s in systems:
        for level in LEVELS:
            res = getattr(s, level)
            names = [f.field for f in res.fields]
            for d in res.documents:
                by = dict(zip(names, d.counts))
                row = [s.name, level, d.doc_id, split.get(d.doc_id, "")]
                for f in FIELDS:
                    c = by[f]
                    row += [c.tp, c.fp, c.fn]
                w.writerow(row)
    return buf.getvalue()


def header(systems: Sequence[Any], selection: Any, settings: Any) -> dict[str, Any]:
    paths = prediction_paths(systems)
    return {
        "format": FORMAT, "version": VERSION, "conflictbench_version": __version__,
        "corpus_fingerprint": selection.fingerprint, "n_documents": len(selection.doc_ids),
        "span_mode": settings.span_mode, "fields": list(FIELDS),
        "systems": [{
            "name": s.name, "source": s.source, "kind": system_kind(str(s.source), s.name),
            "seconds": s.seconds, "predictions": path,
            "failures_by_kind": _by_kind(s.failures),
        } for s, path in zip(systems, paths)],
    }


def _by_kind(failures: Sequence[Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in failures:
        out[str(f.kind)] = out.get(str(f.kind), 0) + 1
    return dict(sorted(out.items()))


def documents_jsonl(systems: Sequence[Any], selection: Any, settings: Any) -> str:
    from ..scoring import Scorer
    from ..scoring.taxonomy import taxonomy

    split = _splits_of(selection)
    registry = selection.corpus.registry
    scorers = [Scorer(registry=registry, span_mode=s.mention.span_mode, zero_division=0.0,
                      matchers={f.field: f.matcher for f in s.mention.fields}, keep_documents=False)
               for s in systems]
    failed = [{f.doc_id: str(f.kind) for f in s.failures} for s in systems]
    lines = [json.dumps(header(systems, selection, settings), ensure_ascii=False)]
    for doc in selection.documents():
        gold_out: dict[str, list] = {}
        per_sys = []
        for k, (s, sc) in enumerate(zip(systems, scorers)):
            aligned = sc.add(doc, s.predictions.get(doc["id"]))
            entry: dict[str, Any] = {"failed": failed[k].get(doc["id"]), "pred": {}, "taxonomy": {}}
            for field in FIELDS:
                gold, pred, al = aligned[field]
                if field not in gold_out:
                    gold_out[field] = [_item(g) for g in gold]
                entry["pred"][field] = [_item(p) for p in pred]
                entry["taxonomy"][field] = [list(t) for t in taxonomy(gold, pred, al, span_mode=sc.span_mode,
                                                                      matcher=sc.matchers[field])]
            per_sys.append(entry)
        lines.append(json.dumps({"id": doc["id"], "split": split.get(doc["id"], ""), "title": doc.get("title") or "",
                                 "text": doc.get("text") or "", "gold": gold_out, "systems": per_sys},
                                ensure_ascii=False))
    return "\n".join(lines) + "\n"


def _item(span: dict) -> dict:
    """An item as written: its attributes, without the null ones."""
    return {k: v for k, v in span.items() if v is not None}


def document_files(out_dir: Path, systems: Sequence[Any], selection: Any, settings: Any) -> dict[Path, str | None]:
    """path → text of every per-document file; an old ``predictions/*.jsonl`` of a system not in
    this run maps to None (removed: it would describe another run)."""
    from ..predictions import prediction_lines

    texts: dict[Path, str | None] = {
        out_dir / "documents.csv": documents_csv(systems, selection),
        out_dir / "documents.jsonl": documents_jsonl(systems, selection, settings),
    }
    for s, rel in zip(systems, prediction_paths(systems)):
        texts[out_dir / rel] = prediction_lines(s, selection)
    old = out_dir / "predictions"
    if old.is_dir():
        for p in old.glob("*.jsonl"):
            texts.setdefault(p, None)
    return texts


def stale_document_files(out_dir: Path) -> dict[Path, None]:
    """The per-document files of an earlier run, to remove when this run writes none."""
    out: dict[Path, None] = {}
    for name in ("documents.csv", "documents.jsonl"):
        if (out_dir / name).exists():
            out[out_dir / name] = None
    if (out_dir / "predictions").is_dir():
        out.update({p: None for p in (out_dir / "predictions").glob("*.jsonl")})
    return out
