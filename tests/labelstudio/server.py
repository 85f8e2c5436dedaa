"""Start and stop a real Label Studio server for the tests (no pytest in here).

Label Studio lives in its own virtual environment (``.venv-ls``, made by
``make labelstudio-venv``): it pins Django, pyarrow<25 and an exact SDK version that must
stay out of the project's environment. The server runs on 127.0.0.1 on a free port with
SQLite; its data dir, database and ``XDG_*`` folders are inside a temporary folder; a user
and a legacy API token are pre-created from ``LABEL_STUDIO_USERNAME/PASSWORD/USER_TOKEN``;
signup, the version check and analytics are off. :meth:`Server.stop` ends it by PID.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LS_VENV = Path(os.environ.get("CONFLICTBENCH_LS_VENV", ROOT / ".venv-ls"))
LS_BIN = LS_VENV / "bin" / "label-studio"
USERNAME = "annotator@conflictbench.test"
PASSWORD = "conflictbench-test-" + "pw"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    token: str
    username: str
    password: str
    proc: subprocess.Popen
    log_path: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)  # its own process group: it and its children
            except ProcessLookupError:
                return
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"


#: how long a cold start may take: migrations on SQLite take ~25 s on an idle machine, several
#: minutes on a loaded 2-core one (CI shares its cores)
START_TIMEOUT = float(os.environ.get("CONFLICTBENCH_LS_START_TIMEOUT", "600"))


def start(tmp: Path, *, timeout: float = START_TIMEOUT) -> Server:
    """Start Label Studio with everything under ``tmp``; return once ``/health`` answers."""
    if not LS_BIN.is_file():
        raise RuntimeError(f"{LS_BIN} not found: run `make labelstudio-venv` (make test does)")
    tmp.mkdir(parents=True, exist_ok=True)
    data = tmp / "data"
    data.mkdir(exist_ok=True)
    port = free_port()
    token = secrets.token_hex(20)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABEL_STUDIO_", "DJANGO_"))}
    env.update(
        {
            "LABEL_STUDIO_USERNAME": USERNAME,
            "LABEL_STUDIO_PASSWORD": PASSWORD,
            "LABEL_STUDIO_USER_TOKEN": token,
            "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
            "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
            "DISABLE_SIGNUP_WITHOUT_LINK": "true",
            "LATEST_VERSION_CHECK": "false",
            "COLLECT_ANALYTICS": "false",
            "SENTRY_DSN": "",
            "FRONTEND_SENTRY_DSN": "",
            "LABEL_STUDIO_BASE_DATA_DIR": str(data),
            "DJANGO_DB": "sqlite",
            "DATABASE_NAME": str(data / "label_studio.sqlite3"),
            "XDG_DATA_HOME": str(tmp / "xdg-data"),
            "XDG_CONFIG_HOME": str(tmp / "xdg-config"),
            "XDG_CACHE_HOME": str(tmp / "xdg-cache"),
            "HOME": str(tmp / "home"),
            "LABEL_STUDIO_HOST": f"http://127.0.0.1:{port}",
            "PYTHONUNBUFFERED": "1",
        }
    )
    log_path = tmp / "label-studio.log"
    log = log_path.open("wb")
    cmd = [
        str(LS_BIN), "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(port),
        "--data-dir", str(data), "--database", str(data / "label_studio.sqlite3"),
        "--enable-legacy-api-token",
    ]
    proc = subprocess.Popen(
        cmd, env=env, cwd=tmp, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    server = Server(f"http://127.0.0.1:{port}", token, USERNAME, PASSWORD, proc, log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Label Studio exited with {proc.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.url + "/health", timeout=2) as resp:
                if resp.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    server.stop()
    raise RuntimeError(f"Label Studio did not answer /health within {timeout:.0f} s:\n{server.log_tail()}")
