"""``yingji monitoring-ingest`` (MQTT subscriber) and ``yingji simulate`` (demo reading generator)."""

from __future__ import annotations

import argparse
import gc
import json
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt

from yingji.cli import setup_django


def register(sub: Any) -> None:
    """Add the ``monitoring-ingest`` and ``simulate`` commands."""
    ing = sub.add_parser("monitoring-ingest", help="监测数据接入: subscribe to MQTT and store readings")
    ing.add_argument("--host", default="127.0.0.1")
    ing.add_argument("--port", type=int, default=1883)
    ing.add_argument("--topic", default="yingji/readings/#")
    ing.add_argument(
        "--client-id", default="yingji-ingest", help="stable id: the broker keeps unacked messages for it"
    )
    ing.add_argument(
        "--batch",
        type=int,
        default=500,
        help="commit once this many messages are pending (keep below the broker's max_inflight_messages)",
    )
    ing.add_argument(
        "--flush-ms", type=float, default=100.0, help="... or when the oldest pending one is this old"
    )
    ing.add_argument(
        "--max-seconds", type=float, default=None, help="stop after this long (tests, benchmarks)"
    )
    ing.add_argument("--idle-exit", type=float, default=None, help="stop after this many idle seconds")
    ing.add_argument(
        "--stats",
        type=Path,
        default=None,
        help="append a JSON line per commit (benchmarks): commit time, first/last reading ts, "
        "each reading's ms from its ts to the commit",
    )
    ing.set_defaults(handler=_ingest)

    sim = sub.add_parser("simulate", help="模拟监测数据: realistic readings for the demo points")
    sim.add_argument("--seed", type=int, default=652826)
    sim.add_argument("--seconds", type=float, default=60.0, help="simulated duration (0: run until Ctrl-C)")
    sim.add_argument(
        "--backfill", action="store_true", help="generate the last SECONDS at once (history) instead of live"
    )
    sim.add_argument("--mqtt", default="", help="HOST:PORT to publish to instead of writing in-process")
    sim.add_argument("--prefix", default="yingji/readings", help="MQTT topic prefix")
    sim.add_argument("--no-outages", action="store_true", help="no gateway outages")
    sim.add_argument("--all-points", action="store_true", help="simulate every point, not only the demo ones")
    sim.set_defaults(handler=_simulate)


def _ingest(ns: argparse.Namespace) -> int:
    setup_django()
    from yingji.apps.monitoring.mqtt import MqttIngestor

    # A long-running process that allocates a few containers per reading: move everything loaded
    # so far (Django, the apps) out of the cyclic collector's reach and collect less often; the
    # default thresholds made full collections take ~13% of the ingest CPU.
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)

    stats_file = ns.stats.open("a", encoding="utf-8") if ns.stats else None

    def on_flush(committed: float, readings: list[Any]) -> None:
        if stats_file is not None and readings:
            stamps = [r.ts for r in readings]
            line = {
                "t": committed,
                "first_ts": min(stamps),
                "last_ts": max(stamps),
                "lat_ms": [round((committed - ts) * 1000) for ts in stamps],
            }
            stats_file.write(json.dumps(line) + "\n")
            stats_file.flush()

    ingestor = MqttIngestor(
        host=ns.host,
        port=ns.port,
        topic=ns.topic,
        client_id=ns.client_id,
        batch_size=ns.batch,
        flush_interval_s=ns.flush_ms / 1000.0,
        on_flush=on_flush,
    )
    try:
        stats = ingestor.run(max_seconds=ns.max_seconds, idle_exit_s=ns.idle_exit)
    except OSError as exc:
        print(f"yingji monitoring-ingest: cannot reach broker {ns.host}:{ns.port}: {exc}", file=sys.stderr)
        return 1
    finally:
        if stats_file is not None:
            stats_file.close()
    print(
        f"messages {stats.messages}, readings {stats.readings}, stored {stats.stored}, "
        f"duplicates {stats.duplicates}, rejected {stats.rejected}, malformed {stats.malformed}, "
        f"alarms opened {stats.alarms_opened}"
    )
    return 0


def _simulate(ns: argparse.Namespace) -> int:
    setup_django()
    from yingji.apps.monitoring import demo, ingest
    from yingji.apps.monitoring.models import MonitoringPoint
    from yingji.apps.monitoring.simulator import Simulator

    qs = MonitoringPoint.objects.select_related("gateway").order_by("code")
    points = list(qs if ns.all_points else qs.filter(is_demo=True))
    if not points:
        print("yingji simulate: no demo points: run `yingji seed-demo` first", file=sys.stderr)
        return 1
    sim = Simulator(demo.sim_points(points), seed=ns.seed, outage_every_s=0 if ns.no_outages else 1800.0)
    gateway_of = {p.code: (p.gateway.code if p.gateway else p.code) for p in points}
    stop = _stop_on_signals()
    publisher = _publisher(ns.mqtt) if ns.mqtt else None
    total = 0

    def emit(start: float, end: float) -> int:
        rows = list(sim.readings(start, end))
        if publisher is not None:
            batches: dict[str, list[dict[str, Any]]] = {}
            for code, ts, value in rows:
                batches.setdefault(gateway_of[code], []).append({"point": code, "ts": ts, "value": value})
            publish_until_acknowledged(publisher, ns.prefix, batches, stop=stop)
        else:
            for i in range(0, len(rows), 2000):
                ingest.ingest_readings([ingest.RawReading(c, t, v) for c, t, v in rows[i : i + 2000]])
        return len(rows)

    now = time.time()
    if ns.backfill:
        step = 300.0
        t = now - ns.seconds
        while t < now and not stop.is_set():
            total += emit(t, min(t + step, now))
            t += step
    else:
        t = now
        deadline = now + ns.seconds if ns.seconds else float("inf")
        while t < deadline and not stop.is_set():
            nxt = t + 1.0
            if stop.wait(max(0.0, nxt - time.time())):
                break
            total += emit(t, nxt)
            t = nxt
    if publisher is not None:
        publisher.disconnect()
        publisher.loop_stop()
    print(f"simulated {total} readings for {len(points)} points (seed {ns.seed})")
    return 0


def _stop_on_signals() -> threading.Event:
    """An event set by SIGINT or SIGTERM (``make run``'s Ctrl-C, the supervisor stopping us):
    the simulator finishes the second it is in and exits 0 instead of dying with a traceback."""
    stop = threading.Event()

    def on_signal(_signum: int, _frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    return stop


def publish_until_acknowledged(
    client: mqtt.Client,
    prefix: str,
    batches: dict[str, list[dict[str, Any]]],
    *,
    stop: threading.Event,
    timeout_s: float = 10.0,
) -> bool:
    """Publish ``{topic suffix: [reading dicts]}`` (QoS 1) and wait for the broker's PUBACKs; a
    lost broker is waited for (paho reconnects in its network thread) and the messages not
    acknowledged are published again after the reconnect (a duplicate is harmless: ingest
    stores a ``(point, ts)`` once).

    Returns:
        True when every message was acknowledged, False when ``stop`` was set first.
    """
    from yingji.apps.monitoring.mqtt import publish_batches  # needs Django set up

    pending = dict(batches)
    warned = False
    while pending and not stop.is_set():
        if not client.is_connected():
            if not warned:
                print("yingji simulate: MQTT broker unavailable; waiting to reconnect", file=sys.stderr)
                warned = True
            stop.wait(0.5)
            continue
        sent = [(suffix, publish_batches(client, prefix, {suffix: rows})) for suffix, rows in pending.items()]
        for suffix, infos in sent:
            try:
                for info in infos:
                    info.wait_for_publish(timeout=timeout_s)
                done = all(info.is_published() for info in infos)
            except (RuntimeError, ValueError):  # not connected / queue full
                done = False
            if done:
                pending.pop(suffix)
        if pending:
            stop.wait(0.5)
    if warned and not pending:
        print("yingji simulate: MQTT broker back; publishing again", file=sys.stderr)
    return not pending


def _publisher(address: str) -> Any:
    """An MQTT client publishing to ``HOST:PORT`` whose network thread (re)connects by itself:
    a broker that is not up yet or goes away is waited for, not fatal."""
    host, _, port = address.rpartition(":")
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"yingji-sim-{int(time.time())}")
    client.reconnect_delay_set(min_delay=1, max_delay=5)
    client.connect_async(host or "127.0.0.1", int(port or 1883))
    client.loop_start()
    return client


def main(argv: list[str] | None = None) -> int:
    """Run these commands without the top-level ``yingji`` dispatcher:
    ``python -m yingji.apps.monitoring.cli monitoring-ingest|simulate ...``."""
    parser = argparse.ArgumentParser(prog="yingji")
    sub = parser.add_subparsers(dest="command", required=True)
    register(sub)
    ns = parser.parse_args(argv)
    return int(ns.handler(ns) or 0)


if __name__ == "__main__":
    sys.exit(main())
