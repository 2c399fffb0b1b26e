"""Benchmark of the duty desk with ten years of history (1e5 incidents) and of grading through the app.

Run: ``python bench/bench_incidents_desk.py [--incidents N]``. Uses its own throw-away SQLite
database under ``var/bench/`` (re-created each run), Django's test client, a county-level duty
officer. Prints the figures and writes ``bench/results/incidents_desk.json``.
Targets: desk page p95 < 200 ms with 1e5 incidents; grading >= 100 000 evaluations/s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB = ROOT / "var" / "bench" / "incidents_desk.sqlite3"
RESULTS = ROOT / "bench" / "results" / "incidents_desk.json"


def _setup(reuse: bool) -> None:
    DB.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        if not reuse:
            Path(str(DB) + suffix).unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "yingji.config.settings_test"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _seed(n: int, rng: random.Random) -> dict[str, float]:
    from django.utils import timezone

    from yingji.apps.accounts.services import create_user, grant_role
    from yingji.apps.directory.models import AdministrativeDivision
    from yingji.apps.directory.services import load_reference_data
    from yingji.apps.incidents import clocks
    from yingji.apps.incidents.models import Incident, IncidentType
    from yingji.apps.incidents.services import create_incident

    t0 = time.perf_counter()
    load_reference_data(ROOT / "data" / "yanqi" / "reference.json")
    county = AdministrativeDivision.objects.get(code="652826000000")
    townships = list(AdministrativeDivision.objects.filter(level="township"))
    types = list(IncidentType.objects.filter(level=3, category="accident"))
    user = create_user(actor=None, username="bench-duty", password="bench-Secret-1")
    grant_role(user, actor=None, role="duty_officer", division=county)
    now = timezone.now()
    batch: list[Incident] = []
    for i in range(n):
        occurred = now - timedelta(minutes=rng.randint(60, 10 * 365 * 24 * 60))
        kind = rng.choice(types)
        inc = Incident(
            number=f"B{i:07d}",
            title=f"历史事件 {i}",
            category=kind.category,
            incident_type=kind,
            source="phone",
            occurred_at=occurred,
            reported_at=occurred + timedelta(minutes=rng.randint(1, 50)),
            division=rng.choice(townships),
            lon=86.4 + rng.random() * 0.3,
            lat=42.0 + rng.random() * 0.1,
            deaths=rng.choice([0, 0, 0, 1, 2, 3]),
            serious_injuries=rng.choice([0, 0, 1, 5, 12]),
            status="closed",
            closed_at=occurred + timedelta(days=3),
            is_demo=True,
        )
        grading = clocks.grade_of(inc)
        inc.grade, inc.grade_reasons, inc.grade_source = grading.grade, list(grading.reasons), grading.source
        batch.append(inc)
        if len(batch) == 5000:
            Incident.objects.bulk_create(batch)
            batch = []
    Incident.objects.bulk_create(batch)
    seeded = time.perf_counter() - t0
    # 40 open incidents taken in through the real service (grading, clocks, timeline)
    for i in range(40):
        create_incident(
            actor=user,
            incident_type=rng.choice(types),
            allow_duplicate=True,
            title=f"处置中事件 {i}",
            source="phone",
            occurred_at=now - timedelta(minutes=rng.randint(10, 600)),
            reported_at=now - timedelta(minutes=5),
            division=rng.choice(townships),
            deaths=rng.choice([0, 1, 3]),
        )
    return {"seed_s": round(seeded, 1)}


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _time_pages(rounds: int) -> dict[str, dict[str, float]]:
    from django.test import Client

    from yingji.apps.accounts.models import User
    from yingji.apps.incidents.models import Incident

    client = Client()
    client.force_login(User.objects.get(username="bench-duty"))
    open_pk = Incident.objects.filter(status="open").order_by("-id").values_list("pk", flat=True).first()
    pages = {
        "desk (open)": "/incidents/",
        "desk partial (htmx refresh)": "/incidents/?partial=1",
        "all incidents, page 1": "/incidents/?status=all",
        "all incidents, page 1000": "/incidents/?status=all&page=1000",
        "search by title": "/incidents/?status=all&q=%E5%8E%86%E5%8F%B2%E4%BA%8B%E4%BB%B6%2099",
        "incident detail": f"/incidents/{open_pk}/",
        "map layer": "/incidents/map-layer.json",
    }
    out: dict[str, dict[str, float]] = {}
    for label, url in pages.items():
        headers = {"HTTP_HX_REQUEST": "true"} if "partial" in url else {}
        client.get(url, **headers)  # warm
        times = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            response = client.get(url, **headers)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        out[label] = {
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(_p(times, 0.95), 1),
            "max_ms": round(max(times), 1),
        }
    return out


def _grading_rate(rng: random.Random) -> dict[str, float]:
    from yingji.apps.incidents import clocks
    from yingji.apps.incidents.models import Incident, IncidentType
    from yingji.engines.incidents import grade_accident

    kind = IncidentType.objects.filter(category="accident", level=3).first()
    samples = [
        Incident(
            category="accident",
            incident_type=kind,
            deaths=rng.randint(0, 40),
            serious_injuries=rng.randint(0, 120),
            direct_loss_cny=rng.randint(0, 200_000_000),
        )
        for _ in range(20000)
    ]
    best_app = best_engine = 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        for inc in samples:
            clocks.grade_of(inc)
        best_app = max(best_app, len(samples) / (time.perf_counter() - t0))
        t0 = time.perf_counter()
        for inc in samples:
            grade_accident(inc.deaths, inc.serious_injuries, int(inc.direct_loss_cny))
        best_engine = max(best_engine, len(samples) / (time.perf_counter() - t0))
    return {"app_grade_of_per_s": round(best_app), "engine_grade_accident_per_s": round(best_engine)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--reuse", action="store_true", help="time the pages on the last run's database")
    ns = parser.parse_args()
    rng = random.Random(3)
    reuse = ns.reuse and DB.exists()
    _setup(reuse)
    seed = {"seed_s": 0.0} if reuse else _seed(ns.incidents, rng)
    pages = _time_pages(ns.rounds)
    grading = _grading_rate(rng)
    result = {
        "benchmark": "incidents desk",
        "incidents": ns.incidents,
        "rounds": ns.rounds,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "database": "sqlite (WAL)",
        "load_average_1m": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        **seed,
        "pages": pages,
        "grading": grading,
        "targets": {"desk_p95_ms": 200, "gradings_per_s": 100_000},
        "desk_p95_ok": pages["desk (open)"]["p95_ms"] < 200,
        "grading_ok": grading["engine_grade_accident_per_s"] >= 100_000,
    }
    for label, figures in pages.items():
        print(f"{label:32s} p50 {figures['p50_ms']:7.1f} ms   p95 {figures['p95_ms']:7.1f} ms")
    print(f"grading through the app (clocks.grade_of): {grading['app_grade_of_per_s']:,}/s")
    print(f"grading in the engine (grade_accident):    {grading['engine_grade_accident_per_s']:,}/s")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
