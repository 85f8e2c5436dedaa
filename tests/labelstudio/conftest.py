"""A real Label Studio server for the session (started from .venv-ls, stopped by PID).

Started lazily: only tests that use ``ls_server`` pay for it (cold start ≈ 25 s).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from . import server as ls

OUTPUT = Path(__file__).resolve().parents[1] / "output"


@pytest.fixture(scope="session")
def ls_server(tmp_path_factory):
    srv = ls.start(tmp_path_factory.mktemp("label-studio"))
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def ls_env(ls_server, monkeypatch):
    """LABEL_STUDIO_URL / LABEL_STUDIO_API_KEY pointing at the test server."""
    monkeypatch.setenv("LABEL_STUDIO_URL", ls_server.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", ls_server.token)
    return ls_server


@pytest.fixture
def session(ls_env):
    from conflictbench.labelstudio.client import Session

    return Session()


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT


def dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1)


@pytest.fixture(scope="session")
def muc4(shared, tmp_path_factory):
    """The MUC-4 corpus (654 entities), imported once per session (≈ 10 s) from ../shared."""
    from conflictbench.corpus import load_corpus
    from conflictbench.muc import import_muc4

    archive = shared / "datasets" / "muc34.tar.gz"
    assert archive.is_file(), f"{archive} is missing"
    out = tmp_path_factory.mktemp("muc4") / "corpus"
    import_muc4(archive, out)
    return load_corpus(out)
