"""``yingji fake_sms_gateway [--port 8025]``: run the loopback fake SMS gateway (tests and demo)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yingji.apps.notifications.fake_gateway import FakeSmsGateway


class Command(BaseCommand):
    help = "Run a fake SMS gateway on 127.0.0.1 that records messages (GET /messages lists them)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8025, help="port on 127.0.0.1 (0 = any free port)")

    def handle(self, *args: Any, **options: Any) -> None:
        server = FakeSmsGateway("127.0.0.1", options["port"])
        self.stdout.write(f"fake SMS gateway: set YINGJI_SMS_GATEWAY_URL={server.url} (Ctrl-C stops)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
