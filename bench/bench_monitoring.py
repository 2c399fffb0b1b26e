"""Benchmark of the monitoring alarm engine (engine alone, one core).

50,000 points with the full rule set (HH/H/L/LL, deadband, on/off delays, offline, rate of
change); seeded synthetic readings (most points normal, 2 % hovering around H, 1 % around
L, 0.1 % late samples; every point reports every 10 s). Measures:

* scalar streaming path (``process_rows``): batches of 100, 250, 500 and 1,000 readings, state
  carried over from batch to batch (300,000 readings per run);
* vectorised path (``process_coded``): batches of 1,000 and 10,000 readings and one 1,000,000-reading
  replay batch;
* parse-only baselines: the same readings as JSON lines and as CSV lines, parsed without rules.

Per figure: readings/s over wall time and over this thread's CPU time, batch latency p50/p99
(wall) and p99 of the per-batch CPU time (insensitive to the other jobs of a shared machine).
Streaming figures are the median of ``--repeats`` runs (default 5; 3 for the vectorised ones).
Prints the figures and writes ``bench/results/monitoring.json``. Run:
``python bench/bench_monitoring.py`` (about a minute on a shared 2-core machine).
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import json
import os
import platform
import time
from pathlib import Path
from typing import Any

import numpy as np

from yingji.engines.monitoring import MonitorState, PointConfig, process_coded, process_rows

N_POINTS = 50_000
SEED = 20260826
REPEATS = 5
SCALAR_BATCHES = (100, 250, 500, 1_000)
RESULTS = Path(__file__).resolve().parent / "results" / "monitoring.json"


def make_state() -> tuple[MonitorState, list[str]]:
    names = [f"P{i:05d}" for i in range(N_POINTS)]
    cfg = PointConfig(
        hh=90, h=80, l=20, ll=10, deadband=1, on_delay_s=5, off_delay_s=5, offline_s=120, roc_per_s=2
    )
    return MonitorState.new(dict.fromkeys(names, cfg)), names


def make_readings(n: int, rng: np.random.Generator, t0: float = 1.7e9) -> tuple[Any, Any, Any]:
    """``(codes, ts, values)`` in arrival order.

    Every point reports every 10 s (round robin in a shuffled order, 50 ms jitter); values are
    ``base + N(0, 1)`` with base 50 (97 % of points), 80 = h (2 %, flapping around H with
    deadband/delays at work) or 20 = l (1 %); 0.1 % of readings arrive 30 s late.
    """
    perm = rng.permutation(N_POINTS)
    i = np.arange(n)
    codes = perm[i % N_POINTS]
    ts = t0 + i * (10.0 / N_POINTS) + rng.uniform(0.0, 0.05, n)
    late = rng.random(n) < 0.001
    ts = np.where(late, ts - 30.0, ts)
    base = np.full(N_POINTS, 50.0)
    kind = np.random.default_rng(SEED).random(N_POINTS)
    base[kind < 0.02] = 80.0
    base[(kind >= 0.02) & (kind < 0.03)] = 20.0
    values = base[codes] + rng.normal(0.0, 1.0, n)
    return codes, np.round(ts, 3), np.round(values, 2)


def pct(xs: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(xs), q))


def median(xs: list[float]) -> float:
    return float(np.median(np.asarray(xs)))


def detached(state: MonitorState) -> MonitorState:
    """A copy of ``state`` on its own PointMap lineage (each run starts from the same warm state
    without rerooting the previous run's lineage inside its timed batches), moved to the oldest
    garbage-collector generation as in a long-running process (else the first young-generation
    collections of the run walk the fresh 50,000-entry copy)."""
    copy = MonitorState(state.configs, dict(state.points.items()), state.rejected)
    gc.collect()
    return copy


def _run(label: str, batch: int, n_batches: int, step: Any) -> dict[str, Any]:
    """Time ``step(i)`` for each batch: wall latency and this thread's CPU time per batch."""
    lat: list[float] = []
    cpu: list[float] = []
    events = 0
    w0, c0 = time.perf_counter(), time.thread_time()
    for i in range(n_batches):
        t, c = time.perf_counter(), time.thread_time()
        events += step(i)
        cpu.append(time.thread_time() - c)
        lat.append(time.perf_counter() - t)
    wall, cpu_total = time.perf_counter() - w0, time.thread_time() - c0
    n = batch * n_batches
    return {
        "path": label,
        "batch": batch,
        "readings": n,
        "events": events,
        "readings_per_s": n / wall,
        "readings_per_cpu_s": n / cpu_total,
        "batch_p50_ms": pct(lat, 50) * 1e3,
        "batch_p99_ms": pct(lat, 99) * 1e3,
        "batch_cpu_p99_ms": pct(cpu, 99) * 1e3,
    }


def bench_scalar(
    state: MonitorState, names: list[str], rng: np.random.Generator, batch: int
) -> dict[str, Any]:
    n_batches = 300_000 // batch
    codes, ts, values = make_readings(batch * n_batches, rng)
    rows = list(zip(ts.tolist(), [names[c] for c in codes.tolist()], values.tolist(), strict=True))
    cur = [detached(state)]

    def step(i: int) -> int:
        cur[0], ev = process_rows(cur[0], rows[i * batch : (i + 1) * batch])
        return len(ev)

    return _run("scalar process_rows", batch, n_batches, step)


def bench_vector(
    state: MonitorState, names: list[str], rng: np.random.Generator, batch: int, n_batches: int
) -> dict[str, Any]:
    codes, ts, values = make_readings(batch * n_batches, rng)
    cur = [detached(state)]

    def step(i: int) -> int:
        sl = slice(i * batch, (i + 1) * batch)
        cur[0], ev = process_coded(cur[0], names, codes[sl], ts[sl], values[sl])
        return len(ev)

    return _run("vectorised process_coded", batch, n_batches, step)


def repeated(run: Any, repeats: int) -> dict[str, Any]:
    """Median over ``repeats`` runs of each figure (shared machine), all runs kept."""
    runs = [run() for _ in range(repeats)]
    out = dict(runs[0])
    for key in ("readings_per_s", "readings_per_cpu_s", "batch_p50_ms", "batch_p99_ms", "batch_cpu_p99_ms"):
        out[key] = median([r[key] for r in runs])
    out["runs"] = [
        {k: round(r[k], 3) for k in ("readings_per_s", "readings_per_cpu_s", "batch_p50_ms", "batch_p99_ms")}
        for r in runs
    ]
    out["repeats"] = repeats
    return out


def bench_parse(names: list[str], rng: np.random.Generator, repeats: int) -> list[dict[str, Any]]:
    """Parse-only baselines on the same kind of readings, no rules (median of ``repeats``)."""
    n = 300_000
    codes, ts, values = make_readings(n, rng)
    tl, vl, pl = ts.tolist(), values.tolist(), [names[c] for c in codes.tolist()]
    json_lines = [json.dumps({"ts": t, "point": p, "value": v}) for t, p, v in zip(tl, pl, vl, strict=True)]
    csv_text = "".join(f"{t},{p},{v}\n" for t, p, v in zip(tl, pl, vl, strict=True))

    def parse_json() -> None:
        rows = []
        for line in json_lines:
            d = json.loads(line)
            rows.append((float(d["ts"]), d["point"], float(d["value"])))

    def parse_csv() -> None:
        [(float(a), b, float(c)) for a, b, c in csv.reader(io.StringIO(csv_text))]

    out = []
    for label, fn in (
        ("parse-only JSON lines (json.loads)", parse_json),
        ("parse-only CSV lines (csv.reader)", parse_csv),
    ):
        walls, cpus = [], []
        for _ in range(repeats):
            w, c = time.perf_counter(), time.thread_time()
            fn()
            walls.append(n / (time.perf_counter() - w))
            cpus.append(n / (time.thread_time() - c))
        out.append(
            {
                "path": label,
                "readings": n,
                "readings_per_s": median(walls),
                "readings_per_cpu_s": median(cpus),
            }
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=REPEATS, help="runs per streaming figure (median kept)")
    ns = ap.parse_args()
    rng = np.random.default_rng(SEED)
    state, names = make_state()
    # Warm the state: one pass over every point so that the streaming runs see a live system.
    codes, ts, values = make_readings(200_000, rng, t0=1.7e9 - 100.0)
    state, _ = process_coded(state, names, codes, ts, values)
    load_before = os.getloadavg()

    results: list[dict[str, Any]] = []
    for batch in SCALAR_BATCHES:
        results.append(repeated(lambda b=batch: bench_scalar(state, names, rng, b), ns.repeats))
    for batch, n_batches in ((1_000, 300), (10_000, 60)):
        results.append(
            repeated(
                lambda b=batch, k=n_batches: bench_vector(state, names, rng, b, k), max(1, ns.repeats - 2)
            )
        )
    results.append(bench_vector(state, names, rng, batch=1_000_000, n_batches=1))
    results.extend(bench_parse(names, rng, ns.repeats))
    report = {
        "engine": "monitoring",
        "points": N_POINTS,
        "seed": SEED,
        "python": platform.python_version(),
        "machine": f"{platform.machine()} {os.cpu_count()} cpu (shared)",
        "load_avg_1m": {"before": round(load_before[0], 2), "after": round(os.getloadavg()[0], 2)},
        "method": (
            "per figure: median of the runs listed (shared machine); readings_per_s over wall time, "
            "readings_per_cpu_s over this thread's CPU time; batch_p99_ms wall, batch_cpu_p99_ms CPU"
        ),
        "goal": {"readings_per_s_per_core": 200_000, "batch_p99_ms": 5.0},
        "results": results,
    }
    head = ("path", "batch", "readings/s", "/CPU-s", "p50 ms", "p99 ms", "CPU p99")
    print(f"{head[0]:<36} {head[1]:>9} {head[2]:>11} {head[3]:>11} {head[4]:>8} {head[5]:>8} {head[6]:>8}")
    for r in results:
        row = f"{r['path']:<36} {r.get('batch', ''):>9} {r['readings_per_s']:>11,.0f}"
        row += f" {r['readings_per_cpu_s']:>11,.0f}"
        if "batch_p99_ms" in r:
            row += f" {r['batch_p50_ms']:8.2f} {r['batch_p99_ms']:8.2f} {r['batch_cpu_p99_ms']:8.2f}"
        print(row)
    print(f"(median of {ns.repeats} runs per streaming figure; load average {load_before[0]:.2f} before)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
