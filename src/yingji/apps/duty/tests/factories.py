"""factory_boy factories and helpers for duty records (tests only)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import factory

from yingji.apps.directory.models import AdministrativeDivision
from yingji.apps.duty.models import DutyRoster, Shift

SH = ZoneInfo("Asia/Shanghai")


class RosterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DutyRoster

    name = factory.Sequence(lambda n: f"测试值班表{n}")
    division = factory.LazyFunction(lambda: AdministrativeDivision.objects.get(code="652826000000"))
    officers_required = 1


def make_shift(
    roster: DutyRoster,
    start: datetime,
    hours: float = 24,
    *,
    leader: Any = None,
    officers: list[Any] | None = None,
    **extra: Any,
) -> Shift:
    """A stored shift (bypassing services: test set-up only)."""
    shift = Shift.objects.create(
        roster=roster, starts_at=start, ends_at=start + timedelta(hours=hours), leader=leader, **extra
    )
    shift.officers.set(officers or [])
    return shift
