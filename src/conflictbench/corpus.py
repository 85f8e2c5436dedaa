"""The corpus on disk: gold source → parquet + card, loading, fingerprint.

Layout of a corpus folder (a Hugging Face dataset folder)::

    corpus/
      README.md                      dataset card, YAML generated from schema.features()
      actors.jsonl                   the actor registry the gold refers to
      data/<split>-00000-of-00001.parquet

The editable gold source lives in ``annotation/gold/``: for each document a verbatim
``<id>.txt`` (bytes exactly as published) and ``<id>.json`` (metadata and annotations);
the registry source is ``annotation/actors.jsonl``. ``conflictbench corpus build``
turns them into the corpus folder, atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from . import atomic
from .actors import ActorRegistry
from .errors import DataError, ParameterError, ValidationFailed
from .schema import DOCUMENT_FIELDS, normalise_document
from .validation import check_documents, validate_document

REGISTRY_FILE = "actors.jsonl"
DEFAULT_SPLIT = "test"


def project_root() -> Path | None:
    """The source checkout this package runs from (editable install), if any."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "annotation").is_dir():
            return parent
    return None


def default_corpus_dir() -> Path:
    env = os.environ.get("CONFLICTBENCH_CORPUS")
    if env:
        return Path(env)
    root = project_root()
    if root is None:
        raise DataError(
            "no corpus folder given and none found: pass a path or set CONFLICTBENCH_CORPUS"
        )
    return root / "corpus"


def default_gold_dir() -> Path:
    root = project_root()
    if root is None:
        raise DataError("no gold source folder given and no source checkout found")
    return root / "annotation" / "gold"


# --- gold source ------------------------------------------------------------------------

_META_KEYS = [name for name, *_ in DOCUMENT_FIELDS if name != "text"]


def read_gold_source(gold_dir: str | Path) -> list[dict[str, Any]]:
    """Read ``<id>.json`` + ``<id>.txt`` pairs, sorted by id. Text is decoded as strict UTF-8
    with no newline translation, so offsets are measured on the published bytes."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise DataError(f"{gold_dir}: gold source folder not found")
    docs = []
    jsons = sorted(gold_dir.glob("*.json"))
    for jpath in jsons:
        tpath = jpath.with_suffix(".txt")
        if not tpath.is_file():
            raise DataError(f"{jpath}: no text file {tpath.name} beside it")
        try:
            meta = json.loads(jpath.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise DataError(f"{jpath}:{exc.lineno}: not valid JSON ({exc.msg})") from None
        if not isinstance(meta, dict):
            raise DataError(f"{jpath}: expected a JSON object")
        if "text" in meta:
            raise DataError(f"{jpath}: field 'text' belongs in {tpath.name}, not in the JSON")
        if meta.get("id") != jpath.stem:
            raise DataError(f"{jpath}: field 'id' is {meta.get('id')!r}, expected {jpath.stem!r}")
        try:
            text = tpath.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DataError(f"{tpath}: byte {exc.start} is not valid UTF-8") from None
        docs.append({**meta, "text": text})
    for tpath in sorted(gold_dir.glob("*.txt")):
        if not tpath.with_suffix(".json").is_file():
            raise DataError(f"{tpath}: no annotation file {tpath.stem}.json beside it")
    return docs


def check_gold_source(docs: Sequence[dict[str, Any]], registry: ActorRegistry, gold_dir: str | Path) -> None:
    """Validate documents read from ``gold_dir``; each problem names the ``<id>.json`` it is in
    (:func:`read_gold_source` made sure each id is its file's name)."""
    problems = []
    for doc in docs:
        problems += validate_document(doc, registry, where=str(Path(gold_dir) / f"{doc['id']}.json"))
    if problems:
        raise ValidationFailed(problems, source=str(gold_dir))


def gold_source_files(doc: dict[str, Any]) -> tuple[bytes, bytes]:
    """The (json, txt) bytes that represent ``doc`` in the gold source folder."""
    doc = normalise_document(doc)
    meta = {k: doc[k] for k in _META_KEYS}
    for field in ("casualties", "actors", "dates"):
        meta[field] = doc[field]
    js = json.dumps(meta, ensure_ascii=False, indent=1) + "\n"
    return js.encode("utf-8"), doc["text"].encode("utf-8")


def write_gold_source(docs: Iterable[dict[str, Any]], gold_dir: str | Path) -> list[Path]:
    """Write each document's pair into ``gold_dir`` (each file atomically)."""
    written = []
    for doc in docs:
        js, txt = gold_source_files(doc)
        base = Path(gold_dir) / doc["id"]
        atomic.write_bytes(base.with_suffix(".txt"), txt)
        atomic.write_bytes(base.with_suffix(".json"), js)
        written.append(base.with_suffix(".json"))
    return written


# --- fingerprint --------------------------------------------------------------------------


def fingerprint(docs: Sequence[dict[str, Any]], registry: ActorRegistry | None) -> str:
    """A short content hash of the documents (in id order) and the registry."""
    h = hashlib.sha256()
    for doc in sorted((normalise_document(d) for d in docs), key=lambda d: d["id"]):
        h.update(json.dumps(doc, sort_keys=True, ensure_ascii=False).encode("utf-8"))
        h.update(b"\n")
    if registry is not None:
        recs = sorted(registry.to_records(), key=lambda r: r["id"])
        h.update(json.dumps(recs, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()[:12]


# --- corpus folder --------------------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    path: Path
    documents: tuple[dict[str, Any], ...]
    registry: ActorRegistry
    splits: dict[str, tuple[str, ...]]  # split name -> document ids
    fingerprint: str

    def by_id(self) -> dict[str, dict[str, Any]]:
        return {d["id"]: d for d in self.documents}


def split_files(corpus_dir: Path) -> dict[str, list[Path]]:
    data = corpus_dir / "data"
    out: dict[str, list[Path]] = {}
    for f in sorted(data.glob("*.parquet")):
        out.setdefault(f.name.split("-", 1)[0], []).append(f)
    return out


def load_corpus(
    path: str | Path | None = None, *, splits: Sequence[str] | None = None, validate: bool = True
) -> Corpus:
    """Load a corpus folder's documents (parquet, read with pyarrow) and registry."""
    import pyarrow.parquet as pq

    if isinstance(splits, str):  # would otherwise be read letter by letter
        raise ParameterError(
            f"The 'splits' parameter of load_corpus() must be a list of split names. Got {splits!r} instead."
        )
    corpus_dir = Path(path) if path is not None else default_corpus_dir()
    if not corpus_dir.is_dir():
        raise DataError(f"{corpus_dir}: corpus folder not found")
    reg_path = corpus_dir / REGISTRY_FILE
    if not reg_path.is_file():
        raise DataError(f"{reg_path}: the corpus has no actor registry")
    registry = ActorRegistry.load(reg_path)
    files = split_files(corpus_dir)
    if not files:
        raise DataError(f"{corpus_dir / 'data'}: no parquet files")
    if splits is not None:
        missing = [s for s in splits if s not in files]
        if missing:
            raise DataError(f"{corpus_dir}: no split(s) {missing}; the corpus has {sorted(files)}")
        files = {s: files[s] for s in splits}
    docs: list[dict[str, Any]] = []
    split_ids: dict[str, tuple[str, ...]] = {}
    for split, paths in files.items():
        ids = []
        for f in paths:
            for row in _read_parquet(f):
                docs.append(row)
                ids.append(row["id"])
        split_ids[split] = tuple(ids)
    if validate:
        check_documents(docs, registry, source=str(corpus_dir))
    return Corpus(
        path=corpus_dir,
        documents=tuple(docs),
        registry=registry,
        splits=split_ids,
        fingerprint=fingerprint(docs, registry),
    )


def _read_parquet(path: Path) -> list[dict[str, Any]]:
    """The rows of one parquet file; a file that is not readable parquet is one clear error."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.read_table(path).to_pylist()
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise DataError(f"{path}: not a readable parquet file ({type(exc).__name__}: {str(exc)[:200]}); "
                        "rebuild the corpus (conflictbench corpus build) or restore the file") from None


def write_corpus(
    out_dir: str | Path,
    splits: dict[str, Sequence[dict[str, Any]]],
    registry: ActorRegistry,
    *,
    card: str,
) -> Path:
    """Validate and write a corpus folder (parquet per split, registry, card) atomically."""
    from datasets import Dataset
    from datasets.utils.logging import disable_progress_bar

    from .schema import features

    disable_progress_bar()

    empty = [split for split, docs in splits.items() if not docs]
    if empty or not splits:
        raise DataError(f"{out_dir}: split(s) {empty} have no documents; nothing written")
    all_docs = [d for docs in splits.values() for d in docs]
    check_documents(all_docs, registry, source=str(out_dir))
    feats = features()
    out_dir = Path(out_dir)
    with atomic.replace_dir(out_dir) as tmp:
        (tmp / "data").mkdir()
        for split, docs in splits.items():
            rows = [normalise_document(d) for d in docs]
            ds = Dataset.from_list(rows, features=feats)
            ds.to_parquet(str(tmp / "data" / f"{split}-00000-of-00001.parquet"))
        with (tmp / REGISTRY_FILE).open("w", encoding="utf-8") as fh:
            for rec in registry.to_records():
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        (tmp / "README.md").write_text(card, encoding="utf-8")
    return out_dir


def build_gold_corpus(
    gold_dir: str | Path | None = None,
    registry_path: str | Path | None = None,
    out_dir: str | Path | None = None,
) -> Path:
    """``annotation/gold`` + ``annotation/actors.jsonl`` → ``corpus/`` (parquet + card)."""
    from .card import gold_card

    root = project_root()
    gold_dir = Path(gold_dir) if gold_dir else default_gold_dir()
    if registry_path is None:
        if root is None:
            raise DataError("no registry path given and no source checkout found")
        registry_path = root / "annotation" / REGISTRY_FILE
    out_dir = Path(out_dir) if out_dir else default_corpus_dir()
    registry = ActorRegistry.load(registry_path)
    docs = read_gold_source(gold_dir)
    if not docs:
        raise DataError(f"{gold_dir}: no gold documents (<id>.json + <id>.txt pairs)")
    check_gold_source(docs, registry, gold_dir)  # problems named by gold file, not by the output folder
    splits = {DEFAULT_SPLIT: docs}
    card = gold_card(splits, registry)
    return write_corpus(out_dir, splits, registry, card=card)
