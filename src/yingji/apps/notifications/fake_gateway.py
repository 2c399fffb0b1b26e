"""A fake SMS gateway: an HTTP server on loopback that records what it is sent (tests and demo).

``POST /`` (any path) with the JSON of ``channels.deliver_sms`` → ``200 {"ok": true}`` and the
message is kept; ``GET /messages`` → the JSON list of received messages; ``POST /fail?n=N``
makes the next N sends answer HTTP 503 (to exercise retries); ``POST /reset`` clears both.
Never bind it to anything but loopback: it has no authentication.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse


@dataclass
class GatewayState:
    """Messages received (dicts with ``to``, ``text``, ``id``) and failures still to inject."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    fail_next: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    server: FakeSmsGateway

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _answer(self, status: int, body: Any) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        state = self.server.state
        if urlparse(self.path).path.rstrip("/") == "/messages":
            with state.lock:
                self._answer(200, list(state.messages))
            return
        self._answer(404, {"error": "not found"})

    def do_POST(self) -> None:
        state = self.server.state
        parsed = urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if parsed.path.rstrip("/") == "/fail":
            n = int((parse_qs(parsed.query).get("n") or ["1"])[0])
            with state.lock:
                state.fail_next = max(0, n)
            self._answer(200, {"fail_next": n})
            return
        if parsed.path.rstrip("/") == "/reset":
            with state.lock:
                state.messages.clear()
                state.fail_next = 0
            self._answer(200, {"ok": True})
            return
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            self._answer(400, {"error": "body must be JSON"})
            return
        if not isinstance(body, dict) or not body.get("to") or not body.get("text"):
            self._answer(400, {"error": "to and text are required"})
            return
        with state.lock:
            if state.fail_next > 0:
                state.fail_next -= 1
                self._answer(503, {"error": "injected failure"})
                return
            state.messages.append(body)
        self._answer(200, {"ok": True})


class FakeSmsGateway(ThreadingHTTPServer):
    """The fake gateway server; ``url`` is where to point ``YINGJI_SMS_GATEWAY_URL``."""

    daemon_threads = True

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the fake SMS gateway listens on loopback only")
        super().__init__((host, port), _Handler)
        self.state = GatewayState()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>/send``."""
        host, port = self.server_address[0], self.server_address[1]
        if isinstance(host, bytes):
            host = host.decode()
        return f"http://{host}:{port}/send"

    @property
    def messages(self) -> list[dict[str, Any]]:
        """A copy of the messages received so far."""
        with self.state.lock:
            return list(self.state.messages)

    def fail_next(self, n: int) -> None:
        """Answer HTTP 503 to the next ``n`` sends."""
        with self.state.lock:
            self.state.fail_next = n


@contextmanager
def running_fake_gateway(host: str = "127.0.0.1", port: int = 0) -> Iterator[FakeSmsGateway]:
    """Start a ``FakeSmsGateway`` in a daemon thread for the ``with`` block (port 0 = any free port)."""
    server = FakeSmsGateway(host, port)
    thread = threading.Thread(target=server.serve_forever, name="fake-sms-gateway", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
