"""``yingji serve``: the web server, the Huey worker and the live demo feed together; Ctrl-C stops all.

Essential processes: ``runserver`` and ``run_huey``; if one exits, everything stops.
Auxiliary processes (``--no-simulator`` turns them off): a Mosquitto broker on a loopback
port (when Debian's ``mosquitto`` is installed) with the MQTT ingest subscriber, and the
monitoring simulator publishing realistic readings for the demo points (in-process
writes when Mosquitto is absent). An auxiliary process that exits is reported, not fatal.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web server, the Huey worker and the demo monitoring feed together (Ctrl-C stops all)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000", help="address:port for the web server")
        parser.add_argument("--mqtt-port", type=int, default=18830, help="loopback port of the MQTT broker")
        parser.add_argument("--no-simulator", action="store_true", help="no broker, ingest or simulator")

    def handle(self, *args: Any, **options: Any) -> None:
        yingji = [sys.executable, "-m", "yingji.cli"]
        essential = [
            subprocess.Popen([*yingji, "runserver", options["addr"], "--noreload"]),  # noqa: S603
            subprocess.Popen([*yingji, "run_huey"]),  # noqa: S603
        ]
        auxiliary: list[subprocess.Popen[bytes]] = []
        workdir = tempfile.TemporaryDirectory(prefix="yingji-serve-")
        if not options["no_simulator"]:
            auxiliary = self._start_feed(yingji, options["mqtt_port"], Path(workdir.name))
        self.stdout.write(f"yingji: web on http://{options['addr']}/, Huey worker started; Ctrl-C stops all")
        procs = essential + auxiliary

        def stop(*_: Any) -> None:
            for p in reversed(procs):
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
        reported: set[int] = set()
        try:
            while all(p.poll() is None for p in essential):
                for p in auxiliary:
                    if p.poll() is not None and p.pid not in reported:
                        reported.add(p.pid)
                        self.stderr.write(f"yingji: auxiliary process {p.args!r} exited ({p.returncode})")
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            workdir.cleanup()
        self.stdout.write(f"yingji: stopped (exit codes {[p.returncode for p in essential]})")

    def _start_feed(self, yingji: list[str], port: int, workdir: Path) -> list[subprocess.Popen[bytes]]:
        broker = shutil.which("mosquitto") or (
            "/usr/sbin/mosquitto" if Path("/usr/sbin/mosquitto").exists() else ""
        )
        if not broker:
            self.stdout.write("yingji: mosquitto not installed; the simulator writes readings in-process")
            return [subprocess.Popen([*yingji, "simulate", "--seconds", "0"])]  # noqa: S603
        conf = workdir / "mosquitto.conf"
        conf.write_text(
            f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
            "max_inflight_messages 1000\nmax_queued_messages 200000\n",
            encoding="utf-8",
        )
        procs = [subprocess.Popen([broker, "-c", str(conf)])]  # noqa: S603
        time.sleep(0.5)
        procs.append(subprocess.Popen([*yingji, "monitoring-ingest", "--port", str(port)]))  # noqa: S603
        procs.append(subprocess.Popen([*yingji, "simulate", "--seconds", "0", "--mqtt", f"127.0.0.1:{port}"]))  # noqa: S603
        self.stdout.write(f"yingji: MQTT broker on 127.0.0.1:{port}, ingest and demo simulator started")
        return procs
