"""Demo duty roster (示例): two weeks of 24-hour shifts for the county bureau, plus a few log entries.

Called by the demo seeder (``dashboards.demo``) with the demo accounts. Every row
is ``is_demo=True``. Idempotent: the roster is looked up by name, and shifts are
generated only for days of the period that have none yet.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from yingji.apps.accounts.roles import Role
from yingji.apps.duty import services
from yingji.apps.duty.models import DutyLogEntry, DutyRoster, LogKind, Shift
from yingji.engines.duty import RotationUnit, ShiftSlot

ROSTER_NAME = "县应急管理局值班表(示例)"
LEADER_ROLES = {Role.DUTY_LEADER, Role.COMMANDER}
OFFICER_ROLES = {Role.DUTY_OFFICER}
DEMO_CALLS = [
    ("示例村委会", "13800000001", "报告村内道路积水,已安排人员查看。"),
    ("示例化工有限公司", "09966021234", "报告例行检修,无异常。"),
    ("县气象局(示例)", "12121", "通报明日有大风天气,提醒做好防范。"),
    ("示例乡镇值班室", "13800000002", "报告辖区情况平稳。"),
]


@dataclass(frozen=True)
class DemoRosterResult:
    """What ``seed_demo_roster`` created."""

    roster: DutyRoster
    shifts_created: int
    log_entries_created: int


def _classify(users: Iterable[Any]) -> tuple[list[Any], list[Any]]:
    leaders, officers = [], []
    for user in users:
        roles = set(user.roles())
        if roles & LEADER_ROLES:
            leaders.append(user)
        elif roles & OFFICER_ROLES:
            officers.append(user)
    return leaders, officers


def seed_demo_roster(
    county: Any, users: Iterable[Any], *, days: int = 14, seed: int = 652826
) -> DemoRosterResult:
    """Create (or top up) the demo roster of the county bureau.

    Args:
        county: the county ``AdministrativeDivision``.
        users: the demo accounts; those with the duty-leader or commander role become
            leaders (带班领导), duty officers become officers (值班员), others are ignored.
        days: days from today (Asia/Shanghai) to cover with 24 h shifts from 08:00;
            the roster also covers yesterday so that someone is on duty right now.
        seed: seed of the random choice of demo log entries.

    Rows are written as the first leader (the demo leader holds the duty permissions).

    Returns:
        ``DemoRosterResult`` with counts of what this call created.

    Raises:
        ValueError: no leader or no officer among ``users``.
    """
    leaders, officers = _classify(users)
    if not leaders or not officers:
        raise ValueError("seed_demo_roster needs at least one duty leader/commander and one duty officer")
    rng = random.Random(seed)
    tz = services.local_tz()
    today = timezone.localtime(timezone.now(), tz).date()
    start_day = today - timedelta(days=1)
    end_day = today + timedelta(days=days - 1)
    with transaction.atomic():
        roster = DutyRoster.objects.filter(name=ROSTER_NAME, division=county).first()
        if roster is None:
            roster = services.create_roster(
                actor=leaders[0],
                name=ROSTER_NAME,
                division=county,
                officers_required=1,
                description="由代码生成的示例排班(24小时班,08:00交接)。",
                is_demo=True,
            )
        first_free = start_day
        last = Shift.objects.filter(roster=roster).order_by("-starts_at").first()
        if last is not None:
            first_free = max(start_day, timezone.localtime(last.starts_at, tz).date() + timedelta(days=1))
        created = 0
        if first_free <= end_day:
            result = services.generate_rotation(
                roster,
                actor=leaders[0],
                starts_on=first_free,
                ends_on=end_day,
                slots=[ShiftSlot(time(8), timedelta(hours=24), "全天")],
                leaders=leaders,
                officers=officers,
                officers_per_shift=1,
                leader_rotation=RotationUnit.DAY,
                is_demo=True,
            )
            created = len(result.shifts)
        logged = 0
        if not DutyLogEntry.objects.filter(division=county, is_demo=True).exists():
            now = timezone.now()
            author = officers[0]
            for i, (who, number, summary) in enumerate(rng.sample(DEMO_CALLS, k=3)):
                services.add_duty_log_entry(
                    actor=author,
                    kind=LogKind.CALL_IN,
                    division=county,
                    occurred_at=now - timedelta(minutes=40 * (i + 1) + rng.randint(0, 20)),
                    caller_name=who,
                    caller_number=number,
                    summary=summary,
                    is_demo=True,
                )
                logged += 1
            services.add_duty_log_entry(
                actor=author,
                kind=LogKind.INSTRUCTION,
                division=county,
                occurred_at=now - timedelta(minutes=10),
                instructed_by=str(leaders[0]),
                summary="加强夜间值守,有情况及时报告。",
                is_demo=True,
            )
            logged += 1
    return DemoRosterResult(roster=roster, shifts_created=created, log_entries_created=logged)
