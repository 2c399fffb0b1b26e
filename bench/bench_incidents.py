"""Benchmark of the incidents engine: gradings/s (target >= 100k/s on one core).

Run: ``python bench/bench_incidents.py``. Prints the figures and writes
``bench/results/incidents.json``. Inputs are random but seeded; thresholds are loaded once
before timing (the first call warms the caches).
"""

from __future__ import annotations

import json
import platform
import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from yingji.engines.incidents import (
    Category,
    IncidentClock,
    IncidentFacts,
    RuleTable,
    compute_deadlines,
    grade_accident,
    grade_incident,
)
from yingji.engines.incidents.deadlines import CHINA_TZ
from yingji.engines.incidents.rule_table import GradingRule

ROUNDS = 3
RESULTS = Path(__file__).resolve().parent / "results" / "incidents.json"


def best_rate(label: str, n: int, fn: Callable[[], None]) -> dict[str, float | int | str]:
    """Run ``fn`` (which performs ``n`` operations) ROUNDS times; report the best ops/s."""
    times = []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    best = min(times)
    rate = n / best
    print(f"{label:<38} {rate:>12,.0f} /s   ({n:,} ops, best of {ROUNDS}: {best:.3f} s)")
    return {"name": label, "ops": n, "best_s": round(best, 4), "per_s": round(rate)}


def main() -> None:
    rng = random.Random(493)
    n = 300_000
    accidents = [
        (
            rng.randint(0, 40),
            rng.randint(0, 120),
            rng.choice([rng.randint(0, 150_000_000), rng.random() * 2e8]),
        )
        for _ in range(n)
    ]
    grade_accident(1, 1, 1)  # warm caches

    def run_accidents() -> None:
        for d, s, loss in accidents:
            grade_accident(d, s, loss)

    facts = [IncidentFacts(Category.ACCIDENT, d, s, loss) for d, s, loss in accidents[:100_000]]

    def run_facts() -> None:
        for f in facts:
            grade_incident(f)

    table = RuleTable.from_rules(
        [
            GradingRule(Category.NATURAL_DISASTER, g, "deaths", ">=", t)
            for g, t in ((1, 100), (2, 30), (3, 10), (4, 1))
        ]
        + [GradingRule(Category.NATURAL_DISASTER, 3, "relocated_people", ">=", 10_000)]
    )
    nd = [
        IncidentFacts(
            Category.NATURAL_DISASTER,
            rng.randint(0, 150),
            indicators={"relocated_people": rng.randint(0, 20_000)},
        )
        for _ in range(50_000)
    ]

    def run_table() -> None:
        for f in nd:
            grade_incident(f, table)

    t0 = datetime(2024, 7, 1, 10, tzinfo=CHINA_TZ)
    clocks = [
        IncidentClock(Category.ACCIDENT, t0, grade=rng.randint(1, 4), subtype=rng.choice([None, "fire"]))
        for _ in range(10_000)
    ]
    now = t0 + timedelta(hours=3)

    def run_deadlines() -> None:
        for c in clocks:
            compute_deadlines(c, now=now)

    results = [
        best_rate("grade_accident (493, single core)", n, run_accidents),
        best_rate("grade_incident(IncidentFacts) accident", len(facts), run_facts),
        best_rate("grade_incident rule table (5 rules)", len(nd), run_table),
        best_rate("compute_deadlines accident", len(clocks), run_deadlines),
    ]
    target = 100_000
    ok = int(results[0]["per_s"]) >= target
    print(f"target >= {target:,} gradings/s: {'OK' if ok else 'BELOW TARGET'}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "engine": "incidents",
                "python": platform.python_version(),
                "machine": platform.machine(),
                "target_gradings_per_s": target,
                "meets_target": ok,
                "results": results,
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
