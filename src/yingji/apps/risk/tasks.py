"""Huey tasks of the prevention app: escalation of listed hidden hazards (挂牌督办)."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yingji.apps.risk import hazard_services
from yingji.apps.risk.models import HazardGrade, HazardStatus, HiddenHazard


def hazards_due_for_supervision(today: datetime.date) -> list[int]:
    """Ids of open hazards that are major or past their deadline (candidates for listing/escalation)."""
    return list(
        HiddenHazard.objects.exclude(status__in=[HazardStatus.CLOSED, HazardStatus.VERIFIED])
        .filter(Q(grade=HazardGrade.MAJOR) | Q(deadline__lt=today))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@db_periodic_task(crontab(minute="15", hour="*"))
def escalate_overdue_hidden_hazards_task(today_iso: str | None = None) -> int:
    """Hourly: list major/overdue hazards for supervision and escalate long-overdue ones.

    Returns:
        Number of hazards changed (0 on a re-run the same day: idempotent).
    """
    today = datetime.date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    changed = 0
    for hazard_id in hazards_due_for_supervision(today):
        if hazard_services.escalate_hidden_hazard(hazard_id, today=today) is not None:
            changed += 1
    return changed
