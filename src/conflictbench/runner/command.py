"""Any program as an extractor (``--extractor-cmd "CMD"``, ``compare "cmd:CMD"``).

The protocol (PREDICTIONS.md, "Programs"): the program is started once (``--jobs N``: N
copies, on disjoint documents) and receives one document view per line (JSON) on its
stdin; for each it writes one line, a JSON object carrying the document's ``id``, on its
stdout, and flushes it. Answers are matched to documents **by id, never by position**:

* the answer whose ``id`` is the document asked about is its prediction (validated like a
  line of a predictions file: an invalid one is a *malformed* failure);
* a line that is not a JSON object, or an object answering a document asked earlier (a late
  answer), is a *stray line*: recorded, and the runner reads on for the document asked about;
* an object without an ``id``, or a line that is not UTF-8, is a *malformed* answer for the
  document asked about (the run goes on); an object with the id of a document not asked about
  is malformed too, and the program, out of step, is restarted;
* lines already received when a document is written are stray (they were written before it);
* no answer within the limit is a *timeout*, the end of stdout a *crash*: the program (its
  whole process group) is ended and a fresh one takes the next document. The limit is
  ``timeout`` seconds from the moment the document is written, plus ``startup_timeout`` for
  the first document of each program started.

No document is scored with output written before it was sent, as far as the runner can see:
a program that labels an answer with the id of a document it has not been sent yet, after its
answer to the current one, cannot be told from a correct one (documented in PREDICTIONS.md).
"""

from __future__ import annotations

import json
import math
import os
import queue
import shlex
import threading
import time
from typing import Any, Iterable, Mapping, Sequence

from ..errors import DataError, ParameterError
from ..extractors.base import document_view
from ..redaction import redact
from .outcome import Failure, RunOutput, StrayLine, progress_bar, validated
from .process import EOF, Program, ending_programs

#: seconds a document may take (``--timeout``)
DEFAULT_TIMEOUT = 60.0
#: seconds a freshly started program may take before its first answer, on top of the timeout
DEFAULT_STARTUP_TIMEOUT = 300.0
#: the largest limit accepted (one day): a larger one is a typo, and would overflow the clocks
MAX_SECONDS = 86400.0
#: stray lines kept in the record per run (all are counted)
MAX_STRAY_KEPT = 100


def split_command(cmd: str, *, where: str = "--extractor-cmd") -> list[str]:
    """``cmd`` split like a shell would (it is not run by one); one clear error when it cannot be."""
    try:
        argv = shlex.split(cmd)
    except ValueError as exc:  # "No closing quotation", "No escaped character"
        raise ParameterError(f"{where} {cmd!r}: {exc} (an unclosed quote?)") from None
    if not argv:
        raise ParameterError(f"{where}: empty command")
    return argv


def check_seconds(value: Any, what: str) -> float:
    """A finite number of seconds in (0, MAX_SECONDS]; ``what`` names the option in the message."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) \
        and 0 < value <= MAX_SECONDS
    if not ok:
        raise ParameterError(f"{what} must be a number of seconds > 0 and at most {MAX_SECONDS:g} (one day). "
                             f"Got {value!r} instead.")
    return float(value)


def command_name(argv: Sequence[str], *, width: int = 60) -> str:
    """``cmd:`` and the command with paths shortened to their last part (``cmd:python my_ner.py``)."""
    text = " ".join(os.path.basename(a.rstrip("/\\")) or a for a in argv)
    return "cmd:" + (text if len(text) <= width else text[: width - 1] + "…")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"duplicated key {k!r}")
        out[k] = v
    return out


def _excerpt(text: str, n: int = 80) -> str:
    return repr(text if len(text) <= n else text[:n] + "…")


class _Worker:
    """One copy of the program and the documents it answers, one at a time."""

    def __init__(self, argv: list[str], name: str, *, timeout: float, startup_timeout: float,
                 allow_env: Iterable[str]) -> None:
        self.argv, self.name, self.allow_env = argv, name, tuple(allow_env)
        self.timeout, self.startup_timeout = timeout, startup_timeout
        self.prog: Program | None = None
        self.asked: set[str] = set()  # ids written to the running program

    def _end(self) -> None:
        if self.prog is not None:
            self.prog.kill()
        self.prog = None

    def close(self) -> None:
        if self.prog is not None:
            self.prog.close()
        self.prog = None

    def answer(self, doc: Mapping[str, Any]) -> tuple[dict | None, Failure | None, list[StrayLine]]:
        doc_id = doc["id"]
        stray: list[StrayLine] = []
        if self.prog is not None:  # lines already received were written before this document: never its answer
            while True:
                try:
                    raw = self.prog.lines.get_nowait()
                except queue.Empty:
                    break
                if raw is EOF:  # the program ended after its last answer: a fresh one takes this document
                    self._end()
                    break
                stray.append(StrayLine(doc_id, redact(_excerpt(raw.decode("utf-8", "backslashreplace").rstrip()))))
        fresh = self.prog is None
        if fresh:
            self.prog, self.asked = Program(self.argv, allow_env=self.allow_env), set()
        limit = self.timeout + (self.startup_timeout if fresh else 0.0)
        prog = self.prog
        line = (json.dumps(document_view(dict(doc)), ensure_ascii=False) + "\n").encode("utf-8")
        deadline = time.monotonic() + limit  # the clock starts when the document is written
        prog.send(line)
        self.asked.add(doc_id)

        def failed(kind: str, message: str, *, end: bool = False):
            if end:
                self._end()
            return None, Failure(doc_id, kind, redact(message)), stray  # the program's output may hold a key

        while True:
            try:
                raw = prog.next_line(deadline)
            except queue.Empty:
                how = (f"no answer within {self.timeout:g} s (+ {self.startup_timeout:g} s start-up, "
                       "the program's first document)" if fresh else f"no answer within {self.timeout:g} s")
                more = f"; {len(stray)} stray line(s) meanwhile" if stray else ""
                return failed("timeout", how + more + " (does the program flush one line per document?)", end=True)
            if raw is EOF:
                return failed("crashed", prog.why_dead(), end=True)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                return failed("malformed", f"output line is not UTF-8 (byte {exc.start} of the line, "
                                           f"{raw[exc.start:exc.start + 1]!r}): {raw[:80]!r}")
            text = text.rstrip("\r\n")
            try:
                out = json.loads(text, object_pairs_hook=_no_duplicate_keys)
            except ValueError as exc:
                if str(exc).startswith("duplicated key"):
                    return failed("malformed", f"output line has a {exc}: {_excerpt(text)}")
                out = None
            except RecursionError:
                out = None
            if not isinstance(out, dict):
                stray.append(StrayLine(doc_id, redact(_excerpt(text))))
                continue
            if "id" not in out:
                return failed("malformed", "answer without an 'id' (every answer carries the id of the document "
                                           f"it answers): {redact(_excerpt(text))}")
            oid = out["id"]
            if oid == doc_id:
                try:
                    return validated(out, doc, self.name), None, stray
                except DataError as exc:
                    return failed("malformed", str(exc))
            if isinstance(oid, str) and oid in self.asked:  # a late answer to an earlier document
                stray.append(StrayLine(doc_id, redact(_excerpt(text))))
                continue
            # out of step (an answer for a document not asked about): its later lines cannot be trusted,
            # so the program is ended and a fresh one takes the next document
            return failed("malformed", f"answer for id {oid!r} while document {doc_id!r} was asked "
                                       "(the program was restarted)", end=True)



class CommandSession:
    """One extractor program kept running across batches of documents (an engine's worker runs
    all its partitions through one program), under the same protocol as :func:`run_command`
    with ``jobs=1``; a fresh program takes over after a timeout, a crash or an out-of-step answer."""

    def __init__(self, cmd: str, *, name: str | None = None, startup_timeout: float = DEFAULT_STARTUP_TIMEOUT,
                 allow_env: Iterable[str] = ()) -> None:
        self.argv = split_command(cmd)
        self.name = name or command_name(self.argv)
        self.startup_timeout = check_seconds(startup_timeout, "The 'startup_timeout' parameter of CommandSession()")
        self.allow_env = tuple(allow_env)
        self._worker: _Worker | None = None

    def run(self, docs: Sequence[Mapping[str, Any]], *, timeout: float = DEFAULT_TIMEOUT,
            progress: bool | None = None) -> tuple[dict[str, dict[str, Any]], list[Failure]]:
        """Predictions and failures of ``docs``, in their order (stray lines are counted by
        :func:`run_command` only)."""
        timeout = check_seconds(timeout, "The 'timeout' parameter of CommandSession.run()")
        if self._worker is None or self._worker.timeout != timeout:
            self.close()
            self._worker = _Worker(self.argv, self.name, timeout=timeout, startup_timeout=self.startup_timeout,
                                   allow_env=self.allow_env)
        preds: dict[str, dict[str, Any]] = {}
        failures: list[Failure] = []
        for doc in progress_bar(docs, total=len(docs), desc=self.name, progress=progress):
            pred, failure, _stray = self._worker.answer(doc)
            if pred is not None:
                preds[doc["id"]] = pred
            if failure is not None:
                failures.append(failure)
        return preds, failures

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None


def run_command(
    cmd: str,
    docs: Sequence[Mapping[str, Any]],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    startup_timeout: float = DEFAULT_STARTUP_TIMEOUT,
    jobs: int = 1,
    allow_env: Iterable[str] = (),
    name: str | None = None,
    progress: bool | None = None,
) -> RunOutput:
    """Run an external extractor program on ``docs`` (see the module's protocol).

    ``jobs`` copies run on disjoint documents; the result does not depend on ``jobs``
    (predictions and failures in document order). ``allow_env`` names credential variables
    passed to the program on purpose (all others are withheld).
    """
    argv = split_command(cmd)
    timeout = check_seconds(timeout, "The 'timeout' parameter of run_command()")
    startup_timeout = check_seconds(startup_timeout, "The 'startup_timeout' parameter of run_command()")
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise ParameterError(f"The 'jobs' parameter of run_command() must be a positive integer. Got {jobs!r} instead.")
    name = name or command_name(argv)
    allow_env = tuple(allow_env)
    t0 = time.perf_counter()
    results: list[tuple[dict | None, Failure | None, list[StrayLine]] | None] = [None] * len(docs)
    todo: queue.Queue = queue.Queue()
    for i in range(len(docs)):
        todo.put(i)
    stop = threading.Event()
    errors: list[BaseException] = []
    bar = progress_bar(None, total=len(docs), desc=name, progress=progress)

    def work() -> None:
        worker = _Worker(argv, name, timeout=timeout, startup_timeout=startup_timeout, allow_env=allow_env)
        try:
            while not stop.is_set():
                try:
                    i = todo.get_nowait()
                except queue.Empty:
                    break
                results[i] = worker.answer(docs[i])
                bar.update(1)
            worker.close()
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread, which raises it
            errors.append(exc)
            stop.set()
            worker._end()

    try:
        with ending_programs():
            if jobs == 1:
                work()
            else:
                threads = [threading.Thread(target=work, daemon=True) for _ in range(min(jobs, max(1, len(docs))))]
                for t in threads:
                    t.start()
                try:
                    for t in threads:
                        while t.is_alive():
                            t.join(0.1)
                finally:
                    stop.set()
            if errors:
                raise errors[0]
    finally:
        bar.close()
    preds: dict[str, dict[str, Any]] = {}
    failures: list[Failure] = []
    stray: list[StrayLine] = []
    for doc, res in zip(docs, results):
        pred, failure, lines = res if res is not None else (None, Failure(doc["id"], "crashed", "not run"), [])
        if pred is not None:
            preds[doc["id"]] = pred
        if failure is not None:
            failures.append(failure)
        stray += lines
    return RunOutput(name, preds, tuple(failures), time.perf_counter() - t0,
                     stray=tuple(stray[:MAX_STRAY_KEPT]), n_stray=len(stray))
