"""Run an extractor over a corpus, isolating failures document by document.

Three kinds of system:

* a Python extractor (registered name, or ``package.module:attr``): built by
  :func:`build_extractor`, run by :func:`run_extractor` — ``extract_batch`` when it has one,
  else ``extract`` per document;
* any program (``--extractor-cmd "CMD"``): :func:`run_command` starts it once, writes one
  document view per line (JSON) to its stdin and reads one prediction line from its stdout
  per document, with a per-document timeout;
* a predictions file (:func:`conflictbench.predictions.read_predictions`).

Extractors see :func:`~conflictbench.extractors.base.document_view` (text and metadata,
never the gold). A document whose extraction raises, times out, or returns output that is
not a valid prediction is recorded as a :class:`Failure` and scored as empty; the run goes
on. Every output is validated like a predictions file line.
"""

from __future__ import annotations

import inspect
import json
import queue
import shlex
import subprocess
import sys
import threading
import time
import warnings
from collections import deque
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from .errors import ConflictbenchError, DataError, ParameterError
from .extractors.base import document_view
from .predictions import check_prediction

FAILURE_KINDS = ("exception", "timeout", "malformed", "crashed")


class ExtractorWarning(UserWarning):
    """Something about an extractor's run the user must know, though no document failed."""


class ExtractorFailed(ConflictbenchError):
    """An extractor's factory raised: the system cannot be scored (exit 2, nothing written)."""


@dataclass(frozen=True)
class Failure:
    doc_id: str
    kind: str  # one of FAILURE_KINDS
    message: str

    def __str__(self) -> str:
        return f"{self.doc_id}: {self.kind}: {self.message}"


@dataclass(frozen=True)
class RunOutput:
    name: str
    #: validated predictions by document id (failed documents are absent: scored as empty)
    predictions: dict[str, dict[str, Any]]
    failures: tuple[Failure, ...] = ()
    seconds: float = 0.0


def build_extractor(spec: str, corpus: Any = None) -> Any:
    """Build an extractor from a registered name or ``package.module:attr``.

    The factory is called with no arguments, except that a factory accepting a keyword
    ``corpus`` receives the corpus being scored. A class (``module:MyExtractor``) is
    instantiated the same way. :class:`ExtractorUnavailable` propagates.
    """
    from .registry import get_extractor_factory

    extractor = _call(get_extractor_factory(spec), corpus, spec)
    if isinstance(extractor, type):  # ``module:MyExtractor`` names the class: build one
        extractor = _call(extractor, corpus, spec)
    if not callable(getattr(extractor, "extract", None)):
        raise ParameterError(f"extractor {spec!r}: the factory returned {extractor!r}, which has no extract()")
    return extractor


def _call(factory: Any, corpus: Any, spec: str) -> Any:
    try:
        params = inspect.signature(factory).parameters
    except (TypeError, ValueError):
        params = {}
    p = params.get("corpus")
    wants_corpus = p is not None and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    try:
        return factory(corpus=corpus) if wants_corpus else factory()
    except ConflictbenchError:  # ExtractorUnavailable included: the caller decides
        raise
    except Exception as exc:  # noqa: BLE001 - third-party code: one clear error, not a traceback
        raise ExtractorFailed(f"extractor {spec!r}: building it failed: {type(exc).__name__}: {exc}") from exc


def extractor_name(extractor: Any, spec: str) -> str:
    name = getattr(extractor, "name", None)
    return name if isinstance(name, str) and name else spec


def _progress(iterable, *, total: int, desc: str, progress: bool | None):
    from tqdm import tqdm

    disable = (not progress) if progress is not None else None  # None: tqdm decides (TTY only)
    return tqdm(iterable, total=total, desc=desc, unit="doc", file=sys.stderr, disable=disable, leave=False)


def _validated(out: Any, doc: Mapping[str, Any], name: str) -> dict[str, Any]:
    if isinstance(out, dict) and "id" not in out:
        out = {"id": doc["id"], **out}
    if isinstance(out, dict) and out.get("id") != doc["id"]:
        raise DataError(f"extractor {name}: returned id {out.get('id')!r} for document {doc['id']!r}")
    return check_prediction(out, doc, where=f"extractor {name}, document {doc['id']!r}")


def run_extractor(
    extractor: Any,
    docs: Sequence[Mapping[str, Any]],
    *,
    name: str | None = None,
    progress: bool | None = None,
) -> RunOutput:
    """Run a Python extractor on ``docs`` (gold documents; the extractor sees views only)."""
    name = name or extractor_name(extractor, type(extractor).__name__)
    t0 = time.perf_counter()
    preds: dict[str, dict[str, Any]] = {}
    failures: list[Failure] = []
    outputs: dict[str, Any] = {}
    batch = getattr(extractor, "extract_batch", None)
    twice: set[str] = set()
    if callable(batch):
        wanted = {d["id"] for d in docs}
        try:
            for i, out in enumerate(_progress(batch([document_view(d) for d in docs]), total=len(docs), desc=name,
                                              progress=progress)):
                doc_id = out.get("id") if isinstance(out, dict) else None
                if doc_id is None and isinstance(out, dict) and i < len(docs):
                    doc_id = docs[i]["id"]  # no id: the i-th output answers the i-th document
                if doc_id in outputs:
                    twice.add(doc_id)
                elif isinstance(doc_id, str) and doc_id in wanted:
                    outputs[doc_id] = out
                else:  # kept in the record, never dropped silently
                    failures.append(Failure(f"output #{i}", "malformed",
                                            f"extract_batch() returned a prediction for no document being "
                                            f"scored: {repr(out)[:80]}"))
        except Exception as exc:  # the batch failed as a whole: fall back to one document at a time
            warnings.warn(
                f"{name}: extract_batch() failed ({type(exc).__name__}: {exc}); "
                "extracting one document at a time instead",
                ExtractorWarning,
                stacklevel=2,
            )
            outputs, failures, twice = {}, [], set()
            batch = None
        failures += [Failure(i, "malformed", "extract_batch() returned two predictions for it") for i in sorted(twice)]
    if not callable(batch):
        for doc in _progress(docs, total=len(docs), desc=name, progress=progress):
            try:
                outputs[doc["id"]] = extractor.extract(document_view(doc))
            except Exception as exc:  # noqa: BLE001 - isolate any failure of third-party code
                failures.append(Failure(doc["id"], "exception", f"{type(exc).__name__}: {exc}"))
    failed = {f.doc_id for f in failures}
    for doc in docs:
        if doc["id"] in failed:
            continue
        if doc["id"] not in outputs:
            failures.append(Failure(doc["id"], "malformed", "extract_batch() returned no prediction for it"))
            continue
        try:
            preds[doc["id"]] = _validated(outputs[doc["id"]], doc, name)
        except DataError as exc:
            failures.append(Failure(doc["id"], "malformed", str(exc)))
    return RunOutput(name, preds, tuple(failures), time.perf_counter() - t0)


class _Process:
    """A long-running extractor program speaking JSONL over stdin/stdout."""

    def __init__(self, argv: list[str]) -> None:
        try:
            self.proc = subprocess.Popen(
                argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                text=True, encoding="utf-8", bufsize=1,
            )
        except OSError as exc:
            raise ParameterError(f"--extractor-cmd: cannot start {argv[0]!r} ({exc.strerror})") from None
        self.lines: queue.Queue = queue.Queue()
        self.stderr: deque[str] = deque(maxlen=5)
        threading.Thread(target=self._read, args=(self.proc.stdout, self.lines.put), daemon=True).start()
        threading.Thread(target=self._read, args=(self.proc.stderr, self.stderr.append), daemon=True).start()

    @staticmethod
    def _read(stream, sink) -> None:
        for line in stream:
            sink(line)
        sink(None)

    def ask(self, view: dict[str, Any], timeout: float) -> str | None:
        """One output line for one document; None when the program died. Raises queue.Empty.

        The document is written from a helper thread: a program that does not read its
        stdin cannot block the runner past ``timeout`` (a document larger than the pipe
        buffer would otherwise hang the write).
        """
        line = json.dumps(view, ensure_ascii=False) + "\n"
        broken = threading.Event()

        def write() -> None:
            try:
                self.proc.stdin.write(line)
                self.proc.stdin.flush()
            except (BrokenPipeError, OSError, ValueError):
                broken.set()
                self.lines.put(None)  # wakes the reader below: the program is gone

        threading.Thread(target=write, daemon=True).start()
        out = self.lines.get(timeout=timeout)
        return None if broken.is_set() and out is None else out

    def why_dead(self) -> str:
        try:
            code = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            code = None
        tail = " | ".join(s.strip() for s in self.stderr if s and s.strip())
        return f"the program exited (status {code})" + (f"; stderr: {tail}" if tail else "")

    def close(self, *, kill: bool = False) -> None:
        if not kill:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=5)
                return
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.proc.kill()
        self.proc.wait()


def command_name(argv: Sequence[str], *, width: int = 60) -> str:
    """``cmd:`` and the command with paths shortened to their last part (``cmd:python my_ner.py``)."""
    import os

    text = " ".join(os.path.basename(a.rstrip("/\\")) or a for a in argv)
    return "cmd:" + (text if len(text) <= width else text[: width - 1] + "…")


def run_command(
    cmd: str,
    docs: Sequence[Mapping[str, Any]],
    *,
    timeout: float = 60.0,
    name: str | None = None,
    progress: bool | None = None,
) -> RunOutput:
    """Run an external extractor program (``cmd``, split like a shell would, not run by one)."""
    argv = shlex.split(cmd)
    if not argv:
        raise ParameterError("--extractor-cmd: empty command")
    if not timeout > 0:
        raise ParameterError(f"The 'timeout' parameter of run_command() must be > 0. Got {timeout!r} instead.")
    name = name or command_name(argv)
    t0 = time.perf_counter()
    preds: dict[str, dict[str, Any]] = {}
    failures: list[Failure] = []
    proc: _Process | None = None
    try:
        for doc in _progress(docs, total=len(docs), desc=name, progress=progress):
            proc = proc or _Process(argv)
            try:
                line = proc.ask(document_view(dict(doc)), timeout)
            except queue.Empty:
                failures.append(Failure(doc["id"], "timeout", f"no output line within {timeout:g} s"))
                proc.close(kill=True)
                proc = None
                continue
            if line is None:
                failures.append(Failure(doc["id"], "crashed", proc.why_dead()))
                proc.close(kill=True)
                proc = None
                continue
            try:
                out = json.loads(line)
            except json.JSONDecodeError as exc:
                failures.append(Failure(doc["id"], "malformed", f"output line is not JSON ({exc.msg}): {line[:80]!r}"))
                continue
            try:
                preds[doc["id"]] = _validated(out, doc, name)
            except DataError as exc:
                failures.append(Failure(doc["id"], "malformed", str(exc)))
    finally:
        if proc is not None:
            proc.close()
    return RunOutput(name, preds, tuple(failures), time.perf_counter() - t0)

