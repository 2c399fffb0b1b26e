"""Reliability: kill -9 of the ingest process mid-stream loses no reading and duplicates no alarm;
two threads ingesting the same point never open two alarms.

The kill test runs ``yingji monitoring-ingest`` as a subprocess on its own SQLite file (a
subprocess cannot see the in-memory test database) against a real Mosquitto, and compares the
stored alarm timeline with the pure engine's replay of the same readings.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from django.db import connection

from yingji.apps.monitoring import ingest
from yingji.apps.monitoring.models import Alarm, AlarmEvent, Reading
from yingji.apps.monitoring.tests.factories import T0, make_point
from yingji.engines.monitoring import MonitorState, PointConfig, process_rows

ROOT = Path(__file__).resolve().parents[5]
YINGJI = str(Path(sys.executable).with_name("yingji"))
N = 3000
CONFIG = {"h": 80.0, "hh": 90.0, "deadband": 1.0, "on_delay_s": 2.0}
SEED_SCRIPT = """
import django; django.setup()
from yingji.apps.directory.models import AdministrativeDivision, Organization
from yingji.apps.monitoring import services
county = AdministrativeDivision.objects.create(
    code="652826000000", name="焉耆", level="county", edition_year=2023
)
org = Organization.objects.create(name="可靠性测试企业", kind="enterprise", division=county)
services.create_point(
    actor=None, code="REL-1", name="温度", organization=org, quantity="temperature", **CONFIG
)
services.create_point(actor=None, code="PROBE", name="探针", organization=org, quantity="other")
"""


def _value(i: int) -> float:
    """A sawtooth crossing H and HH every 40 readings (raise, escalate, deescalate, clear)."""
    return 60.0 + (i % 40) * 1.0


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="yingji.config.settings",
        YINGJI_VAR_DIR=str(tmp),
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        SECRET_KEY="reliability-test",
        HUEY_IMMEDIATE="true",
        LOG_LEVEL="WARNING",
    )
    return env


def _count(db: Path, sql: str) -> int:
    con = sqlite3.connect(db, timeout=10)
    try:
        return int(con.execute(sql).fetchone()[0])
    finally:
        con.close()


def test_kill_minus_9_mid_stream_loses_nothing_and_duplicates_nothing(mosquitto, tmp_path):
    env = _env(tmp_path)
    db = tmp_path / "db.sqlite3"
    subprocess.run([YINGJI, "migrate", "-v0"], env=env, cwd=ROOT, check=True, capture_output=True)
    script = SEED_SCRIPT.replace("**CONFIG", "**" + repr(CONFIG))
    subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True, capture_output=True)
    args = [
        sys.executable,
        "-m",
        "yingji.apps.monitoring.cli",
        "monitoring-ingest",
        "--port",
        str(mosquitto),
        "--client-id",
        "rel-ingest",
        "--batch",
        "50",
        "--flush-ms",
        "50",
    ]
    first = subprocess.Popen(
        [*args, "--max-seconds", "120"], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    pub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="rel-pub")
    pub.connect("127.0.0.1", mosquitto)
    pub.loop_start()
    # wait until the subscriber's session exists (a probe reading gets stored)
    deadline = time.monotonic() + 60
    k = 0
    while _count(db, "select count(*) from monitoring_reading") == 0:
        assert time.monotonic() < deadline, "ingest process did not start"
        pub.publish(
            "yingji/readings/probe", json.dumps({"point": "PROBE", "ts": T0 - 10_000 + k, "value": 0}), qos=1
        )
        k += 1
        time.sleep(0.5)
    probes = k
    infos = []
    killed_at = None
    for i in range(N):
        body = {"point": "REL-1", "ts": T0 + i, "value": _value(i)}
        infos.append(pub.publish("yingji/readings/gw", json.dumps(body), qos=1))
        if i % 100 == 99:
            time.sleep(0.1)
            if killed_at is None and _count(db, "select count(*) from monitoring_reading") >= 300 + probes:
                first.send_signal(signal.SIGKILL)  # kill -9 while messages keep arriving
                first.wait()
                killed_at = _count(db, "select count(*) from monitoring_reading")
    for info in infos:
        info.wait_for_publish(timeout=30)
    pub.loop_stop()
    pub.disconnect()
    assert killed_at is not None and killed_at < N, "the ingest process was not killed mid-stream"
    # restart with the same client id: the broker redelivers what was never acknowledged
    second = subprocess.run(
        [*args, "--idle-exit", "3", "--max-seconds", "180"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert second.returncode == 0, second.stdout + second.stderr
    rel = (
        "from monitoring_reading r join monitoring_monitoringpoint p on p.id = r.point_id"
        " where p.code = 'REL-1'"
    )
    assert _count(db, f"select count(*) {rel}") == N
    assert _count(db, f"select count(distinct r.ts) {rel}") == N
    # the stored alarm timeline equals the pure engine's replay: nothing lost, nothing twice
    cfg = PointConfig.from_dict(CONFIG)
    _, expected = process_rows(
        MonitorState.new({"REL-1": cfg}), [(T0 + i, "REL-1", _value(i)) for i in range(N)]
    )
    con = sqlite3.connect(db)
    stored = con.execute(
        "select e.event, e.from_level, e.to_level from monitoring_alarmevent e"
        " join monitoring_monitoringpoint p on p.id = e.point_id where p.code = 'REL-1' order by e.at, e.id"
    ).fetchall()
    alarms = con.execute("select kind, occurrences, state from monitoring_alarm").fetchall()
    con.close()
    assert stored == [(e.event, e.from_level or "", e.to_level or "") for e in expected]
    raises = sum(e.event == "raise" for e in expected)
    assert alarms == [("limit", raises, "raised")]


@pytest.mark.django_db(transaction=True)
def test_two_threads_ingesting_the_same_point_open_one_alarm():
    point = make_point(h=80.0, hh=90.0)
    rows = [ingest.RawReading(point.code, T0 + i, _value(i)) for i in range(400)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        try:
            barrier.wait()
            for k in range(0, len(rows), 20):
                ingest.ingest_readings(rows[k : k + 20])
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert Reading.objects.filter(point=point).count() == 400
    assert Alarm.objects.filter(point=point).count() == 1
    cfg = point.engine_config()
    _, expected = process_rows(MonitorState.new({point.code: cfg}), [(r.ts, r.point, r.value) for r in rows])
    got = list(AlarmEvent.objects.filter(point=point).order_by("at", "id").values_list("event", flat=True))
    assert got == [e.event for e in expected]
