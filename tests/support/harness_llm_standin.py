"""A local stand-in for an OpenAI-compatible endpoint, for what a real server cannot be made
to do on cue: scripted answers (ungrounded strings, strings copied from the prompt's
examples, invalid JSON), 429s and 5xx, a reply slower than the client's timeout, a refused
``response_format``. It listens on 127.0.0.1 (a free port) and records every request.

``script(body) -> Reply`` decides each answer from the request body (the chunk text is the
last message), so concurrent requests get deterministic answers.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable


@dataclass
class Reply:
    content: str | None = None  # the message content (an answer); None with a status
    status: int = 200
    delay: float = 0.0
    body: str | None = None  # a raw body for an error status
    headers: dict[str, str] = field(default_factory=dict)
    usage: tuple[int, int] = (100, 20)


def answer(casualties=(), actors=(), dates=()) -> str:
    return json.dumps({"casualties": list(casualties), "actors": list(actors), "dates": list(dates)})


def actor(text: str, type_: str = "armed_group") -> dict[str, Any]:
    return {"text": text, "type": type_}


def casualty(text: str, count: int, kind: str = "killed", qualifier: str = "exact") -> dict[str, Any]:
    return {"text": text, "count": count, "count_low": None, "count_high": None, "qualifier": qualifier,
            "kind": kind, "victims": "people"}


def date(text: str, value: str, type_: str = "DATE") -> dict[str, Any]:
    return {"text": text, "value": value, "type": type_, "mod": None}


class StandIn:
    def __init__(self, script: Callable[[dict[str, Any]], Reply]) -> None:
        self.script = script
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                n = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(n).decode("utf-8"))
                with outer.lock:
                    outer.requests.append(body)
                    outer.headers.append(dict(self.headers))
                reply = outer.script(body)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.status != 200:
                    data = (reply.body or json.dumps({"error": {"message": f"status {reply.status}"}})).encode()
                else:
                    data = json.dumps({
                        "id": "x", "object": "chat.completion", "model": body.get("model"),
                        "choices": [{"index": 0, "finish_reason": "stop",
                                     "message": {"role": "assistant", "content": reply.content}}],
                        "usage": {"prompt_tokens": reply.usage[0], "completion_tokens": reply.usage[1],
                                  "total_tokens": sum(reply.usage)},
                    }).encode()
                try:
                    self.send_response(reply.status)
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> "StandIn":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def chunk_text(body: dict[str, Any]) -> str:
    """The document chunk a request asks about (the last user message, after its header)."""
    users = [m["content"] for m in body["messages"] if m["role"] == "user"]
    last_doc = [u for u in users if not u.startswith("Your answer could not")][-1]
    return last_doc.split("\n\n", 1)[1] if "\n\n" in last_doc else last_doc


def is_repair(body: dict[str, Any]) -> bool:
    return body["messages"][-1]["content"].startswith("Your answer could not")
