"""A minimal OpenAI-compatible chat-completions client on the standard library (urllib).

``POST {base_url}/chat/completions`` with a JSON body; ``Authorization: Bearer <key>`` only
when a key is given. A 429, a 5xx, a refused or dropped connection, or no answer within
``timeout`` seconds is retried up to ``max_retries`` times, waiting ``backoff · 2**attempt``
seconds (or the server's ``Retry-After``, at most 30 s); any other status fails at once. The
final failure is a :class:`RequestFailed` whose message names the status or the error, never
the key or the request headers.

The key lives in a private attribute and is left out of ``repr``; nothing here logs.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Callable

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 30.0


class RequestFailed(Exception):
    """A request that finally failed; ``kind`` is ``timeout``, ``http`` or ``connection``."""

    def __init__(self, kind: str, message: str, status: int | None = None, body: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.body = body


@dataclass
class Exchange:
    """One completed request: the parsed response and how long it took."""

    response: dict[str, Any]
    seconds: float


@dataclass
class ClientCounters:
    requests: int = 0  # HTTP requests sent (retries included)
    retries: int = 0
    rate_limited: int = 0  # 429 answers
    server_errors: int = 0  # 5xx answers
    timeouts: int = 0
    connection_errors: int = 0
    latencies: list[float] = field(default_factory=list)  # seconds, of the successful requests


def public_endpoint(base_url: str) -> str:
    """The base URL without user info, query or fragment (what enters cache keys and reports)."""
    parts = urllib.parse.urlsplit(base_url.strip())
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))


class ChatClient:
    def __init__(self, base_url: str, api_key: str | None = None, *, timeout: float = 120.0, max_retries: int = 3,
                 backoff: float = 1.0, sleep: Callable[[float], None] = time.sleep) -> None:
        self.endpoint = public_endpoint(base_url)
        self._url = base_url.strip().rstrip("/") + "/chat/completions"
        self.__key = api_key or None
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self._sleep = sleep
        self.counters = ClientCounters()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"ChatClient({self.endpoint!r}, key={'set' if self.__key else 'none'})"

    def _count(self, **inc: int) -> None:
        with self._lock:
            for k, v in inc.items():
                setattr(self.counters, k, getattr(self.counters, k) + v)

    def _scrub(self, text: str) -> str:
        """``text`` with the key blanked out (a server may echo the request's headers in an error)."""
        return text.replace(self.__key, "[API key]") if self.__key and text else text

    def complete(self, body: dict[str, Any], *, final: Callable[[RequestFailed], bool] | None = None) -> Exchange:
        """POST ``body``; the parsed JSON response, after retries. Raises :class:`RequestFailed`.

        ``final(error)`` true: that error is not retried (e.g. a server that answers 500 to a
        request it cannot parse)."""
        try:
            return self._complete(body, final)
        except RequestFailed as exc:
            raise RequestFailed(exc.kind, self._scrub(str(exc)), exc.status, self._scrub(exc.body)) from None

    def _complete(self, body: dict[str, Any], final: Callable[[RequestFailed], bool] | None) -> Exchange:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        attempt = 0
        while True:
            wait: float | None = None
            try:
                return self._once(data)
            except RequestFailed as exc:
                retryable = exc.kind in ("timeout", "connection") or exc.status in RETRY_STATUSES
                if not retryable or attempt >= self.max_retries or (final is not None and final(exc)):
                    raise
                wait = getattr(exc, "retry_after", None)
            attempt += 1
            self._count(retries=1)
            self._sleep(wait if wait is not None else self.backoff * 2 ** (attempt - 1))

    def _once(self, data: bytes) -> Exchange:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.__key:
            headers["Authorization"] = f"Bearer {self.__key}"
        req = urllib.request.Request(self._url, data=data, headers=headers, method="POST")
        self._count(requests=1)
        t0 = time.perf_counter()
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310 - the configured endpoint
                raw = resp.read()
        except urllib.error.HTTPError as exc:
            body = _read_body(exc)
            if exc.code == 429:
                self._count(rate_limited=1)
            elif exc.code >= 500:
                self._count(server_errors=1)
            err = RequestFailed("http", f"HTTP {exc.code} from {self.endpoint}: {body[:200]}", exc.code, body)
            err.retry_after = _retry_after(exc.headers.get("Retry-After") if exc.headers else None)  # type: ignore[attr-defined]
            raise err from None
        except (socket.timeout, TimeoutError):
            self._count(timeouts=1)
            raise RequestFailed("timeout", f"no answer from {self.endpoint} within {self.timeout:g} s") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (socket.timeout, TimeoutError)):
                self._count(timeouts=1)
                raise RequestFailed("timeout", f"no answer from {self.endpoint} within {self.timeout:g} s") from None
            self._count(connection_errors=1)
            raise RequestFailed("connection", f"cannot reach {self.endpoint}: {exc.reason}") from None
        except (ConnectionError, OSError, http.client.HTTPException) as exc:  # reset or dropped mid-answer
            self._count(connection_errors=1)
            raise RequestFailed("connection", f"connection to {self.endpoint} lost: {exc}") from None
        seconds = time.perf_counter() - t0
        try:
            parsed = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise RequestFailed("http", f"{self.endpoint} answered with something that is not JSON: "
                                        f"{raw[:120]!r}") from None
        with self._lock:
            self.counters.latencies.append(seconds)
        return Exchange(parsed, seconds)


def _read_body(exc: urllib.error.HTTPError) -> str:
    try:
        return exc.read().decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - the body is only for the message
        return ""


def _retry_after(value: str | None) -> float | None:
    try:
        return min(max(float(value), 0.0), MAX_RETRY_AFTER) if value is not None else None
    except ValueError:
        return None
