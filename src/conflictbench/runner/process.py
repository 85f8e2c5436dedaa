"""One third-party program, started in its own session, spoken to in bytes, ended with its group.

* started with ``start_new_session=True``: the program and everything it starts form one
  process group, which :meth:`Program.kill` ends as a whole (a shell wrapper's children too);
* its environment is the caller's minus credentials (:func:`conflictbench.redaction.child_environment`),
  with ``PYTHONUNBUFFERED=1`` so that a Python program's ``print()`` reaches us line by line;
* stdout is read as bytes by a thread, line by line: a line that is not UTF-8 is handed over
  as bytes and judged by the protocol (:mod:`.command`), never a traceback in a thread;
* every live program is listed in :data:`LIVE`, so that an interrupted run ends them all.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import threading
import time
from collections import deque
from typing import Iterable

from ..errors import ParameterError
from ..redaction import child_environment, redact

#: the programs started and not yet ended (an interrupted run kills these)
LIVE: set["Program"] = set()
_LIVE_LOCK = threading.Lock()

#: marks the end of the program's stdout in the line queue
EOF = object()


class Program:
    """A long-running program speaking one line per document over stdin/stdout."""

    def __init__(self, argv: list[str], *, allow_env: Iterable[str] = ()) -> None:
        env = child_environment(allow_env)
        env["PYTHONUNBUFFERED"] = "1"
        try:
            self.proc = subprocess.Popen(
                argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                env=env, start_new_session=True,
            )
        except OSError as exc:
            raise ParameterError(f"--extractor-cmd: cannot start {argv[0]!r} ({exc.strerror})") from None
        with _LIVE_LOCK:
            LIVE.add(self)
        self.started = time.monotonic()
        self.lines: queue.Queue = queue.Queue()
        self.stderr: deque[bytes] = deque(maxlen=5)
        threading.Thread(target=self._read, args=(self.proc.stdout, self.lines.put), daemon=True).start()
        threading.Thread(target=self._read, args=(self.proc.stderr, self.stderr.append), daemon=True).start()

    @staticmethod
    def _read(stream, sink) -> None:
        try:
            for line in iter(stream.readline, b""):
                sink(line)
        except (OSError, ValueError):  # the pipe was closed under us: the program is being ended
            pass
        sink(EOF)

    def send(self, line: bytes) -> None:
        """Write one line from a helper thread (a program that does not read cannot block us)."""

        def write() -> None:
            try:
                self.proc.stdin.write(line)
                self.proc.stdin.flush()
            except (OSError, ValueError):  # the program is gone: its stdout's EOF says so
                pass

        threading.Thread(target=write, daemon=True).start()

    def next_line(self, deadline: float) -> bytes | object:
        """The next stdout line (bytes) or :data:`EOF`; raises ``queue.Empty`` at ``deadline``."""
        return self.lines.get(timeout=max(0.0, deadline - time.monotonic()))

    def why_dead(self) -> str:
        try:
            code = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            code = None
        time.sleep(0.05)  # let the stderr reader catch the last lines
        tail = " | ".join(s.decode("utf-8", "backslashreplace").strip() for s in list(self.stderr)
                          if isinstance(s, bytes) and s.strip())
        return f"the program exited (status {code})" + (f"; stderr: {redact(tail)}" if tail else "")

    def kill(self) -> None:
        """End the program and its whole process group, now."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            try:
                self.proc.kill()
            except ProcessLookupError:
                pass
        self._reap()

    def close(self) -> None:
        """Close stdin and let the program finish (5 s), then end its group whatever it does."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self.kill()  # the group too: a child the program left behind must not outlive the run

    def _reap(self) -> None:
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        try:  # stdout/stderr are left to their reader threads (closing them could block on a stray grandchild)
            self.proc.stdin.close()
        except OSError:
            pass
        with _LIVE_LOCK:
            LIVE.discard(self)


def kill_all() -> None:
    """End every program still running (an interrupted or failing run)."""
    with _LIVE_LOCK:
        live = list(LIVE)
    for p in live:
        p.kill()


class Terminated(BaseException):
    """SIGTERM arrived during a run: unwinds like KeyboardInterrupt, so every program is ended."""


def _on_sigterm(signum, frame):  # noqa: ARG001 - the signal handler's signature
    raise Terminated()


class ending_programs:
    """While inside, SIGTERM unwinds the run (:class:`Terminated`); on the way out, by any exit,
    every program started is ended with its process group."""

    def __enter__(self):
        self.old = None
        if threading.current_thread() is threading.main_thread():
            self.old = signal.signal(signal.SIGTERM, _on_sigterm)
        return self

    def __exit__(self, *exc) -> None:
        kill_all()
        if self.old is not None:
            signal.signal(signal.SIGTERM, self.old)
