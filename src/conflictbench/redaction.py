"""Credentials never reach a message: one helper for every boundary where outside text is shown.

:func:`redact` removes, from any text (a server's error reply, a program's stderr, an
exception's message, a traceback):

* the value of every credential the project knows about — environment variables named
  ``LABEL_STUDIO_API_KEY``, ``OPENAI_API_KEY``, or ending in ``_API_KEY`` / ``_TOKEN``
  (:func:`is_secret_name`) — and any value passed in ``secrets``;
* whatever follows ``Authorization:`` / ``Proxy-Authorization:`` (a header, or a JSON or
  Python-dict echo of one), and the credential after ``Token``, ``Bearer`` or ``Basic``;
* ``api_key=`` / ``token=`` / ``access_token=`` query or form values.

Each is replaced by :data:`MASK`. :func:`child_environment` is the environment a third-party
program is started with: the caller's, minus those credentials.
"""

from __future__ import annotations

import os
import re
from typing import Iterable, Mapping

MASK = "[redacted]"

#: credentials the project reads, by exact name (any ``*_API_KEY`` / ``*_TOKEN`` also counts)
KNOWN_SECRETS = ("LABEL_STUDIO_API_KEY", "OPENAI_API_KEY")

_HEADER = re.compile(
    r"""(?P<name>(?:proxy-)?authorization)(?P<sep>["']?\s*[:=]\s*["']?)(?P<value>[^"'\r\n,}\]]+)""",
    re.IGNORECASE,
)
# a credential after its scheme word: 8+ characters with a digit or punctuation ("a legacy token if" stays)
_SCHEME = re.compile(r"\b(?P<name>token|bearer|basic)(?P<sep>\s+)(?P<value>(?=[A-Za-z]*[0-9._~+/=:-])[A-Za-z0-9._~+/=:-]{8,})",
                     re.IGNORECASE)
_QUERY = re.compile(r"(?P<name>\b(?:api[_-]?key|access[_-]?token|token))(?P<sep>=)(?P<value>[^&\s\"'<>]+)",
                    re.IGNORECASE)


def is_secret_name(name: str) -> bool:
    """True for an environment variable holding a credential the project knows about."""
    upper = name.upper()
    return upper in KNOWN_SECRETS or upper.endswith("_API_KEY") or upper.endswith("_TOKEN")


def secret_values(environ: Mapping[str, str] | None = None) -> list[str]:
    """The values of the credential variables of ``environ`` (default: this process's)."""
    environ = os.environ if environ is None else environ
    return [v for k, v in environ.items() if is_secret_name(k) and len(v.strip()) >= 4]


def redact(text: object, secrets: Iterable[str] = ()) -> str:
    """``text`` (made a string) with every credential replaced by :data:`MASK`."""
    out = text if isinstance(text, str) else str(text)
    values = sorted({s for s in [*secrets, *secret_values()] if isinstance(s, str) and len(s.strip()) >= 4},
                    key=len, reverse=True)  # longest first: a key containing another is masked whole
    for v in values:
        out = out.replace(v, MASK)
    out = _HEADER.sub(lambda m: m["name"] + m["sep"] + MASK, out)
    out = _SCHEME.sub(lambda m: m["name"] + m["sep"] + MASK, out)
    out = _QUERY.sub(lambda m: m["name"] + m["sep"] + MASK, out)
    return out


def child_environment(allow: Iterable[str] = (), environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a third-party program: ``environ`` minus credentials, except ``allow``."""
    environ = os.environ if environ is None else environ
    allowed = {a for a in allow}
    return {k: v for k, v in environ.items() if k in allowed or not is_secret_name(k)}
