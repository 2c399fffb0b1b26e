"""Prometheus comparison benchmark: the monitoring alarm scenario through Prometheus + Alertmanager vs ours.

A seeded generator drives P points (per-point HH/H/L/LL limits, deadband, on/off delays) in real
time for ``--seconds`` (default 60) plus a cool-down: once a second a "main" value per point
(drifts into and out of the alarm zones, flapping around a limit, noise), and now and then a
sub-second spike between two scrapes. The very same readings go

* to our engine (``yingji.engines.monitoring.process_rows``, in process, live, one batch per
  tick; CPU = this thread's CPU time in the engine calls), and
* to Prometheus (Debian ``prometheus`` 2.42, ``/usr/bin/prometheus``) through a loopback
  exposition endpoint scraped every 1 s, with alert rules generated per level and delay pair
  (``expr: value >= on(point) limit``, ``for:`` = on_delay_s, ``keep_firing_for:`` =
  off_delay_s, evaluation every 1 s), and to Alertmanager (Debian ``prometheus-alertmanager``
  0.25) whose webhook receiver on loopback records firing/resolved notifications.

Reports readings per CPU-second on each side (theirs: CPU of the prometheus + alertmanager
processes from ``/proc/<pid>/stat`` over the run, per sample scraped) and the alarm-set
agreement: the "at least X" episodes (X in H, HH, L, LL) Alertmanager notified vs ours; every
one of theirs must overlap one of ours (theirs-not-in-ours = 0). Ours-not-in-theirs are expected
(spikes between scrapes, see ``docs/engines/monitoring.md``). Writes
``bench/results/monitoring_prometheus.json`` and prints the three monitoring benchmarks
(engine alone, end-to-end runtime, this Prometheus comparison) side by side
(``--summary`` prints only that table from the JSON files). Needs ``scripts/ensure_system.sh
bench``; the servers run on free loopback ports with temporary config/data and are stopped at
the end, also on error. The scenario, configuration and comparison (pure parts) live in
``bench/prometheus_scenario.py``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from prometheus_scenario import (
    COOLDOWN_S,
    RETURN_AT,
    SPIKE_AT,
    TOLERANCE_S,
    Episode,
    PointSpec,
    alertmanager_yaml,
    alerts_episodes,
    classify_extra,
    compare,
    exposition,
    limits_exposition,
    make_scenario,
    our_episodes,
    overlaps,
    parse_ts,
    prometheus_yaml,
    replay,
    rules_yaml,
    their_episodes,
)

from yingji.engines.monitoring import AlarmEvent, MonitorState, process_rows

RESULTS_DIR = Path(__file__).resolve().parent / "results"
RESULTS = RESULTS_DIR / "monitoring_prometheus.json"
PROMETHEUS = "/usr/bin/prometheus"
ALERTMANAGER = "/usr/bin/prometheus-alertmanager"


# ---------------------------------------------------------------- servers and processes
class _Quiet(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class Exporter:
    """Loopback exposition endpoint: ``/metrics`` (current values), ``/limits``; logs scrapes."""

    def __init__(self, points: Sequence[PointSpec], values: Sequence[float]) -> None:
        self.points = points
        self.text = exposition(points, values).encode()
        self.limits = limits_exposition(points).encode()
        self.scrapes: list[float] = []
        exporter = self

        class Handler(_Quiet):
            def do_GET(self) -> None:
                if self.path.startswith("/metrics"):
                    exporter.scrapes.append(time.time())
                    body = exporter.text
                elif self.path.startswith("/limits"):
                    body = exporter.limits
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; version=0.0.4")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def publish(self, values: Sequence[float]) -> None:
        self.text = exposition(self.points, values).encode()


class Webhook:
    """Alertmanager webhook receiver: keeps every payload with its arrival time."""

    def __init__(self) -> None:
        self.payloads: list[dict[str, Any]] = []
        self.last = 0.0
        hook = self

        class Handler(_Quiet):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                payload = json.loads(body)
                payload["_received"] = hook.last = time.time()
                hook.payloads.append(payload)
                self.send_response(200)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, timeout: float = 5.0) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return json.loads(resp.read()) if "json" in resp.headers.get("Content-Type", "") else resp.read()


def _wait(what: str, check: Any, timeout: float) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"timed out waiting for {what}")


def cpu_seconds(pid: int) -> float:
    """utime + stime of process ``pid`` (all its threads) from ``/proc/<pid>/stat``, seconds."""
    raw = Path(f"/proc/{pid}/stat").read_text()
    fields = raw[raw.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def prometheus_rule_health(text: str) -> dict[str, float]:
    """Rule-group iterations (total, missed) and last duration from Prometheus' own metrics.

    A missed iteration (evaluation slower than its 1 s interval, e.g. CPU starved) makes the next
    evaluation see two samples apart: ``for:`` is then met on samples never seen in between.
    """
    wanted = {
        "prometheus_rule_group_iterations_total": "iterations",
        "prometheus_rule_group_iterations_missed_total": "iterations_missed",
        "prometheus_rule_group_last_duration_seconds": "last_duration_s",
    }
    out: dict[str, float] = {}
    for line in text.splitlines():
        name = line.split("{", 1)[0].split(" ", 1)[0]
        if name in wanted and "yingji_bench" in line:
            out[wanted[name]] = float(line.rsplit(" ", 1)[1])
    return out


def _version(binary: str) -> str:
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    return (out.stdout or out.stderr).splitlines()[0].strip()


def _pct(xs: Sequence[float], q: float) -> float | None:
    if not xs:
        return None
    s = sorted(xs)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


# ---------------------------------------------------------------- the run
def run(ns: argparse.Namespace) -> dict[str, Any]:
    """Start the servers, play the scenario, compare; always stops what it started."""
    for binary in (PROMETHEUS, ALERTMANAGER):
        if not os.access(binary, os.X_OK):
            raise SystemExit(
                f"bench_monitoring_prometheus: {binary} missing; run scripts/ensure_system.sh bench"
            )
    scn = make_scenario(ns.points, ns.seconds, ns.seed)
    total = ns.seconds + COOLDOWN_S
    tmp = Path(tempfile.mkdtemp(prefix="yj-bench-prom-"))
    procs: list[subprocess.Popen[bytes]] = []
    exporter = Exporter(scn.points, [m[0] for m in scn.main])
    hook = Webhook()
    log = (tmp / "servers.log").open("wb")

    def stop(signum: int, _frame: Any) -> None:  # SIGTERM/SIGHUP: unwind through `finally`
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        prom_port, am_port = _free_port(), _free_port()
        (tmp / "rules.yml").write_text(rules_yaml(scn.points))
        (tmp / "prometheus.yml").write_text(prometheus_yaml(exporter.port, am_port, str(tmp / "rules.yml")))
        (tmp / "alertmanager.yml").write_text(alertmanager_yaml(hook.port))
        am = subprocess.Popen(
            [
                ALERTMANAGER,
                f"--config.file={tmp / 'alertmanager.yml'}",
                f"--storage.path={tmp / 'am'}",
                f"--web.listen-address=127.0.0.1:{am_port}",
                "--cluster.listen-address=",
                "--log.level=warn",
            ],
            stdout=log,
            stderr=log,
        )
        procs.append(am)
        prom = subprocess.Popen(
            [
                PROMETHEUS,
                f"--config.file={tmp / 'prometheus.yml'}",
                f"--storage.tsdb.path={tmp / 'tsdb'}",
                f"--web.listen-address=127.0.0.1:{prom_port}",
                "--log.level=warn",
            ],
            stdout=log,
            stderr=log,
        )
        procs.append(prom)
        prom_url, am_url = f"http://127.0.0.1:{prom_port}", f"http://127.0.0.1:{am_port}"
        _wait("alertmanager", lambda: _get(f"{am_url}/-/ready") is not None, 30)
        _wait("prometheus", lambda: _get(f"{prom_url}/-/ready") is not None, 30)
        n_limits = sum(len(p.limits) for p in scn.points)

        def limits_loaded() -> bool:
            q = urllib.parse.quote("count(yj_limit)")
            res = _get(f"{prom_url}/api/v1/query?query={q}")["data"]["result"]
            return bool(res) and int(float(res[0]["value"][1])) == n_limits

        _wait("the limits scrape", limits_loaded, 40)
        _wait("three value scrapes", lambda: len(exporter.scrapes) >= 3, 20)
        # Phase: main values change half a second before Prometheus scrapes (spikes come after).
        angles = [2 * math.pi * (t % 1.0) for t in exporter.scrapes[-3:]]
        phase = (math.atan2(sum(map(math.sin, angles)), sum(map(math.cos, angles))) / (2 * math.pi)) % 1.0
        t0 = math.floor(time.time()) + 2 + (phase - 0.5) % 1.0
        print(
            f"prometheus :{prom_port}, alertmanager :{am_port}; scrape phase {phase:.3f} s; playing {total} s"
        )

        state = MonitorState.new({p.name: p.config() for p in scn.points})
        events: list[AlarmEvent] = []
        engine_cpu, n_readings = 0.0, 0
        cpu0 = {"prometheus": cpu_seconds(prom.pid), "alertmanager": cpu_seconds(am.pid)}
        values = [m[0] for m in scn.main]
        for k in range(total):
            for offset, batch in zip((0.0, SPIKE_AT, RETURN_AT), scn.readings(k, t0), strict=True):
                if not batch:
                    continue
                delay = t0 + k + offset - time.time()
                if delay > 0:
                    time.sleep(delay)
                if offset == 0.0:
                    values = [m[k] for m in scn.main]
                    exporter.publish(values)
                else:
                    current = dict(zip((p.name for p in scn.points), values, strict=True))
                    current.update((point, v) for _, point, v in batch)
                    exporter.publish([current[p.name] for p in scn.points])
                c = time.thread_time()
                state, ev = process_rows(state, batch)
                engine_cpu += time.thread_time() - c
                events.extend(ev)
                n_readings += len(batch)
        t_end = t0 + total
        time.sleep(max(0.0, t_end - time.time()))
        cpu1 = {"prometheus": cpu_seconds(prom.pid), "alertmanager": cpu_seconds(am.pid)}

        def settled() -> bool:
            active = _get(f"{am_url}/api/v2/alerts?active=true")
            return not active and time.time() - hook.last > 3

        _wait("alertmanager to settle", settled, 60)
        q = urllib.parse.urlencode(
            {"query": 'ALERTS{alertstate="firing"}', "start": t0, "end": time.time(), "step": "1"}
        )
        series = _get(f"{prom_url}/api/v1/query_range?{q}")["data"]["result"]
        versions = {"prometheus": _version(PROMETHEUS), "alertmanager": _version(ALERTMANAGER)}
        rule_health = prometheus_rule_health(_get(f"{prom_url}/metrics").decode())
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        exporter.server.shutdown()
        hook.server.shutdown()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    ours = our_episodes(events, {p.name: p.limits for p in scn.points})
    assert events == replay(scn, t0), "the live engine run and the replay differ"
    theirs = their_episodes(hook.payloads)
    cmp = compare(theirs, ours)
    configured = {p.name: p.limits for p in scn.points}
    without_spikes = our_episodes(replay(scn, t0, spikes=False), configured)
    from_alerts = alerts_episodes(series)
    cmp_alerts = compare(from_alerts, ours)
    causes: dict[str, int] = {}
    examples: dict[str, list[dict[str, Any]]] = {}

    def rel(e: Episode) -> dict[str, Any]:  # times in seconds since the scenario start
        end = None if e.end is None else round(e.end - t0, 2)
        return {"point": e.point, "level": e.level, "start_s": round(e.start - t0, 2), "end_s": end}

    for e in cmp["ours_not_in_theirs"]:
        cause = classify_extra(e, without_spikes, from_alerts)
        causes[cause] = causes.get(cause, 0) + 1
        if len(examples.setdefault(cause, [])) < 8:
            examples[cause].append(rel(e))
    scrapes = [t for t in exporter.scrapes if t0 <= t < t_end]
    in_spike_window = sum(1 for t in scrapes if SPIKE_AT - 0.01 <= (t - t0) % 1.0 <= RETURN_AT + 0.01)
    gaps = [b - a for a, b in itertools.pairwise(scrapes)]
    first_firing: dict[tuple[str, str, float], float] = {}
    for payload in hook.payloads:
        for alert in payload["alerts"]:
            start = parse_ts(alert["startsAt"])
            if alert["status"] == "firing" and start is not None:
                first_firing.setdefault(
                    (alert["labels"]["point"], alert["labels"]["level"], start), payload["_received"]
                )
    delays = []
    for t in theirs:
        match = [o for o in ours if (o.point, o.level) == (t.point, t.level) and overlaps(t, o, TOLERANCE_S)]
        if match and (t.point, t.level, t.start) in first_firing:
            delays.append(first_firing[(t.point, t.level, t.start)] - min(o.start for o in match))
    samples = len(scrapes) * len(scn.points)
    prom_cpu = cpu1["prometheus"] - cpu0["prometheus"]
    their_cpu = prom_cpu + (cpu1["alertmanager"] - cpu0["alertmanager"])
    return {
        "bench": "monitoring vs Prometheus + Alertmanager",
        "points": len(scn.points),
        "seconds": ns.seconds,
        "cooldown_s": COOLDOWN_S,
        "seed": ns.seed,
        "versions": versions,
        "python": platform.python_version(),
        "machine": f"{platform.machine()} {os.cpu_count()} cpu (shared)",
        "load_avg_1m_after": round(os.getloadavg()[0], 2),
        "readings": {"ours": n_readings, "theirs_samples_scraped": samples},
        "cpu_s": {
            "ours_engine": round(engine_cpu, 4),
            "prometheus": round(cpu1["prometheus"] - cpu0["prometheus"], 3),
            "alertmanager": round(cpu1["alertmanager"] - cpu0["alertmanager"], 3),
        },
        "readings_per_cpu_s": {
            "ours_engine": round(n_readings / engine_cpu) if engine_cpu else None,
            "theirs_prometheus_plus_alertmanager": round(samples / their_cpu) if their_cpu else None,
            "theirs_prometheus_only": round(samples / prom_cpu) if prom_cpu else None,
            # Our real ingest process (MQTT → SQLite → alarms), measured by bench 2 if it ran.
            "ours_ingest_process_bench2": ingest_per_cpu_s(),
        },
        "episodes": {
            "theirs": cmp["theirs"],
            "ours": cmp["ours"],
            "theirs_not_in_ours": len(cmp["theirs_not_in_ours"]),
            "ours_not_in_theirs": len(cmp["ours_not_in_theirs"]),
            "ours_not_in_theirs_by_cause": causes,
            "cross_check_ALERTS_series": {
                "theirs": len(from_alerts),
                "theirs_not_in_ours": len(cmp_alerts["theirs_not_in_ours"]),
            },
            "tolerance_s": TOLERANCE_S,
            "theirs_not_in_ours_list": [rel(e) for e in cmp["theirs_not_in_ours"]][:20],
            "ours_not_in_theirs_examples": examples,
        },
        "their_notification_after_our_event_s": {"p50": _pct(delays, 0.5), "p95": _pct(delays, 0.95)},
        "scrapes": {
            "count": len(scrapes),
            "max_gap_s": round(max(gaps), 3) if gaps else None,
            "inside_spike_window": in_spike_window,
        },
        "prometheus_rule_group": rule_health,
        "spikes": sum(len(s) for s in scn.spikes),
    }


# ---------------------------------------------------------------- side-by-side summary
def _load(name: str) -> dict[str, Any] | None:
    path = RESULTS_DIR / name
    return json.loads(path.read_text()) if path.exists() else None


def _find_cpu(obj: Any, prefix: str = "") -> dict[str, float]:
    """Numeric fields whose key mentions CPU in a (nested) JSON object, by dotted key."""
    found: dict[str, float] = {}
    if isinstance(obj, dict):
        for k, v in obj.items():
            key = f"{prefix}{k}"
            if isinstance(v, int | float) and "cpu" in k.lower():
                found[key] = float(v)
            else:
                found.update(_find_cpu(v, key + "."))
    return found


def ingest_per_cpu_s() -> int | None:
    """Readings per CPU-second of our ingest process from bench 2's JSON, if present."""
    b2 = _load("monitoring_runtime.json")
    per_reading = (b2 or {}).get("ingest_cpu_us_per_reading")
    return round(1e6 / per_reading) if per_reading else None


def summary_rows() -> list[tuple[str, str, str, str]]:
    """``(bench, figure, value, goal)`` rows from the three JSON results present."""
    rows: list[tuple[str, str, str, str]] = []
    b1 = _load("monitoring.json")
    if b1:
        for r in b1["results"]:
            if r["path"].startswith("scalar"):
                rows.append(
                    (
                        "1 engine",
                        f"scalar batch {r['batch']:,}: readings/s (per CPU-s), p99 (CPU p99)",
                        f"{r['readings_per_s']:,.0f} ({r['readings_per_cpu_s']:,.0f}), "
                        f"{r['batch_p99_ms']:.2f} ms ({r['batch_cpu_p99_ms']:.2f} ms)",
                        "≥ 200k/s/core, p99 < 5 ms",
                    )
                )
            elif r.get("batch") == 1_000_000 or r["path"].startswith("parse"):
                label = "vectorised 1M replay" if r.get("batch") else r["path"]
                rows.append(("1 engine", f"{label}: readings/s", f"{r['readings_per_s']:,.0f}", ""))
    b2 = _load("monitoring_runtime.json")
    if b2:
        rows.append(
            ("2 end to end", "stored readings/s", f"{b2.get('stored_readings_per_s', 0):,.0f}", "≥ 20k/s")
        )
        lat = b2.get("latency_publish_to_commit_ms", {})
        rows.append(
            ("2 end to end", "p99 publish → commit", f"{lat.get('p99', float('nan')):.0f} ms", "< 500 ms")
        )
        lat = b2.get("latency_reading_to_desk_event_ms", {})
        rows.append(
            ("2 end to end", "p99 reading → notification", f"{lat.get('p99', float('nan')):.0f} ms", "< 2 s")
        )
        burst = b2.get("burst", {})
        rows.append(
            (
                "2 end to end",
                "burst readings/s, lost",
                f"{burst.get('readings_per_s', 0):,.0f}, {burst.get('lost')}",
                "lost 0",
            )
        )
        per_reading = b2.get("ingest_cpu_us_per_reading")
        if per_reading:
            rows.append(
                (
                    "2 end to end",
                    "ingest process (MQTT → SQLite → alarms) readings/CPU-s",
                    f"{1e6 / per_reading:,.0f} ({b2.get('ingest_cpu_s')} CPU-s)",
                    "",
                )
            )
        else:
            cpu = _find_cpu(b2)
            text = ", ".join(f"{k} {v:g}" for k, v in cpu.items()) or "n/a (no CPU figure in the JSON)"
            rows.append(("2 end to end", "ingest CPU", text, ""))
    b3 = _load("monitoring_prometheus.json")
    if b3:
        per = b3["readings_per_cpu_s"]
        rows.append(("3 vs Prometheus", "ours (engine) readings/CPU-s", f"{per['ours_engine']:,}", ""))
        if per.get("ours_ingest_process_bench2"):
            rows.append(
                (
                    "3 vs Prometheus",
                    "ours (whole ingest process, bench 2) readings/CPU-s",
                    f"{per['ours_ingest_process_bench2']:,}",
                    "",
                )
            )
        rows.append(
            (
                "3 vs Prometheus",
                "theirs (prometheus+alertmanager) samples/CPU-s",
                f"{per['theirs_prometheus_plus_alertmanager']:,}",
                "",
            )
        )
        rows.append(
            (
                "3 vs Prometheus",
                "theirs (prometheus alone) samples/CPU-s",
                f"{per['theirs_prometheus_only']:,}",
                "",
            )
        )
        delay = b3["their_notification_after_our_event_s"]
        rows.append(
            (
                "3 vs Prometheus",
                "their notification after our event p50 / p95",
                f"{delay['p50']:.2f} s / {delay['p95']:.2f} s",
                "",
            )
        )
        ep = b3["episodes"]
        rows.append(("3 vs Prometheus", "episodes theirs / ours", f"{ep['theirs']} / {ep['ours']}", ""))
        rows.append(("3 vs Prometheus", "theirs not in ours", str(ep["theirs_not_in_ours"]), "0"))
        missed = b3.get("prometheus_rule_group", {}).get("iterations_missed")
        rows.append(
            (
                "3 vs Prometheus",
                "Prometheus rule iterations missed",
                str(missed),
                "0 (else `for:` skips samples)",
            )
        )
        rows.append(
            (
                "3 vs Prometheus",
                "ours not in theirs",
                f"{ep['ours_not_in_theirs']} {ep['ours_not_in_theirs_by_cause']}",
                "expected",
            )
        )
    return rows


def print_summary() -> None:
    """Print the engine, end-to-end and Prometheus-comparison figures side by side (from
    bench/results/*.json); with no results yet, say which benchmarks to run first."""
    rows = summary_rows()
    if not rows:
        print(
            "no monitoring bench results yet: run .venv/bin/python bench/bench_monitoring.py, "
            "bench/bench_monitoring_runtime.py and bench/bench_monitoring_prometheus.py first "
            "(or make bench)"
        )
        return
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    print("\n== monitoring benchmarks (engine, end to end, vs Prometheus), side by side")
    for bench, figure, value, goal in rows:
        print(f"{bench:<{widths[0]}}  {figure:<{widths[1]}}  {value:<{widths[2]}}  {goal}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--seconds", type=int, default=60, help="scenario length before the cool-down (default 60)"
    )
    ap.add_argument("--points", type=int, default=500, help="number of points (default 500)")
    ap.add_argument("--seed", type=int, default=652826)
    ap.add_argument("--summary", action="store_true", help="only print the side-by-side table of the results")
    ns = ap.parse_args()
    if ns.summary:
        print_summary()
        return 0
    if ns.seconds < 1 or ns.points < 1:
        print("bench_monitoring_prometheus: --seconds and --points must be >= 1", file=sys.stderr)
        return 2
    report = run(ns)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    ep, per = report["episodes"], report["readings_per_cpu_s"]
    n = report["readings"]
    print(
        f"readings/CPU-s: ours {per['ours_engine']:,} (engine, {n['ours']:,} readings), "
        f"theirs {per['theirs_prometheus_plus_alertmanager']:,} ({n['theirs_samples_scraped']:,} "
        f"samples, CPU {report['cpu_s']})"
    )
    print(
        f"episodes: theirs {ep['theirs']}, ours {ep['ours']}, theirs-not-in-ours {ep['theirs_not_in_ours']}, "
        f"ours-not-in-theirs {ep['ours_not_in_theirs']} {ep['ours_not_in_theirs_by_cause']}"
    )
    print(f"scrapes {report['scrapes']}, Prometheus rule group {report['prometheus_rule_group']}")
    if ep["theirs_not_in_ours"] and report["prometheus_rule_group"].get("iterations_missed"):
        print("note: Prometheus missed rule evaluations (CPU starved): `for:` then spans unseen samples")
    print(f"wrote {RESULTS}")
    print_summary()
    return 1 if ep["theirs_not_in_ours"] else 0


if __name__ == "__main__":
    sys.exit(main())
