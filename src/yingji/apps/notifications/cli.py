"""``yingji fake-sms-gateway [--port N]``: the loopback fake SMS gateway (tests and demo)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from yingji.apps.notifications.fake_gateway import FakeSmsGateway


def register(sub: Any) -> None:
    """Add the ``fake-sms-gateway`` command."""
    cmd = sub.add_parser("fake-sms-gateway", help="run a fake SMS gateway on 127.0.0.1 (tests, demo)")
    cmd.add_argument("--port", type=int, default=8025, help="port on 127.0.0.1 (0 = any free port)")
    cmd.set_defaults(handler=_run)


def _run(ns: argparse.Namespace) -> int:
    if not 0 <= ns.port <= 65535:
        sys.stderr.write(f"yingji fake-sms-gateway: error: port must be 0..65535, got {ns.port}\n")
        return 2
    server = FakeSmsGateway("127.0.0.1", ns.port)
    print(f"fake SMS gateway: set YINGJI_SMS_GATEWAY_URL={server.url} (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
