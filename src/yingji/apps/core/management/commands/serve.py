"""``yingji serve``: the web server and the Huey worker together; Ctrl-C stops both."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web server and the Huey worker together (Ctrl-C stops both)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000", help="address:port for the web server")

    def handle(self, *args: Any, **options: Any) -> None:
        python = sys.executable
        procs = [
            subprocess.Popen([python, "-m", "yingji.cli", "runserver", options["addr"], "--noreload"]),  # noqa: S603
            subprocess.Popen([python, "-m", "yingji.cli", "run_huey"]),  # noqa: S603
        ]
        self.stdout.write(
            f"yingji: web on http://{options['addr']}/ and Huey worker started; Ctrl-C stops both"
        )

        def stop(*_: Any) -> None:
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGINT)
            deadline = time.monotonic() + 10
            for p in procs:
                try:
                    p.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    p.kill()

        def on_term(*_: Any) -> None:
            stop()
            sys.exit(0)

        signal.signal(signal.SIGTERM, on_term)
        try:
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
        codes = [p.returncode for p in procs]
        self.stdout.write(f"yingji: stopped (exit codes {codes})")
