"""Benchmark: monitoring runtime end to end — Mosquitto → stored → alarm committed → notification queued.

Plain script (not a test). Own throw-away SQLite database under var/bench/, a real Mosquitto
(Debian package) on a free loopback port, and ``monitoring-ingest`` as a subprocess (exactly
what production runs). A seeded generator publishes readings of P points (QoS 1, one message per
gateway every 100 ms, ``ts`` = publish time) at an offered rate for ``--seconds`` (default 20;
the issue's figure is 60: ``--seconds 60``), then a burst of historic readings as fast as
possible, then the same burst again (a replay must store nothing twice).

Reports: stored readings/s, p50/p99 latency publish → commit (per reading, from the
subscriber's per-commit log), p50/p99 reading → live desk event (``DeskEvent``, queued on
commit for critical alarms), burst throughput and loss (must be 0), replay duplicates.
Writes bench/results/monitoring_runtime.json. The Prometheus + Alertmanager comparison of the
issue is not done here.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "var" / "bench"
DB = BENCH / "monitoring_runtime.sqlite3"
RESULTS = ROOT / "bench" / "results" / "monitoring_runtime.json"

sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "src" / "yingji" / "apps" / "monitoring" / "tests"))
os.environ["DJANGO_SETTINGS_MODULE"] = "yingji.config.settings_test"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ["YINGJI_VAR_DIR"] = str(BENCH / "monitoring_runtime_var")


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of ``values`` (nearest rank); NaN when empty."""
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--points", type=int, default=200)
    ap.add_argument("--rate", type=float, default=1000.0, help="offered readings per second")
    ap.add_argument("--burst", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=652826)
    ns = ap.parse_args()

    BENCH.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(DB) + suffix).unlink(missing_ok=True)
    shutil.rmtree(os.environ["YINGJI_VAR_DIR"], ignore_errors=True)
    Path(os.environ["YINGJI_VAR_DIR"]).mkdir(parents=True)

    import django

    django.setup()
    import paho.mqtt.client as mqtt
    from conftest import start_mosquitto
    from django.core.management import call_command

    from yingji.apps.directory.models import AdministrativeDivision, Organization
    from yingji.apps.monitoring import services
    from yingji.apps.monitoring.models import Alarm, AlarmEvent, Reading
    from yingji.apps.notifications.models import DeskEvent

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - t:.1f} s")
    county = AdministrativeDivision.objects.create(
        code="652826000000", name="焉耆", level="county", edition_year=2023
    )
    gateways = []
    for g in range(10):
        org = Organization.objects.create(name=f"基准企业{g}", kind="enterprise", division=county)
        gateway, _token = services.create_gateway(
            actor=None, code=f"GW-B{g}", name=f"网关{g}", organization=org
        )
        gateways.append((gateway, org))
    codes_by_gateway: dict[str, list[str]] = {gw.code: [] for gw, _ in gateways}
    for i in range(ns.points):
        gateway, org = gateways[i % len(gateways)]
        code = f"B-{i:05d}"
        services.create_point(
            actor=None,
            code=code,
            name=f"测点{i}",
            organization=org,
            quantity="pressure",
            unit="MPa",
            gateway=gateway,
            h=80.0,
            hh=90.0,
            deadband=1.0,
            sampling_period_s=1,
        )
        codes_by_gateway[gateway.code].append(code)

    tmp = Path(tempfile.mkdtemp(prefix="yingji-bench-mqtt-"))
    broker, port = start_mosquitto(tmp)
    stats_file = BENCH / "monitoring_runtime_commits.jsonl"
    stats_file.unlink(missing_ok=True)
    env = dict(os.environ, LOG_LEVEL="WARNING")
    ingest_proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "yingji.apps.monitoring.cli",
            "monitoring-ingest",
            "--port",
            str(port),
            "--client-id",
            "bench-ingest",
            "--batch",
            "1000",
            "--flush-ms",
            "100",
            "--stats",
            str(stats_file),
        ],
        env=env,
        cwd=ROOT,
    )
    pub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-pub")
    pub.max_inflight_messages_set(1000)
    pub.max_queued_messages_set(0)
    pub.connect("127.0.0.1", port)
    pub.loop_start()
    rng = random.Random(ns.seed)

    def value() -> float:
        r = rng.random()
        return 95.0 + rng.random() if r < 0.002 else (85.0 if r < 0.01 else 50.0 + rng.gauss(0, 5))

    # wait for the subscriber (its session must exist before we publish)
    probe_code = codes_by_gateway[gateways[0][0].code][0]
    deadline = time.monotonic() + 90
    k = 0
    while not Reading.objects.exists():
        if time.monotonic() > deadline:
            raise SystemExit("ingest subprocess did not start")
        pub.publish(
            f"yingji/readings/{gateways[0][0].code}",
            json.dumps({"point": probe_code, "ts": 1_000_000 + k, "value": 1}),
            qos=1,
        )
        k += 1
        time.sleep(0.5)
    time.sleep(1.0)

    # ---- live phase: offered rate for --seconds, one message per gateway per 100 ms ----
    per_tick = ns.rate / 10.0
    published = 0
    carry = 0.0
    start = time.time()
    next_tick = start
    infos = []
    cursor = {gw: 0 for gw in codes_by_gateway}
    while time.time() - start < ns.seconds:
        carry += per_tick
        n = int(carry)
        carry -= n
        now = time.time()
        batches: dict[str, list[dict[str, float | str]]] = {gw: [] for gw in codes_by_gateway}
        gws = list(codes_by_gateway)
        for j in range(n):
            gw = gws[j % len(gws)]
            codes = codes_by_gateway[gw]
            code = codes[cursor[gw] % len(codes)]
            cursor[gw] += 1
            batches[gw].append({"point": code, "ts": now + j * 1e-6, "value": round(value(), 3)})
        for gw, readings in batches.items():
            if readings:
                infos.append(pub.publish(f"yingji/readings/{gw}", json.dumps({"readings": readings}), qos=1))
        published += n
        next_tick += 0.1
        time.sleep(max(0.0, next_tick - time.time()))
    live_end = time.time()
    for info in infos:
        info.wait_for_publish(timeout=60)

    def wait_stored(target: int, timeout: float) -> float:
        t0 = time.time()
        while Reading.objects.count() < target and time.time() - t0 < timeout:
            time.sleep(0.2)
        return time.time()

    probes_stored = Reading.objects.filter(ts__lt=datetime.fromtimestamp(1e9, tz=UTC)).count()
    done = wait_stored(published + probes_stored, 300)
    stored_live = Reading.objects.filter(ts__gte=datetime.fromtimestamp(start - 1, tz=UTC)).count()
    commits = [json.loads(line) for line in stats_file.read_text().splitlines() if line.strip()]
    latencies = [c["t"] - ts for c in commits for ts in c["ts"] if ts > 1e9]
    first_commit = min((c["t"] for c in commits if any(ts > 1e9 for ts in c["ts"])), default=start)
    # reading → desk event for critical alarms (queued on commit)
    # (from the reading that raised or escalated the alarm to the desk event it caused)
    raised = Alarm.objects.count()
    desk = []
    for e in DeskEvent.objects.filter(kind="alarm.raised"):
        alarm_id = int(e.url.rstrip("/").rsplit("/", 1)[-1])
        cause = (
            AlarmEvent.objects.filter(
                alarm_id=alarm_id, event__in=["raise", "escalate"], at__lte=e.created_at
            )
            .order_by("-at")
            .first()
        )
        if cause is not None:
            desk.append(e.created_at.timestamp() - cause.at.timestamp())

    # ---- burst: historic readings as fast as possible, then the same burst again ----
    base = 1_600_000_000.0
    burst_msgs = []
    gws = list(codes_by_gateway)
    chunk = 500
    for s in range(0, ns.burst, chunk):
        gw = gws[(s // chunk) % len(gws)]
        codes = codes_by_gateway[gw]
        burst_msgs.append(
            (
                gw,
                [
                    {"point": codes[(s + j) % len(codes)], "ts": base + s + j, "value": 50.0}
                    for j in range(min(chunk, ns.burst - s))
                ],
            )
        )
    before = Reading.objects.count()
    t0 = time.time()
    infos = [pub.publish(f"yingji/readings/{gw}", json.dumps({"readings": r}), qos=1) for gw, r in burst_msgs]
    for info in infos:
        info.wait_for_publish(timeout=120)
    t_done = wait_stored(before + ns.burst, 600)
    burst_stored = Reading.objects.count() - before
    burst_s = t_done - t0
    # replay of the same burst: every reading is a duplicate
    size_before_replay = Reading.objects.count()
    infos = [pub.publish(f"yingji/readings/{gw}", json.dumps({"readings": r}), qos=1) for gw, r in burst_msgs]
    for info in infos:
        info.wait_for_publish(timeout=120)
    time.sleep(3.0)
    t_replay = time.time()
    prev = -1
    while True:  # wait until the subscriber is idle (commit log stops growing)
        n_lines = len(stats_file.read_text().splitlines())
        if n_lines == prev:
            break
        prev = n_lines
        time.sleep(2.0)
    replay_new_rows = Reading.objects.count() - size_before_replay

    ingest_proc.send_signal(signal.SIGTERM)
    ingest_proc.wait(timeout=60)
    pub.loop_stop()
    pub.disconnect()
    broker.terminate()
    broker.wait(timeout=10)
    shutil.rmtree(tmp, ignore_errors=True)

    live_span = max(done, first_commit) - first_commit if latencies else float("nan")
    result = {
        "machine": f"{platform.machine()} {os.cpu_count()} cpu, Python {platform.python_version()}, SQLite",
        "points": ns.points,
        "seconds": ns.seconds,
        "offered_readings_per_s": ns.rate,
        "published": published,
        "stored": stored_live,
        "lost": published - stored_live,
        "stored_readings_per_s": round(stored_live / max(done - start, 1e-9), 1),
        "drain_after_publish_end_s": round(done - live_end, 2),
        "latency_publish_to_commit_ms": {
            "p50": round(pct(latencies, 0.5) * 1000, 1),
            "p99": round(pct(latencies, 0.99) * 1000, 1),
            "max": round(max(latencies, default=float("nan")) * 1000, 1),
        },
        "alarms_opened": raised,
        "desk_events": len(desk),
        "latency_reading_to_desk_event_ms": {
            "p50": round(pct(desk, 0.5) * 1000, 1),
            "p99": round(pct(desk, 0.99) * 1000, 1),
        },
        "burst": {
            "readings": ns.burst,
            "stored": burst_stored,
            "lost": ns.burst - burst_stored,
            "seconds": round(burst_s, 2),
            "readings_per_s": round(burst_stored / max(burst_s, 1e-9), 1),
        },
        "replay": {
            "readings": ns.burst,
            "new_rows": replay_new_rows,
            "seconds_to_idle": round(time.time() - t_replay, 1),
        },
        "live_span_s": round(live_span, 2),
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
