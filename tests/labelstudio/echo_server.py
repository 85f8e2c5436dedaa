"""A local stand-in for what a real Label Studio server cannot be made to do: answer HTTP 500 with
the request's headers echoed in the body (as some servers and proxies do). Loopback only."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Echo(BaseHTTPRequestHandler):
    #: "json": the headers as a JSON object; "text": as raw header lines
    style = "json"
    whoami_ok = False

    def _answer(self) -> None:
        if self.whoami_ok and self.path.startswith("/api/current-user/whoami"):
            body, ctype, code = json.dumps({"id": 1, "email": "a@example.org", "username": "a"}), "application/json", 200
        elif self.style == "json":
            body = json.dumps({"detail": "internal error", "request_headers": dict(self.headers.items())})
            ctype, code = "application/json", 500
        else:
            body, ctype, code = "Internal error. Request was:\n" + str(self.headers), "text/plain", 500
        data = body.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _answer

    def log_message(self, *args) -> None:  # quiet
        pass


class EchoServer:
    def __init__(self, *, style: str = "json", whoami_ok: bool = False) -> None:
        handler = type("Handler", (_Echo,), {"style": style, "whoami_ok": whoami_ok})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "EchoServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
