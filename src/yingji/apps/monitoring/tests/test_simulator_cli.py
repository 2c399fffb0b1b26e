"""``yingji simulate --mqtt``: a broker that goes away is waited for (and published to again once
it is back), and Ctrl-C / SIGTERM end the simulator quietly with exit code 0 (``make run``
stops Mosquitto and the simulator together)."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from yingji.apps.monitoring.cli import publish_until_acknowledged
from yingji.apps.monitoring.tests.conftest import MOSQUITTO, start_mosquitto
from yingji.apps.monitoring.tests.test_reliability import ROOT, YINGJI, _env

SIMULATE = [sys.executable, "-m", "yingji.apps.monitoring.cli", "simulate", "--seconds", "0"]
SEED = """
import django; django.setup()
from yingji.apps.directory.models import AdministrativeDivision, Organization
from yingji.apps.monitoring import services
county = AdministrativeDivision.objects.create(
    code="652826000000", name="焉耆", level="county", edition_year=2023
)
org = Organization.objects.create(name="模拟测试企业", kind="enterprise", division=county)
services.create_point(actor=None, code="SIM-1", name="温度", organization=org, quantity="temperature",
                      h=80.0, hh=90.0, sampling_period_s=1, is_demo=True)
"""


def _received(port: int, seconds: float) -> int:
    """Messages seen on ``yingji/readings/#`` until the first one or ``seconds``."""
    got = threading.Event()
    sub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    sub.on_message = lambda _c, _u, _msg: got.set()
    sub.connect("127.0.0.1", port)
    sub.subscribe("yingji/readings/#", qos=1)
    sub.loop_start()
    got.wait(seconds)
    sub.loop_stop()
    sub.disconnect()
    return int(got.is_set())


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


def test_publish_gives_up_quietly_when_stopped_while_the_broker_is_away():
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)  # never connected
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    batch = {"GW": [{"point": "P", "ts": 1.0, "value": 1.0}]}
    assert publish_until_acknowledged(client, "yingji/readings", batch, stop=stop) is False


def test_simulator_survives_a_broker_restart_and_exits_0_on_sigint(tmp_path: Path):
    if not Path(MOSQUITTO).exists():
        pytest.skip("mosquitto is not installed (apt-get install mosquitto)")
    env = _env(tmp_path)
    subprocess.run([YINGJI, "migrate", "-v0"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run([sys.executable, "-c", SEED], env=env, cwd=ROOT, check=True, capture_output=True)
    broker, port = start_mosquitto(tmp_path)
    sim = subprocess.Popen(
        [*SIMULATE, "--no-outages", "--mqtt", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert _received(port, 5.0) == 1
        broker.terminate()  # Mosquitto stops first, as under `make run`'s Ctrl-C
        broker.wait(timeout=5)
        time.sleep(2.0)
        assert sim.poll() is None, sim.communicate()
        broker = subprocess.Popen(
            [MOSQUITTO, "-c", str(tmp_path / "mosquitto.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not _listening(port) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _received(port, 10.0) == 1  # reconnected (paho backs off up to 5 s) and publishing
        broker.terminate()
        broker.wait(timeout=5)
        sim.send_signal(signal.SIGINT)
        out, err = sim.communicate(timeout=20)
    finally:
        if sim.poll() is None:
            sim.kill()
        if broker.poll() is None:
            broker.kill()
    assert sim.returncode == 0, err.decode()
    assert b"Traceback" not in err and b"simulated" in out
