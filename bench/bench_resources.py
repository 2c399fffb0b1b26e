"""Benchmark: stock balances and the reserve-quota shortfall report over 10 years of movements.

Plain script (not a test). Own throw-away SQLite database under var/bench/. Generates with
``bulk_create`` a county of 30 depots, 200 catalogue items, ~6,000 lots and **1,000,000
ledger rows** spread over 10 years (each lot's running balance maintained as the rows are
generated, exactly as the services do), plus 2,000 reserve quotas. Then times (warm, 30 runs
each, p50/p95 in ms):

* ``stock_balances`` for the whole county and for one depot (grouped over the lots' running
  balances; the ledger is not scanned);
* ``shortfall`` for the county and for one township (quotas vs. available unexpired stock);
* the stock card of one (depot, item) recomputed from the ledger, and one lot's ledger sum;
* once: ``ledger_mismatches`` over all lots (full re-derivation of every balance from 1e6 rows).

Goal: balances and shortfall p95 < 200 ms. Writes bench/results/resources.json.
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "var" / "bench"
DB = BENCH / "resources.sqlite3"
RESULTS = ROOT / "bench" / "results" / "resources.json"
MOVEMENTS = int(os.environ.get("BENCH_RESOURCES_ROWS", "1000000"))
DEPOTS, ITEMS, BATCHES = 30, 200, 2
RUNS = 30
GOAL_MS = 200.0

sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingji.config.settings_test")
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"


def timed(fn: Callable[[], object], runs: int = RUNS) -> dict[str, float]:
    """p50/p95/max of ``fn`` in milliseconds over ``runs`` warm calls."""
    fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2),
        "max_ms": round(samples[-1], 2),
    }


def main() -> int:
    BENCH.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(DB) + suffix).unlink(missing_ok=True)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import OuterRef, Subquery

    from yingji.apps.accounts.services import create_user, grant_role
    from yingji.apps.directory.models import AdministrativeDivision
    from yingji.apps.directory.services import load_reference_data
    from yingji.apps.resources import selectors
    from yingji.apps.resources.models import (
        Depot,
        ReserveQuota,
        StockLot,
        StockMovement,
        SupplyClass,
        SupplyItem,
    )

    t_setup = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_reference_data(ROOT / "data" / "yanqi" / "reference.json")
    county = AdministrativeDivision.objects.get(code=settings.YINGJI_COUNTY_CODE)
    townships = list(AdministrativeDivision.objects.filter(level="township").order_by("code"))
    admin = create_user(actor=None, username="bench-admin", password="bench-Secret-1")
    grant_role(admin, actor=None, role="admin", division=county)
    rng = random.Random(652826)
    klass = SupplyClass.objects.get(code="05")

    depots = Depot.objects.bulk_create(
        Depot(
            code=f"BK-{i:03d}",
            name=f"储备库{i}",
            owner_kind="township" if i else "bureau",
            division=townships[i % len(townships)] if i else county,
            lon=86.4 + rng.random() * 0.4,
            lat=41.9 + rng.random() * 0.3,
        )
        for i in range(DEPOTS)
    )
    items = SupplyItem.objects.bulk_create(
        SupplyItem(code=f"BI-{i:04d}", name=f"物资{i}", supply_class=klass, unit="件", shelf_life_days=3650)
        for i in range(ITEMS)
    )
    start = datetime(2015, 1, 1, tzinfo=UTC)
    lots = StockLot.objects.bulk_create(
        StockLot(
            depot=d,
            item=it,
            batch=f"B{b}",
            production_date=(start + timedelta(days=rng.randint(0, 3000))).date(),
            expiry_date=(start + timedelta(days=rng.randint(3000, 4500))).date(),
        )
        for d in depots
        for it in items
        if rng.random() < 0.5
        for b in range(BATCHES)
    )
    ReserveQuota.objects.bulk_create(
        ReserveQuota(division=t, item=it, basis="per_1000", quantity=Decimal(rng.randint(1, 20)))
        for t in townships
        for it in items
    )
    setup_s = time.perf_counter() - t_setup

    # 1e6 ledger rows over 10 years, running balance per lot kept as the services keep it.
    t_gen, cpu_gen = time.perf_counter(), time.process_time()
    balance = {lot.pk: Decimal(0) for lot in lots}
    per_lot = {lot.pk: (lot.depot_id, lot.item_id) for lot in lots}
    lot_ids = list(balance)
    span = 10 * 365 * 86400
    chunk: list[StockMovement] = []
    with transaction.atomic():
        for n in range(MOVEMENTS):
            lot_id = lot_ids[n % len(lot_ids)]
            when = start + timedelta(seconds=span * n // MOVEMENTS)
            bal = balance[lot_id]
            if bal <= 0 or rng.random() < 0.55:
                qty, kind = Decimal(rng.randint(1, 200)), "receive"
            else:
                qty, kind = -min(bal, Decimal(rng.randint(1, 150))), "issue"
                if qty == 0:
                    qty, kind = Decimal(1), "receive"
            bal += qty
            balance[lot_id] = bal
            depot_id, item_id = per_lot[lot_id]
            chunk.append(
                StockMovement(
                    lot_id=lot_id,
                    depot_id=depot_id,
                    item_id=item_id,
                    kind=kind,
                    quantity=qty,
                    balance_after=bal,
                    occurred_at=when,
                )
            )
            if len(chunk) >= 20000:
                StockMovement.objects.bulk_create(chunk, batch_size=5000)
                chunk = []
        if chunk:
            StockMovement.objects.bulk_create(chunk, batch_size=5000)
        # each lot's running balance = the balance after its last ledger row (one UPDATE)
        last = StockMovement.objects.filter(lot=OuterRef("pk")).order_by("-occurred_at", "-id")
        StockLot.objects.update(quantity_on_hand=Subquery(last.values("balance_after")[:1]))
    generate_s = time.perf_counter() - t_gen
    generate_cpu_s = time.process_time() - cpu_gen
    print(
        f"generated {MOVEMENTS:,} ledger rows, {len(lots):,} lots, {len(depots)} depots, {len(items)} items "
        f"in {generate_s:.1f} s wall, {generate_cpu_s:.1f} s CPU of this process (setup {setup_s:.1f} s)"
    )

    depot = depots[1]
    town = townships[1]
    card_lot = lots[0]
    card_depot = Depot.objects.get(pk=card_lot.depot_id)
    card_item = SupplyItem.objects.get(pk=card_lot.item_id)
    from django.db.models import Sum

    figures = {
        "stock_balances_county": timed(lambda: selectors.stock_balances(admin)),
        "stock_balances_one_depot": timed(lambda: selectors.stock_balances(admin, depot=depot)),
        "shortfall_county": timed(lambda: selectors.shortfall(admin)),
        "shortfall_one_township": timed(lambda: selectors.shortfall(admin, division=town)),
        "stock_card_one_depot_item": timed(
            lambda: selectors.stock_card(admin, depot=card_depot, item=card_item), runs=10
        ),
        "ledger_sum_one_lot": timed(
            lambda: StockMovement.objects.filter(lot=card_lot).aggregate(s=Sum("quantity"))
        ),
    }
    t0 = time.perf_counter()
    mismatches = selectors.ledger_mismatches()
    verify_s = time.perf_counter() - t0
    assert mismatches == [], mismatches[:5]
    card_rows = len(selectors.stock_card(admin, depot=card_depot, item=card_item)[1])
    for name, f in figures.items():
        print(f"{name:<28} p50 {f['p50_ms']:8.2f} ms   p95 {f['p95_ms']:8.2f} ms   max {f['max_ms']:8.2f} ms")
    print(f"stock card rows: {card_rows:,}; full ledger verification of {len(lots):,} lots: {verify_s:.2f} s")
    goal_keys = [
        "stock_balances_county",
        "stock_balances_one_depot",
        "shortfall_county",
        "shortfall_one_township",
    ]
    met = all(figures[k]["p95_ms"] < GOAL_MS for k in goal_keys)
    print(f"goal p95 < {GOAL_MS:.0f} ms for balances and shortfall: {'met' if met else 'NOT met'}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "resources",
                "database": "sqlite (WAL)",
                "machine": {
                    "python": platform.python_version(),
                    "cpus": os.cpu_count(),
                    "platform": platform.platform(),
                },
                "ledger_rows": MOVEMENTS,
                "lots": len(lots),
                "depots": len(depots),
                "items": len(items),
                "quotas": len(townships) * len(items),
                "generate_s": round(generate_s, 1),
                "generate_cpu_s": round(generate_cpu_s, 1),
                "load_average_1min": round(os.getloadavg()[0], 2),
                "figures": figures,
                "stock_card_rows": card_rows,
                "full_ledger_verification_s": round(verify_s, 2),
                "goal_p95_ms": GOAL_MS,
                "goal_met": met,
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
