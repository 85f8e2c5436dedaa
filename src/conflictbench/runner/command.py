"""Any program as an extractor (``--extractor-cmd "CMD"``): it is started once, receives one
document view per line (JSON) on its stdin and writes one prediction line per document on
its stdout, within a per-document timeout (protocol: PREDICTIONS.md)."""

from __future__ import annotations

import json
import queue
import shlex
import subprocess
import threading
import time
from collections import deque
from typing import Any, Mapping, Sequence

from ..errors import DataError, ParameterError
from ..extractors.base import document_view
from .outcome import Failure, RunOutput, progress_bar, validated


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


class CommandSession:
    """One extractor program kept running across batches of documents (an engine's worker runs
    all its partitions through one program); restarted after a timeout or a crash."""

    def __init__(self, cmd: str, *, name: str | None = None) -> None:
        self.argv = shlex.split(cmd)
        if not self.argv:
            raise ParameterError("--extractor-cmd: empty command")
        self.name = name or command_name(self.argv)
        self.proc: _Process | None = None

    def run(self, docs: Sequence[Mapping[str, Any]], *, timeout: float = 60.0,
            progress: bool | None = None) -> tuple[dict[str, dict[str, Any]], list[Failure]]:
        """Predictions and failures of ``docs``, in their order."""
        if not timeout > 0:
            raise ParameterError(f"The 'timeout' parameter of run_command() must be > 0. Got {timeout!r} instead.")
        name = self.name
        preds: dict[str, dict[str, Any]] = {}
        failures: list[Failure] = []
        for doc in progress_bar(docs, total=len(docs), desc=name, progress=progress):
            self.proc = self.proc or _Process(self.argv)
            proc = self.proc
            try:
                line = proc.ask(document_view(dict(doc)), timeout)
            except queue.Empty:
                failures.append(Failure(doc["id"], "timeout", f"no output line within {timeout:g} s"))
                proc.close(kill=True)
                self.proc = None
                continue
            if line is None:
                failures.append(Failure(doc["id"], "crashed", proc.why_dead()))
                proc.close(kill=True)
                self.proc = None
                continue
            try:
                out = json.loads(line)
            except json.JSONDecodeError as exc:
                failures.append(Failure(doc["id"], "malformed", f"output line is not JSON ({exc.msg}): {line[:80]!r}"))
                continue
            try:
                preds[doc["id"]] = validated(out, doc, name)
            except DataError as exc:
                failures.append(Failure(doc["id"], "malformed", str(exc)))
        return preds, failures

    def close(self) -> None:
        if self.proc is not None:
            self.proc.close()
            self.proc = None


def run_command(
    cmd: str,
    docs: Sequence[Mapping[str, Any]],
    *,
    timeout: float = 60.0,
    name: str | None = None,
    progress: bool | None = None,
) -> RunOutput:
    """Run an external extractor program (``cmd``, split like a shell would, not run by one)."""
    session = CommandSession(cmd, name=name)
    if not timeout > 0:
        raise ParameterError(f"The 'timeout' parameter of run_command() must be > 0. Got {timeout!r} instead.")
    t0 = time.perf_counter()
    try:
        preds, failures = session.run(docs, timeout=timeout, progress=progress)
    finally:
        session.close()
    return RunOutput(session.name, preds, tuple(failures), time.perf_counter() - t0)
