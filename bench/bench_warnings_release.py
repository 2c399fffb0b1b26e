"""Benchmark: fan-out of one county warning to 122,961 recipients (Yanqi, 2020 census), rendered and queued.

Plain script (not a test). Own throw-away SQLite database under var/bench/. Steps: load the Yanqi
reference data, create 122,961 synthetic SMS recipients spread over the 10 townships (set-up, not
timed), author → approve → release a county wind warning through the services, then time
``dissemination.fan_out`` (render each channel once + bulk_create the outbox rows in batches of 5,000).
Also times sending everything through the simulated adapter and through the loopback fake gateway
(HTTP, 1,000 messages per request). Writes bench/results/warnings_release.json.

Goal: fan-out (render + queue) of 122,961 deliveries ≤ 10 s. For comparison it also times the
plain ORM way (``bulk_create`` in batches of 5,000) on the same rows.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB = ROOT / "var" / "bench" / "warnings_release.sqlite3"
RECIPIENTS = int(os.environ.get("BENCH_RECIPIENTS", "122961"))
GOAL_S = 10.0

sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingji.config.settings_test")
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"


def _phase(name: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {name}", file=sys.stderr, flush=True)


def main() -> int:
    DB.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(DB) + suffix).unlink(missing_ok=True)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from yingji.apps.accounts.services import create_user, grant_role
    from yingji.apps.directory.models import AdministrativeDivision
    from yingji.apps.directory.services import load_reference_data
    from yingji.apps.warnings import delivery_tasks, dissemination, services
    from yingji.apps.warnings.channels import GatewayAdapter, SimulatedAdapter
    from yingji.apps.warnings.fake_gateway import FakeGateway
    from yingji.apps.warnings.models import Delivery, Dispatch, Recipient

    _phase("migrate")
    call_command("migrate", verbosity=0)
    load_reference_data(ROOT / "data" / "yanqi" / "reference.json")
    county = AdministrativeDivision.objects.get(code=settings.YINGJI_COUNTY_CODE)
    townships = list(AdministrativeDivision.objects.filter(level="township").order_by("code"))
    _phase("recipients")
    t0 = time.perf_counter()
    batch = []
    for i in range(RECIPIENTS):
        batch.append(
            Recipient(
                name=f"bench{i}",
                channel="sms",
                address=f"170{i:08d}",
                division=townships[i % len(townships)],
                is_demo=True,
            )
        )
        if len(batch) == 10_000:
            Recipient.objects.bulk_create(batch)
            batch = []
    Recipient.objects.bulk_create(batch)
    setup_s = time.perf_counter() - t0

    _phase("author, approve, release")
    people = {}
    for role in ("duty_officer", "duty_leader", "commander"):
        user = create_user(actor=None, username=f"bench-{role}", password="bench-Secret-1")
        grant_role(user, actor=None, role=role, division=county)
        people[role] = user
    w = services.create_warning(
        actor=people["duty_officer"],
        areas=[county],
        event="大风",
        severity="Moderate",
        headline="焉耆回族自治县发布大风黄色预警",
        description="预计今天夜间全县将出现8级以上大风。",
        instruction="加固围板、棚架等搭建物，减少户外活动。",
        expires=timezone.now() + timedelta(hours=12),
        blocked_channels=["email", "webhook", "broadcast", "loudspeaker"],
    )
    w = services.submit_warning(w, actor=people["duty_officer"])
    w = services.approve_warning(w, actor=people["duty_leader"])
    queued_task = delivery_tasks.fan_out_warning_task
    delivery_tasks.fan_out_warning_task = lambda pk: None  # measure fan-out on its own below
    try:
        t0 = time.perf_counter()
        w = services.release_warning(w, actor=people["commander"])
        release_s = time.perf_counter() - t0
    finally:
        delivery_tasks.fan_out_warning_task = queued_task

    _phase("fan-out")
    t0 = time.perf_counter()
    counts = dissemination.fan_out(w)
    fan_out_s = time.perf_counter() - t0
    queued = Delivery.objects.count()
    assert queued == RECIPIENTS, queued
    dispatch = Dispatch.objects.get(warning=w, channel="sms")

    _phase("baseline: bulk_create in batches of 5,000")
    baseline = Dispatch.objects.create(warning=w, channel="email", body="baseline")
    t0 = time.perf_counter()
    buffer = []
    for rid, division_id, address in Recipient.objects.values_list("id", "division_id", "address").iterator(
        5000
    ):
        buffer.append(Delivery(dispatch=baseline, recipient_id=rid, division_id=division_id, address=address))
        if len(buffer) == 5000:
            Delivery.objects.bulk_create(buffer)
            buffer = []
    Delivery.objects.bulk_create(buffer)
    bulk_create_s = time.perf_counter() - t0
    baseline.delete()

    _phase("send via fake gateway")
    t0 = time.perf_counter()
    with FakeGateway() as gw:
        sent = dissemination.send_dispatch(dispatch, adapter=GatewayAdapter(gw.url))
    gateway_s = time.perf_counter() - t0
    _phase("send simulated")
    Delivery.objects.update(state="queued", attempts=0)
    t0 = time.perf_counter()
    dissemination.send_dispatch(dispatch, adapter=SimulatedAdapter())
    simulated_s = time.perf_counter() - t0

    result = {
        "benchmark": "warnings_release",
        "recipients": RECIPIENTS,
        "population_basis": "Yanqi county total, 2020 census (122,961)",
        "fan_out_render_and_queue_s": round(fan_out_s, 3),
        "fan_out_rows_per_s": round(queued / fan_out_s),
        "goal_s": GOAL_S,
        "meets_goal": fan_out_s <= GOAL_S,
        "baseline_bulk_create_batches_s": round(bulk_create_s, 3),
        "release_service_s": round(release_s, 3),
        "send_via_fake_gateway_http_s": round(gateway_s, 3),
        "send_via_fake_gateway_outcomes": sent,
        "send_simulated_s": round(simulated_s, 3),
        "sms_segments": dispatch.segments,
        "recipient_setup_s": round(setup_s, 3),
        "channels": counts,
        "database": "SQLite (WAL) " + str(DB.relative_to(ROOT)),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "load_average_1min_at_end": round(os.getloadavg()[0], 2),
    }
    for key, value in result.items():
        print(f"{key}: {value}")
    out = ROOT / "bench" / "results" / "warnings_release.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
