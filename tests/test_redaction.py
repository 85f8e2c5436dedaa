"""conflictbench.redaction: one helper masks credentials wherever outside text reaches a message."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conflictbench.redaction import MASK, child_environment, is_secret_name, redact

# (text, secrets passed, expected) — written by hand
CASES = [
    ("Authorization: Token abc", (), f"Authorization: {MASK}"),
    ('{"Authorization": "Bearer eyJhbGciOi.xyz"}', (), f'{{"Authorization": "{MASK}"}}'),
    ("'authorization': 'k'", (), f"'authorization': '{MASK}'"),
    ("Proxy-Authorization: Basic dXNlcjpwYXNz", (), f"Proxy-Authorization: {MASK}"),
    ("sent Token 0123456789abcdef to the server", (), f"sent Token {MASK} to the server"),
    ("Bearer sk-live-0000aaaa", (), f"Bearer {MASK}"),
    ("GET /api/tasks?token=abc123&page=2", (), f"GET /api/tasks?token={MASK}&page=2"),
    ("api_key=XYZ", (), f"api_key={MASK}"),
    ("the key plainsecretvalue leaked", ("plainsecretvalue",), f"the key {MASK} leaked"),
    # ordinary prose stays as it is
    ("your Personal Access Token, or a legacy token if legacy tokens are enabled", (),
     "your Personal Access Token, or a legacy token if legacy tokens are enabled"),
    ("check LABEL_STUDIO_API_KEY", (), "check LABEL_STUDIO_API_KEY"),
]


@pytest.mark.parametrize("text,secrets,expected", CASES)
def test_redact(text, secrets, expected, monkeypatch):
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    assert redact(text, secrets) == expected


def test_values_of_credential_variables_are_masked(monkeypatch):
    monkeypatch.setenv("SOMESERVICE_TOKEN", "tok-from-env-42")
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "lskeyvalue")
    assert redact("x tok-from-env-42 y lskeyvalue z") == f"x {MASK} y {MASK} z"


@pytest.mark.parametrize("name,secret", [("LABEL_STUDIO_API_KEY", True), ("OPENAI_API_KEY", True),
                                         ("HF_TOKEN", True), ("my_api_key", True), ("PATH", False),
                                         ("TOKENIZERS_PARALLELISM", False), ("LABEL_STUDIO_URL", False)])
def test_secret_names(name, secret):
    assert is_secret_name(name) is secret


def test_child_environment_drops_credentials_but_the_allowed_ones():
    env = {"PATH": "/bin", "HF_TOKEN": "t", "OPENAI_API_KEY": "k", "LABEL_STUDIO_API_KEY": "l"}
    assert child_environment(environ=env) == {"PATH": "/bin"}
    assert child_environment(["HF_TOKEN"], environ=env) == {"PATH": "/bin", "HF_TOKEN": "t"}


def test_an_unexpected_traceback_from_the_cli_is_redacted(tmp_path):
    # the CLI's top-level printer: even a traceback (a bug) shows no credential
    script = ("import sys; from conflictbench import cli; from conflictbench.commands import evaluation\n"
              "def boom(args): raise RuntimeError('server said Authorization: Token zzz-1234567890')\n"
              "evaluation._extractors = boom\n"
              "sys.exit(cli.main(['extractors']))\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert "RuntimeError" in proc.stderr and "zzz-1234567890" not in proc.stderr and MASK in proc.stderr


def test_an_extractor_exception_carrying_a_key_is_recorded_masked(monkeypatch):
    from conflictbench.runner import run_extractor

    monkeypatch.setenv("SOMEAPI_API_KEY", "sk-abcdef123456")

    class Leaky:
        name = "leaky.v1"

        def extract(self, doc):
            raise RuntimeError("401 from api: key sk-abcdef123456, headers {'Authorization': 'Bearer sk-abcdef123456'}")

    run = run_extractor(Leaky(), [{"id": "d", "text": "t"}], progress=False)
    (failure,) = run.failures
    assert "sk-abcdef123456" not in failure.message and MASK in failure.message
