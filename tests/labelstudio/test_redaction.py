"""A server that echoes the request's headers in a 500 reply made ``annotate push/pull/agreement``
print ``Authorization: Token <key>``: the key and every Authorization/Token/Bearer value are masked
(issue 10). Against a local stand-in (a real Label Studio cannot be made to echo headers)."""

from __future__ import annotations

import pytest

from conflictbench.cli import main

from .echo_server import EchoServer

KEY = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0"

COMMANDS = [
    ["annotate", "push", "--project", "p"],
    ["annotate", "pull", "--project", "p", "--corpus-out", "{tmp}/out"],
    ["annotate", "agreement", "--project", "p"],
]


# the first call (whoami) failing, and a later call failing after whoami answered
@pytest.mark.parametrize("style,whoami_ok", [("json", False), ("text", True)])
@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: a[1])
def test_an_echoed_authorization_header_is_never_printed(capsys, monkeypatch, tmp_path, style, whoami_ok, argv):
    with EchoServer(style=style, whoami_ok=whoami_ok) as srv:
        monkeypatch.setenv("LABEL_STUDIO_URL", srv.url)
        monkeypatch.setenv("LABEL_STUDIO_API_KEY", KEY)
        code = main([a.format(tmp=tmp_path) for a in argv])
    out, err = capsys.readouterr()
    assert code == 2
    assert "answered HTTP 500" in err  # the error is still shown ...
    for text in (out, err):
        assert KEY not in text and KEY[:12] not in text  # ... without the key, whole or in part
        assert "Token a1" not in text
    assert "[redacted]" in err  # the echo was there, masked


def test_a_key_passed_in_is_masked_even_when_not_in_the_environment(monkeypatch):
    from conflictbench.errors import DataError
    from conflictbench.labelstudio.client import Session

    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    with EchoServer(style="text") as srv:
        with pytest.raises(DataError) as info:
            Session(srv.url, "zzzzzzzzplainkeywithoutdigits")
    assert "zzzzzzzzplainkeywithoutdigits" not in str(info.value) and "[redacted]" in str(info.value)
