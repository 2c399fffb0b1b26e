"""A fake operator gateway on loopback, standing in for SMS/broadcast/loudspeaker operators in tests
and the demo (never used in production). Also serves static files (sample feeds and CAP messages)
and accepts webhook POSTs, recording what it receives.

Contract: see ``channels.GatewayAdapter``. Addresses in ``fail_once`` fail on their first attempt
and are delivered on the next; addresses in ``fail_always`` always fail.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class GatewayLog:
    """What the gateway has seen: batches per channel, webhook bodies, attempts per address."""

    batches: list[dict[str, Any]] = field(default_factory=list)
    webhooks: list[tuple[str, bytes]] = field(default_factory=list)
    attempts: dict[str, int] = field(default_factory=dict)


class FakeGateway:
    """``with FakeGateway() as gw: gw.url`` — a threaded HTTP server on 127.0.0.1 (port 0 = any)."""

    def __init__(
        self,
        *,
        port: int = 0,
        fail_once: set[str] | None = None,
        fail_always: set[str] | None = None,
        files: dict[str, tuple[bytes, str]] | None = None,
    ) -> None:
        self.fail_once = set(fail_once or ())
        self.fail_always = set(fail_always or ())
        self.files = dict(files or {})
        self.log = GatewayLog()
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def _reply(self, status: int, body: bytes, content_type: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                item = gateway.files.get(self.path)
                if item is None:
                    self._reply(404, b"not found", "text/plain")
                else:
                    self._reply(200, item[0], item[1])

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                data = self.rfile.read(length)
                channel = self.path.strip("/")
                if channel not in ("sms", "broadcast", "loudspeaker"):
                    with gateway.lock:
                        gateway.log.webhooks.append((self.path, data))
                    self._reply(200, b"{}")
                    return
                try:
                    payload = json.loads(data)
                except ValueError:
                    self._reply(400, b'{"error": "bad json"}')
                    return
                self._reply(200, json.dumps({"results": gateway.results(payload)}).encode())

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def results(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        """Outcome per message of one batch (see module docstring)."""
        out = []
        with self.lock:
            self.log.batches.append(payload)
            for m in payload.get("messages", []):
                to = str(m.get("to", ""))
                n = self.log.attempts.get(to, 0) + 1
                self.log.attempts[to] = n
                failed = to in self.fail_always or (to in self.fail_once and n == 1)
                out.append(
                    {
                        "id": m.get("id"),
                        "status": "failed" if failed else "delivered",
                        "error": "operator: handset unreachable" if failed else "",
                        "ref": f"fake-{payload.get('channel')}-{m.get('id')}-{n}",
                    }
                )
        return out

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:40123``."""
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeGateway:
        """Start serving in a daemon thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FakeGateway:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
