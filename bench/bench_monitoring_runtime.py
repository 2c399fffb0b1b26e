"""End-to-end monitoring benchmark: Mosquitto → stored → alarm committed → notification queued.

Plain script (not a test). Own throw-away SQLite database under var/bench/, a real Mosquitto
(Debian package) on a free loopback port, and ``monitoring-ingest`` as a subprocess (exactly
what production runs, default flush policy). Every process shares this machine's cores.

Plant (seeded): ``--points`` points (default 2,000) over ``--gateways`` gateways (default 50);
one point in 50 is a fire-alarm point. Limits H 80 / HH 90, deadband 1. Values are normal
(50 ± 5) except for *excursions*: ``--excursions`` per second plant-wide (default 5, i.e. each
point every ~400 s; an alarm flood by ISA-18.2 standards) put a point above H for 5 samples,
one in five above HH; each gives raise, (escalate, deescalate,) clear.

Phases:

1. **Live** for ``--seconds`` (default 60): every ``--interval`` (100 ms) each gateway publishes
   one QoS 1 message carrying the readings its points sampled in that interval, ``ts`` = the
   scheduled publish time; ``--rate`` readings/s offered in total (default 20,000, i.e. 10 Hz
   per point at 2,000 points). The payloads are encoded before the clock starts (real gateways
   are other machines), so the publisher only sends.
2. **Burst replay** (gateway reconnect): all gateways lose the link for ``--outage`` seconds
   (default 10) and on reconnect publish the readings buffered meanwhile (outage × rate =
   10 × the per-second rate, 200,000 readings by default) as fast as they can, 500 per message.
   Every one must be stored (lost = 0).
3. **Duplicate replay**: the gateways publish the same buffer again (no PUBACK seen before a
   second drop); nothing new may be stored and no alarm event written twice.

Reports (bench/results/monitoring_runtime.json): offered/published/stored readings/s, lost,
p50/p99/max latency publish → commit (each reading's ``ts`` is its scheduled publish time, so a
publisher falling behind counts against us), alarm events and p50/p99 reading → duty-desk
event (``DeskEvent``, queued on commit for fire and critical alarms = the notification), burst
throughput and loss, replay new rows, and CPU seconds of the ingest process and the broker
during the live phase, with the load average. ``--quick`` runs a short smoke version.
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
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "var" / "bench"
DB = BENCH / "monitoring_runtime.sqlite3"
RESULTS = ROOT / "bench" / "results" / "monitoring_runtime.json"

sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "src" / "yingji" / "apps" / "monitoring" / "tests"))
os.environ["DJANGO_SETTINGS_MODULE"] = "yingji.config.settings_test"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ["YINGJI_VAR_DIR"] = str(BENCH / "monitoring_runtime_var")

TOPIC = "yingji/readings"
CLK = os.sysconf("SC_CLK_TCK")


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of ``values`` (nearest rank); NaN when empty."""
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a live process (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK


class Plant:
    """Seeded reading generator: round-robin sampling per gateway, excursions above H/HH."""

    def __init__(self, codes_by_gateway: dict[str, list[str]], rate: float, excursions: float, seed: int):
        self.codes = codes_by_gateway
        self.gws = list(codes_by_gateway)
        self.rng = random.Random(seed)
        self.p_excursion = excursions / rate
        self.active: dict[str, tuple[int, float]] = {}  # code → (samples left, value)
        self.cursor = dict.fromkeys(self.gws, 0)

    def value(self, code: str) -> float:
        rng = self.rng
        left = self.active.get(code)
        if left is None and rng.random() < self.p_excursion:
            left = (5, 95.0 if rng.random() < 0.2 else 85.0)
        if left is not None:
            n, v = left
            if n <= 1:
                del self.active[code]
            else:
                self.active[code] = (n - 1, v)
            return v
        return round(50.0 + rng.gauss(0, 5), 3)

    def tick(self, n: int, ts: float) -> dict[str, list[dict[str, Any]]]:
        """``n`` readings stamped ``ts`` (+1 µs steps), grouped per gateway."""
        out: dict[str, list[dict[str, Any]]] = {}
        gws = self.gws
        for j in range(n):
            gw = gws[j % len(gws)]
            codes = self.codes[gw]
            code = codes[self.cursor[gw] % len(codes)]
            self.cursor[gw] += 1
            out.setdefault(gw, []).append({"point": code, "ts": ts + j * 1e-6, "value": self.value(code)})
        return out


def setup_plant(points: int, gateways: int) -> dict[str, list[str]]:
    """Gateways, enterprises and points (bulk-created: setup only, not what is measured)."""
    from yingji.apps.directory.models import AdministrativeDivision, Organization
    from yingji.apps.monitoring import services
    from yingji.apps.monitoring.models import MonitoringPoint, PointState

    county = AdministrativeDivision.objects.create(
        code="652826000000", name="焉耆", level="county", edition_year=2023
    )
    gws = []
    for g in range(gateways):
        org = Organization.objects.create(name=f"基准企业{g}", kind="enterprise", division=county)
        gateway, _token = services.create_gateway(
            actor=None, code=f"GW-B{g:02d}", name=f"网关{g}", organization=org
        )
        gws.append((gateway, org))
    rows = []
    for i in range(points):
        gateway, org = gws[i % gateways]
        fire = i % 50 == 7
        rows.append(
            MonitoringPoint(
                code=f"B-{i:05d}",
                name=f"测点{i}",
                organization=org,
                gateway=gateway,
                quantity="fire" if fire else "pressure",
                unit="" if fire else "MPa",
                h=80.0,
                hh=90.0,
                deadband=1.0,
                sampling_period_s=1,
            )
        )
    MonitoringPoint.objects.bulk_create(rows, batch_size=500)
    created = list(MonitoringPoint.objects.order_by("id"))
    PointState.objects.bulk_create([PointState(point=p) for p in created], batch_size=500)
    by_gw: dict[str, list[str]] = {gw.code: [] for gw, _ in gws}
    code_of = {gw.pk: gw.code for gw, _ in gws}
    for p in created:
        by_gw[code_of[p.gateway_id]].append(p.code)
    return by_gw


def main() -> int:
    ap = argparse.ArgumentParser(
        description=(__doc__ or "").splitlines()[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    ap.add_argument("--seconds", type=float, default=60.0, help="live phase length")
    ap.add_argument("--rate", type=float, default=20_000.0, help="offered readings per second")
    ap.add_argument("--points", type=int, default=2000, help="monitoring points")
    ap.add_argument("--gateways", type=int, default=50, help="gateways sharing the points")
    ap.add_argument("--interval", type=float, default=0.1, help="gateway publish interval, seconds")
    ap.add_argument("--excursions", type=float, default=5.0, help="excursions above H per second, plant-wide")
    ap.add_argument("--outage", type=float, default=10.0, help="seconds of readings replayed on reconnect")
    ap.add_argument("--seed", type=int, default=652826, help="random seed of the plant and readings")
    ap.add_argument("--quick", action="store_true", help="smoke run: 10 s at 2,000/s, 2 s outage")
    ns = ap.parse_args()
    if ns.quick:
        ns.seconds, ns.rate, ns.outage = 10.0, 2000.0, 2.0

    load_start = os.getloadavg()
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

    from yingji.apps.monitoring.models import Alarm, AlarmEvent, Reading
    from yingji.apps.notifications.models import DeskEvent

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    codes_by_gateway = setup_plant(ns.points, ns.gateways)
    print(f"setup: {time.perf_counter() - t:.1f} s", flush=True)

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
            "--stats",
            str(stats_file),
            *(["--flush-ms", os.environ["BENCH_FLUSH_MS"]] if os.environ.get("BENCH_FLUSH_MS") else []),
        ],
        env=env,
        cwd=ROOT,
    )
    pub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-pub")
    pub.max_inflight_messages_set(1000)
    pub.max_queued_messages_set(0)
    pub.connect("127.0.0.1", port)
    pub.loop_start()
    plant = Plant(codes_by_gateway, ns.rate, ns.excursions, ns.seed)

    def count(since: float, until: float) -> int:
        lo, hi = datetime.fromtimestamp(since, tz=UTC), datetime.fromtimestamp(until, tz=UTC)
        return Reading.objects.filter(ts__gte=lo, ts__lt=hi).count()

    def wait_count(since: float, until: float, target: int, timeout: float) -> float:
        t0 = time.time()
        while count(since, until) < target and time.time() - t0 < timeout:
            time.sleep(0.25)
        return time.time()

    # wait for the subscriber (its session must exist before we publish)
    gw0 = next(iter(codes_by_gateway))
    probe = codes_by_gateway[gw0][0]
    deadline = time.monotonic() + 90
    k = 0
    while not Reading.objects.exists():
        if time.monotonic() > deadline:
            raise SystemExit("ingest subprocess did not start")
        body = json.dumps({"point": probe, "ts": 1_000_000.0 + k, "value": 1.0})
        pub.publish(f"{TOPIC}/{gw0}", body, qos=1)
        k += 1
        time.sleep(0.5)
    time.sleep(1.0)

    # ---- 1. live: offered rate for --seconds, one message per gateway per interval ----
    # The payloads are generated before the clock starts (gateways are other machines: their
    # JSON encoding is not this system's work); each reading's ts is its scheduled publish time.
    per_tick = ns.rate * ns.interval
    ticks = round(ns.seconds / ns.interval)
    t = time.perf_counter()
    Plant(codes_by_gateway, ns.rate, ns.excursions, 0).tick(int(per_tick) * 20, 0.0)
    lead = (time.perf_counter() - t) / 20 * ticks * 1.5 + 2.0
    start = time.time() + lead
    schedule: list[list[tuple[str, str]]] = []
    published, carry = 0, 0.0
    for i in range(ticks):
        carry += per_tick
        n = int(carry)
        carry -= n
        batch = plant.tick(n, start + i * ns.interval)
        schedule.append([(f"{TOPIC}/{gw}", json.dumps({"readings": r})) for gw, r in batch.items()])
        published += n
    late = time.time() - start
    if late > 0:
        print(f"warning: payloads ready {late:.1f} s after the scheduled start (counts as latency)")
    time.sleep(max(0.0, start - time.time()))
    cpu0 = (cpu_seconds(ingest_proc.pid), cpu_seconds(broker.pid), time.process_time())
    load0 = os.getloadavg()
    infos = []
    behind = 0.0
    for i, messages in enumerate(schedule):
        for topic, body in messages:
            infos.append(pub.publish(topic, body, qos=1))
        lag = time.time() - (start + (i + 1) * ns.interval)
        behind = max(behind, lag)
        if lag < 0:
            time.sleep(-lag)
    del schedule
    live_end = start + ticks * ns.interval
    publish_end = time.time()
    for info in infos:
        info.wait_for_publish(timeout=120)
    done = wait_count(start - 1e-3, live_end, published, 300)
    cpu1 = (cpu_seconds(ingest_proc.pid), cpu_seconds(broker.pid), time.process_time())
    load1 = os.getloadavg()
    stored_live = count(start - 1e-3, live_end)
    events_live = AlarmEvent.objects.count()

    # ---- 2. burst: the outage's readings, published at once on reconnect ----
    outage_start = live_end
    outage_ticks = round(ns.outage / ns.interval)
    outage_end = outage_start + outage_ticks * ns.interval
    burst_msgs: list[tuple[str, str]] = []
    buffered: dict[str, list[dict[str, Any]]] = {gw: [] for gw in codes_by_gateway}
    carry = 0.0
    for i in range(outage_ticks):
        carry += per_tick
        n = int(carry)
        carry -= n
        for gw, readings in plant.tick(n, outage_start + i * ns.interval).items():
            buffered[gw].extend(readings)
    for gw, readings in buffered.items():
        for i in range(0, len(readings), 500):
            burst_msgs.append((gw, json.dumps({"readings": readings[i : i + 500]})))
    burst_n = sum(len(r) for r in buffered.values())
    time.sleep(max(0.0, outage_end - time.time()))  # the link is down until the outage is over
    t0 = time.time()
    infos = [pub.publish(f"{TOPIC}/{gw}", body, qos=1) for gw, body in burst_msgs]
    for info in infos:
        info.wait_for_publish(timeout=300)
    burst_done = wait_count(outage_start, outage_end, burst_n, 600)
    burst_stored = count(outage_start, outage_end)
    burst_s = burst_done - t0

    # ---- 3. the same buffer again: nothing new ----
    rows_before, events_before = Reading.objects.count(), AlarmEvent.objects.count()
    t_replay = time.time()
    infos = [pub.publish(f"{TOPIC}/{gw}", body, qos=1) for gw, body in burst_msgs]
    for info in infos:
        info.wait_for_publish(timeout=300)
    prev = -1
    while True:  # wait until the subscriber is idle (its commit log stops growing)
        time.sleep(1.0)
        size = stats_file.stat().st_size
        if size == prev:
            break
        prev = size
    replay_s = time.time() - t_replay - 1.0
    replay_new_rows = Reading.objects.count() - rows_before
    replay_new_events = AlarmEvent.objects.count() - events_before

    ingest_proc.send_signal(signal.SIGTERM)
    ingest_proc.wait(timeout=60)
    pub.loop_stop()
    pub.disconnect()
    broker.terminate()
    broker.wait(timeout=10)
    shutil.rmtree(tmp, ignore_errors=True)

    # ---- latencies ----
    latencies: list[float] = []
    for line in stats_file.read_text().splitlines():
        c = json.loads(line)
        if start - 1e-3 <= c["first_ts"] and c["last_ts"] < live_end:
            latencies.extend(ms / 1000 for ms in c["lat_ms"])
    desk = []
    first_events = {}
    for alarm_id, at in AlarmEvent.objects.filter(event__in=["raise", "escalate"]).values_list(
        "alarm_id", "at"
    ):
        first_events.setdefault(alarm_id, []).append(at)
    for e in DeskEvent.objects.filter(kind="alarm.raised"):
        alarm_id = int(e.url.rstrip("/").rsplit("/", 1)[-1])
        causes = [at for at in first_events.get(alarm_id, []) if at <= e.created_at]
        if causes and start <= max(causes).timestamp() < live_end:
            desk.append(e.created_at.timestamp() - max(causes).timestamp())

    live_s = done - start
    ingest_cpu = cpu1[0] - cpu0[0]
    result = {
        "machine": f"{platform.machine()} {os.cpu_count()} cpu, Python {platform.python_version()}, SQLite",
        "load_average_1m": {
            "bench_start": round(load_start[0], 2),
            "live_start": round(load0[0], 2),
            "live_end": round(load1[0], 2),
        },
        "points": ns.points,
        "gateways": ns.gateways,
        "seconds": ns.seconds,
        "offered_readings_per_s": ns.rate,
        "published": published,
        "publisher_max_lag_s": round(behind, 3),
        "published_readings_per_s": round(published / max(publish_end - start, 1e-9), 1),
        "stored": stored_live,
        "lost": published - stored_live,
        "stored_readings_per_s": round(stored_live / max(live_s, 1e-9), 1),
        "drain_after_publish_end_s": round(done - publish_end, 2),
        "latency_publish_to_commit_ms": {
            "p50": round(pct(latencies, 0.5) * 1000, 1),
            "p99": round(pct(latencies, 0.99) * 1000, 1),
            "max": round(max(latencies, default=float("nan")) * 1000, 1),
        },
        "alarm_events": events_live,
        "alarms": Alarm.objects.count(),
        "desk_events": len(desk),
        "latency_reading_to_desk_event_ms": {
            "p50": round(pct(desk, 0.5) * 1000, 1),
            "p99": round(pct(desk, 0.99) * 1000, 1),
            "max": round(max(desk, default=float("nan")) * 1000, 1),
        },
        "ingest_cpu_s": round(ingest_cpu, 2),
        "ingest_cpu_us_per_reading": round(ingest_cpu / max(stored_live, 1) * 1e6, 1),
        "broker_busy_s": round(cpu1[1] - cpu0[1], 2),
        "publisher_busy_s": round(cpu1[2] - cpu0[2], 2),
        "burst": {
            "outage_s": ns.outage,
            "readings": burst_n,
            "messages": len(burst_msgs),
            "stored": burst_stored,
            "lost": burst_n - burst_stored,
            "seconds": round(burst_s, 2),
            "readings_per_s": round(burst_stored / max(burst_s, 1e-9), 1),
        },
        "replay": {
            "readings": burst_n,
            "new_rows": replay_new_rows,
            "new_alarm_events": replay_new_events,
            "seconds": round(replay_s, 1),
        },
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if not ns.quick:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    ok = result["lost"] == 0 and burst_n == burst_stored and replay_new_rows == 0 and replay_new_events == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
