"""Benchmark of the prevention app (Django layer; the pure engine has bench_risk.py).

Plain script. Own throw-away SQLite database under var/bench/. Times:

* ``record_inventory``: one audited inventory line incl. the unit's GB 18218 reassessment (lines/s),
  for 100 enterprises x 2 units x 5 lines;
* ``recompute_unit`` of a unit with 40 lines (ms);
* hidden-hazard statistics per township over 2,000 hazards (ms);
* four-colour map points for 100 enterprises (ms) and the Excel ledger export (s).

Writes bench/results/risk_app.json.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "var" / "bench"
DB = BENCH / "risk_app.sqlite3"
RESULTS = ROOT / "bench" / "results" / "risk_app.json"

sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingji.config.settings_test")
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"

SUBSTANCES = [
    ("氯", "7782-50-5"),
    ("氨", "7664-41-7"),
    ("甲醇", "67-56-1"),
    ("汽油", ""),
    ("二氧化硫", "7446-09-5"),
]


def main() -> int:
    BENCH.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(DB) + suffix).unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from yingji.apps.accounts.services import create_user, grant_role
    from yingji.apps.directory.models import AdministrativeDivision, Organization
    from yingji.apps.directory.services import load_reference_data
    from yingji.apps.risk import exports, hazard_services, selectors, services

    call_command("migrate", verbosity=0)
    load_reference_data(ROOT / "data" / "yanqi" / "reference.json")
    county = AdministrativeDivision.objects.get(code="652826000000")
    townships = list(AdministrativeDivision.objects.filter(level="township").order_by("code"))
    officer = create_user(actor=None, username="bench-officer", password="bench-Secret-1")
    grant_role(officer, actor=None, role="enforcement_officer", division=county)
    ents = [
        Organization.objects.create(
            name=f"基准企业{i}",
            kind="enterprise",
            division=townships[i % len(townships)],
            lon=86.57,
            lat=42.06,
        )
        for i in range(100)
    ]
    out: dict[str, object] = {}

    n = 0
    t0 = time.perf_counter()
    for ent in ents:
        for u in range(2):
            for s_i, (name, cas) in enumerate(SUBSTANCES):
                services.record_inventory(
                    actor=officer,
                    enterprise=ent,
                    unit_name=f"单元{u}",
                    substance_name=name,
                    cas=cas,
                    quantity_t=Decimal(5 + s_i),
                )
                n += 1
    elapsed = time.perf_counter() - t0
    out["record_inventory_lines_per_s"] = round(n / elapsed, 1)

    big = services.create_unit(actor=None, enterprise=ents[0], name="大单元")
    for i in range(40):
        services.record_inventory(
            actor=None,
            enterprise=ents[0],
            unit=big,
            substance_name=f"物质{i}",
            hazard_class="W5.4",
            quantity_t=Decimal(10),
        )
    t0 = time.perf_counter()
    for _ in range(20):
        with transaction.atomic():
            services.recompute_unit(big, actor=None)
    out["recompute_unit_40_lines_ms"] = round((time.perf_counter() - t0) / 20 * 1000, 2)

    when = datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC)
    for i in range(2000):
        hazard_services.report_hidden_hazard(
            actor=None,
            enterprise=ents[i % 100],
            title=f"隐患{i}",
            category="other",
            source="inspection",
            reported_at=when,
        )
    t0 = time.perf_counter()
    rows = selectors.hidden_hazard_statistics(officer, year=2026, quarter=1)
    out["statistics_2000_hazards_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    assert sum(r.total for r in rows) == 2000
    t0 = time.perf_counter()
    points = selectors.enterprise_map_points(officer)
    out["map_points_100_enterprises_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    assert len(points) == 100
    t0 = time.perf_counter()
    exports.ledger_workbook_response(officer)
    out["export_workbook_s"] = round(time.perf_counter() - t0, 2)

    for key, value in out.items():
        print(f"{key:>34}: {value}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "risk_app",
                "python": platform.python_version(),
                "machine": platform.machine(),
                "cpus": os.cpu_count(),
                "database": "sqlite",
                "results": out,
            },
            ensure_ascii=False,
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
