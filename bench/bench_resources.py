"""Benchmark: stock balances and the reserve-quota shortfall report over 10 years of movements.

Plain script (not a test). Own SQLite database under var/bench/, **cached**: the fixture is keyed
by seed and ledger size (``resources-s<seed>-n<rows>.sqlite3``) plus a fingerprint of the
migrations and of this generator, recorded in a ``.json`` marker written only after the fixture
is complete; a second run with the same key reuses it (the output says so), anything else
rebuilds it. ``BENCH_RESOURCES_SEED`` / ``BENCH_RESOURCES_ROWS`` change the key,
``BENCH_RESOURCES_REBUILD=1`` forces a rebuild.

The fixture: a county of 30 depots, 200 catalogue items, ~6,000 lots, 2,000 reserve quotas and
**1,000,000 ledger rows** over 10 years (2015–2024), deterministic from the seed. The ledger is
written the way ``services.stock.post_movement`` writes it, only in bulk: per lot, movements in
(occurred_at, id) order, each row's ``balance_after`` = previous balance + ``quantity`` (never
negative, never a zero quantity: the table's CHECK constraints hold), ``actor`` the acting user,
and each lot's cached running balance ``quantity_on_hand`` = the sum of its rows (nothing
reserved). It is inserted with ``executemany`` through Django's connection in one transaction,
the ledger's secondary indexes dropped during the load and recreated after it (same DDL). Audit
records (one per movement when the services write) are not generated: no benchmarked read
touches them. Checks before timing: a service-written movement (``receive_stock``, rolled back)
has the same column storage types as a generated one; for a seeded sample of 200 lots the
running balances replay row by row and ``quantity_on_hand`` equals the ledger sum; after timing,
``ledger_mismatches`` re-derives every lot's balance from all 1e6 rows.

Then times (warm, 30 runs each, p50/p95 in ms):

* ``stock_balances`` for the whole county and for one depot (grouped over the lots' running
  balances; the ledger is not scanned);
* ``shortfall`` for the county and for one township (quotas vs. available unexpired stock);
* the stock card of one (depot, item) recomputed from the ledger, and one lot's ledger sum;
* once: ``ledger_mismatches`` over all lots (full re-derivation of every balance from 1e6 rows).

Goal: balances and shortfall p95 < 200 ms. Writes bench/results/resources.json.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results" / "resources.json"
SEED = int(os.environ.get("BENCH_RESOURCES_SEED", "652826"))
MOVEMENTS = int(os.environ.get("BENCH_RESOURCES_ROWS", "1000000"))
REBUILD = os.environ.get("BENCH_RESOURCES_REBUILD", "") == "1"
DB = BENCH / f"resources-s{SEED}-n{MOVEMENTS}.sqlite3"
MARKER = DB.with_suffix(".json")
LEGACY_DB = BENCH / "resources.sqlite3"  # the uncached fixture of earlier versions
GENERATOR_VERSION = 2  # bump when the generated data changes
DEPOTS, ITEMS, BATCHES = 30, 200, 2
RUNS = 30
GOAL_MS = 200.0
SAMPLE_LOTS = 200
CHUNK = 50_000
START = datetime(2015, 1, 1, tzinfo=UTC)
SPAN_S = 10 * 365 * 86400

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


def fixture_key() -> dict[str, Any]:
    """What a cached fixture must match: seed, size, generator version, migrations fingerprint.

    The fingerprint is a SHA-256 over every migration file's path and bytes, so any schema
    change rebuilds the fixture.
    """
    digest = hashlib.sha256()
    for path in sorted((ROOT / "src" / "yingji" / "apps").glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return {
        "seed": SEED,
        "rows": MOVEMENTS,
        "generator": GENERATOR_VERSION,
        "migrations_sha256": digest.hexdigest()[:16],
    }


def cached_fixture(key: dict[str, Any]) -> dict[str, Any] | None:
    """The marker of a complete cached fixture with this ``key``, or None (then delete leftovers)."""
    if not REBUILD and DB.exists() and MARKER.exists():
        try:
            marker = json.loads(MARKER.read_text(encoding="utf-8"))
        except ValueError:
            marker = {}
        if marker.get("key") == key:
            return marker
    for path in (DB, MARKER, Path(f"{DB}-wal"), Path(f"{DB}-shm")):
        path.unlink(missing_ok=True)
    return None


def ledger_rows(
    rng: random.Random, lots: list[tuple[int, int, int]], actor_id: int, balance: dict[int, int]
) -> Iterator[tuple[Any, ...]]:
    """The ledger, oldest first, as INSERT parameter tuples (see ``LEDGER_COLUMNS``).

    Lots in turn (row ``n`` goes to lot ``n mod len(lots)``), times evenly spread over
    ten years from 2015-01-01 UTC (whole seconds). A lot with nothing on hand receives
    1–200; otherwise 55 % receipts of 1–200, 45 % issues of 1–150 capped at the balance.
    ``balance`` (lot id → units) is updated as rows are produced: afterwards it holds
    each lot's final balance. Quantities are whole units (stored as SQLite integers, as
    Django stores ``Decimal("37")``); times as Django's SQLite backend stores an aware
    datetime (naive UTC, ``str()``).
    """
    naive_start = START.replace(tzinfo=None)
    n_lots = len(lots)
    randint, random_ = rng.randint, rng.random
    for n in range(MOVEMENTS):
        lot_id, depot_id, item_id = lots[n % n_lots]
        bal = balance[lot_id]
        if bal <= 0 or random_() < 0.55:
            qty, kind = randint(1, 200), "receive"
        else:
            qty, kind = -min(bal, randint(1, 150)), "issue"
        bal += qty
        balance[lot_id] = bal
        when = str(naive_start + timedelta(seconds=SPAN_S * n // MOVEMENTS))
        yield (lot_id, depot_id, item_id, kind, qty, bal, when, actor_id, None, "", "", False)


LEDGER_COLUMNS = (
    "lot",
    "depot",
    "item",
    "kind",
    "quantity",
    "balance_after",
    "occurred_at",
    "actor",
    "dispatch_order",
    "reference",
    "note",
    "is_demo",
)


def generate() -> dict[str, Any]:
    """Build the fixture in the (empty) database ``DB``; returns counts and timings."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    from yingji.apps.accounts.services import create_user, grant_role
    from yingji.apps.directory.models import AdministrativeDivision
    from yingji.apps.directory.services import load_reference_data
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
    rng = random.Random(SEED)
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
    lots = StockLot.objects.bulk_create(
        StockLot(
            depot=d,
            item=it,
            batch=f"B{b}",
            production_date=(START + timedelta(days=rng.randint(0, 3000))).date(),
            expiry_date=(START + timedelta(days=rng.randint(3000, 4500))).date(),
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

    t_gen, cpu_gen = time.perf_counter(), time.process_time()
    meta = StockMovement._meta
    table = meta.db_table
    columns = ", ".join(connection.ops.quote_name(meta.get_field(f).column) for f in LEDGER_COLUMNS)
    insert = f"INSERT INTO {connection.ops.quote_name(table)} ({columns}) VALUES ({', '.join(['%s'] * 12)})"
    lot_keys = [(lot.pk, lot.depot_id, lot.item_id) for lot in lots]
    balance = {lot.pk: 0 for lot in lots}
    rows = ledger_rows(rng, lot_keys, admin.pk, balance)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("PRAGMA cache_size = -262144")  # 256 MiB page cache for the index builds
        cur.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
            [table],
        )
        indexes = cur.fetchall()
        for name, _sql in indexes:
            cur.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        while chunk := [row for _, row in zip(range(CHUNK), rows, strict=False)]:
            cur.executemany(insert, chunk)
        for _name, sql in indexes:
            cur.execute(sql)
        # each lot's cached running balance = the balance after its last ledger row
        lot_table = connection.ops.quote_name(StockLot._meta.db_table)
        cur.executemany(
            f"UPDATE {lot_table} SET quantity_on_hand = %s WHERE id = %s",
            [(bal, pk) for pk, bal in balance.items()],
        )
    generate_s = time.perf_counter() - t_gen
    return {
        "lots": len(lots),
        "depots": len(depots),
        "items": len(items),
        "quotas": len(townships) * len(items),
        "setup_s": round(setup_s, 1),
        "generate_s": round(generate_s, 1),
        "generate_cpu_s": round(time.process_time() - cpu_gen, 1),
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


class _Rollback(Exception):
    pass


def check_fixture(admin: Any) -> dict[str, Any]:
    """Check the cached/generated fixture before timing; raises AssertionError on any mismatch.

    * a movement written by ``services.stock.receive_stock`` (in a rolled-back transaction)
      stores every ledger column with the same SQLite type as a generated one;
    * for ``SAMPLE_LOTS`` seeded lots: replaying the ledger in (occurred_at, id) order gives
      each row's ``balance_after``, and the lot's ``quantity_on_hand`` = the ledger sum
      = the last ``balance_after``.
    """
    from django.db import connection, transaction
    from django.db.models import Sum

    from yingji.apps.resources.models import StockLot, StockMovement
    from yingji.apps.resources.services.stock import receive_stock

    meta = StockMovement._meta
    types_sql = ", ".join(f"typeof({meta.get_field(f).column})" for f in LEDGER_COLUMNS)
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cur:
        cur.execute(f"SELECT {types_sql} FROM {table} ORDER BY id LIMIT 1")
        generated = cur.fetchone()
    lot = StockLot.objects.select_related("depot", "item").order_by("pk").first()
    assert lot is not None
    try:
        with transaction.atomic():
            moved = receive_stock(
                actor=admin, depot=lot.depot, item=lot.item, quantity=Decimal(7), batch=lot.batch
            )
            with connection.cursor() as cur:
                cur.execute(f"SELECT {types_sql} FROM {table} WHERE id = %s", [moved.pk])
                service = cur.fetchone()
            raise _Rollback
    except _Rollback:
        pass
    # dispatch_order is NULL in both; everything else must be stored alike
    assert generated == service, f"generated row types {generated} != service-written {service}"

    pks = list(StockLot.objects.order_by("pk").values_list("pk", flat=True))
    sample = sorted(random.Random(SEED + 1).sample(pks, min(SAMPLE_LOTS, len(pks))))
    rows_checked = 0
    for sample_lot in StockLot.objects.filter(pk__in=sample).order_by("pk"):
        running = Decimal(0)
        for qty, after in sample_lot.movements.order_by("occurred_at", "id").values_list(
            "quantity", "balance_after"
        ):
            running += qty
            assert qty != 0 and after == running, (sample_lot.pk, qty, after, running)
            rows_checked += 1
        ledger_sum = sample_lot.movements.aggregate(s=Sum("quantity"))["s"] or Decimal(0)
        assert sample_lot.quantity_on_hand == ledger_sum == running, (
            sample_lot.pk,
            sample_lot.quantity_on_hand,
            ledger_sum,
        )
    return {"sample_lots": len(sample), "sample_rows_replayed": rows_checked, "column_types": list(generated)}


def main() -> int:
    BENCH.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        legacy = Path(str(LEGACY_DB) + suffix)
        if legacy.exists():
            legacy.unlink()
            print(f"removed the uncached fixture of earlier versions: {legacy.relative_to(ROOT)}")
    key = fixture_key()
    marker = cached_fixture(key)
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Sum

    from yingji.apps.accounts.models import User
    from yingji.apps.directory.models import AdministrativeDivision
    from yingji.apps.resources import selectors
    from yingji.apps.resources.models import Depot, StockLot, StockMovement, SupplyItem

    reused = marker is not None
    if marker is None:
        t0 = time.perf_counter()
        fixture = generate()
        connection.close()
        fixture["fixture_s"] = round(time.perf_counter() - t0, 1)
        MARKER.write_text(json.dumps({"key": key, **fixture}, indent=2) + "\n", encoding="utf-8")
        print(
            f"generated {MOVEMENTS:,} ledger rows, {fixture['lots']:,} lots, {fixture['depots']} depots, "
            f"{fixture['items']} items: ledger {fixture['generate_s']:.1f} s wall "
            f"({fixture['generate_cpu_s']:.1f} s CPU), schema + reference data + catalogue "
            f"{fixture['setup_s']:.1f} s, {fixture['fixture_s']:.1f} s in all; "
            f"cached as {DB.relative_to(ROOT)} (seed {SEED})"
        )
    else:
        fixture = {k: v for k, v in marker.items() if k != "key"}
        print(
            f"reusing cached fixture {DB.relative_to(ROOT)} (seed {SEED}, {MOVEMENTS:,} rows, generated "
            f"{fixture['generated_at']} in {fixture['fixture_s']:.1f} s; BENCH_RESOURCES_REBUILD=1 rebuilds)"
        )

    admin = User.objects.get(username="bench-admin")
    t0 = time.perf_counter()
    checks = check_fixture(admin)
    print(
        f"fixture checks: service-written and generated ledger rows stored alike; "
        f"{checks['sample_lots']} sampled lots replayed ({checks['sample_rows_replayed']:,} rows): "
        f"balance_after and quantity_on_hand = ledger sums ({time.perf_counter() - t0:.1f} s)"
    )

    depots = list(Depot.objects.order_by("pk"))
    town = AdministrativeDivision.objects.filter(level="township").order_by("code")[1]
    depot = depots[1]
    card_lot = StockLot.objects.order_by("pk").first()
    assert card_lot is not None
    card_depot = Depot.objects.get(pk=card_lot.depot_id)
    card_item = SupplyItem.objects.get(pk=card_lot.item_id)

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
    ledger_count = StockMovement.objects.count()
    assert ledger_count == MOVEMENTS, ledger_count
    card_rows = len(selectors.stock_card(admin, depot=card_depot, item=card_item)[1])
    for name, f in figures.items():
        print(f"{name:<28} p50 {f['p50_ms']:8.2f} ms   p95 {f['p95_ms']:8.2f} ms   max {f['max_ms']:8.2f} ms")
    print(
        f"stock card rows: {card_rows:,}; full ledger verification of {fixture['lots']:,} lots "
        f"({ledger_count:,} rows): {verify_s:.2f} s, no mismatch"
    )
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
                "seed": SEED,
                "lots": fixture["lots"],
                "depots": fixture["depots"],
                "items": fixture["items"],
                "quotas": fixture["quotas"],
                "fixture": {
                    "path": str(DB.relative_to(ROOT)),
                    "reused": reused,
                    "generated_at": fixture["generated_at"],
                    "setup_s": fixture["setup_s"],
                    "generate_s": fixture["generate_s"],
                    "generate_cpu_s": fixture["generate_cpu_s"],
                    "fixture_s": fixture["fixture_s"],
                },
                "fixture_checks": {k: v for k, v in checks.items() if k != "column_types"},
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
