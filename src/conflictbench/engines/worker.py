"""The worker's side of an engine: run one system on one partition and score it.

:func:`run_partition` is what a worker process executes (any engine can call it). It reads its
partition from the corpus files itself, builds the system once per process (a lazy singleton
keyed by the system, the corpus folder and its fingerprint: never once per document or per
partition) and returns a :class:`~conflictbench.engines.batch.ScoredBatch` with the
fingerprint of the documents it read, which the client checks against its own.

Python extractors (registered name or ``module:attr``) get a corpus handle whose registry is
read from the corpus folder; a factory that asks for the documents (``oracle.v1``) makes the
worker load the whole corpus once. ``--extractor-cmd`` programs: one per worker process,
kept across partitions. One lock per process: a worker runs one partition at a time.
"""

from __future__ import annotations

import atexit
import os
import socket
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConflictbenchError, DataError
from .batch import ScoredBatch, score_batch
from .partitions import Partition, read_partition


@dataclass(frozen=True)
class PartitionTask:
    """What a worker needs: the system (``kind`` "extractor" or "command", ``target``), the
    corpus folder and fingerprint the client loaded, the settings, the per-document
    timeout of commands, and the partition."""

    kind: str
    target: str
    corpus_dir: str
    corpus_fingerprint: str
    settings: Any
    timeout: float
    partition: Partition
    #: False: never call ``extract_batch`` (after a partition's batch failed, every partition
    #: runs one document at a time, as the in-process run falls back for all documents)
    batch: bool = True
    #: the partition's first document's place in the selection (numbers ``output #i`` failures as
    #: the in-process run does: the i-th output of the whole run)
    offset: int = 0
    #: a freshly started program's allowance for its first document, on top of ``timeout``
    startup_timeout: float = 300.0


class _OneByOne:
    """An extractor seen without its ``extract_batch``."""

    def __init__(self, extractor: Any) -> None:
        self.extract = extractor.extract


class WorkerCorpus:
    """The corpus as a worker sees it: path, fingerprint and registry at once; the documents
    only if an extractor's factory asks for them (then loaded once and checked)."""

    def __init__(self, path: str | Path, fingerprint: str) -> None:
        self.path = Path(path)
        self.fingerprint = fingerprint
        self._registry = None
        self._corpus = None

    @property
    def registry(self):
        if self._registry is None:
            from ..actors import ActorRegistry
            from ..corpus import REGISTRY_FILE

            self._registry = ActorRegistry.load(self.path / REGISTRY_FILE)
        return self._registry

    def _full(self):
        if self._corpus is None:
            from ..corpus import load_corpus

            corpus = load_corpus(self.path)
            if corpus.fingerprint != self.fingerprint:
                raise DataError(f"{self.path}: this worker reads a corpus of fingerprint {corpus.fingerprint}, "
                                f"the client loaded {self.fingerprint}")
            self._corpus = corpus
        return self._corpus

    @property
    def documents(self):
        return self._full().documents

    @property
    def splits(self):
        return self._full().splits

    def by_id(self):
        return self._full().by_id()


_LOCK = threading.RLock()
_CORPORA: dict[tuple[str, str], WorkerCorpus] = {}
_SYSTEMS: dict[tuple[str, str, str, str], Any] = {}


def where() -> str:
    return f"worker {socket.gethostname()} pid {os.getpid()}"


def _corpus(task: PartitionTask) -> WorkerCorpus:
    key = (task.corpus_dir, task.corpus_fingerprint)
    if key not in _CORPORA:
        _CORPORA[key] = WorkerCorpus(*key)
    return _CORPORA[key]


def _system(task: PartitionTask) -> Any:
    """The built extractor (and its name) or the command session, built on first use here."""
    from ..runner import CommandSession, build_extractor, extractor_name

    key = (task.kind, task.target, task.corpus_dir, task.corpus_fingerprint)
    if key not in _SYSTEMS:
        if task.kind == "command":
            if not any(isinstance(v, CommandSession) for v in _SYSTEMS.values()):
                atexit.register(_close_sessions)  # the programs end with the worker process
            _SYSTEMS[key] = CommandSession(task.target, startup_timeout=task.startup_timeout)
        else:
            try:
                extractor = build_extractor(task.target, _corpus(task))
            except ConflictbenchError as exc:  # the same error, saying where it happened
                try:
                    located = type(exc)(f"{exc} (on {where()})")
                except TypeError:  # an error class with other arguments: as it is
                    raise exc from None
                raise located from None
            _SYSTEMS[key] = (extractor, extractor_name(extractor, task.target))
    return _SYSTEMS[key]


def _close_sessions() -> None:
    for v in _SYSTEMS.values():
        if hasattr(v, "close"):
            v.close()


def _renumbered(failure: Any, offset: int) -> Any:
    """``output #i`` (an output of ``extract_batch`` for no document) numbered in the whole run."""
    from dataclasses import replace

    head, sep, num = failure.doc_id.partition("output #")
    if head or not sep or not num.isdigit() or not offset:
        return failure
    return replace(failure, doc_id=f"output #{int(num) + offset}")


def run_partition(task: PartitionTask) -> tuple[ScoredBatch, str]:
    """Run and score ``task``'s system on its partition; (the batch, the documents' fingerprint)."""
    from ..corpus import fingerprint
    from ..runner import ExtractorWarning, run_extractor

    fell_back = False
    with _LOCK:
        docs = read_partition(task.partition)
        corpus = _corpus(task)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            system = _system(task)
            t0 = time.perf_counter()
            if task.kind == "command":
                preds, failures = system.run(docs, timeout=task.timeout, progress=False)
                name = system.name
            else:
                extractor, name = system
                before = len(caught)
                run = run_extractor(extractor if task.batch else _OneByOne(extractor), docs, name=name,
                                    progress=False)
                preds, failures = run.predictions, [_renumbered(f, task.offset) for f in run.failures]
                fell_back = any(issubclass(w.category, ExtractorWarning) and "extract_batch() failed" in str(w.message)
                                for w in caught[before:])
            seconds = time.perf_counter() - t0
            batch = score_batch(docs, preds, task.settings, corpus.registry, name=name, failures=failures,
                                seconds=seconds)
        batch.warnings = list(dict.fromkeys((w.category, str(w.message)) for w in caught))
        batch.batch_failed = task.kind != "command" and fell_back
        return batch, fingerprint(docs, None)
