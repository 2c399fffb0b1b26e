"""Escalation of overdue report deadlines: duty leaders first, then the bureau head.

Level 1 (at ``due_at``): users holding a ``duty_leader`` grant whose division scope covers
the incident's division. Level 2 (``YINGJI_ESCALATION_SECOND_LEVEL_MINUTES`` later, default
30): users holding ``commander`` (bureau head) or ``admin`` at county level. Each level is
reached once per deadline: ``escalate_deadline`` locks the incident and the deadline,
re-checks the state, and raises ``escalation_level`` in the same transaction as the
outbox messages (whose dedupe keys are per deadline, level and user), so Huey timers,
the periodic sweep, or a timer that fires twice after a restart notify exactly once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from yingji.apps.accounts.models import Grant
from yingji.apps.accounts.roles import Role
from yingji.apps.audit.services import record_change, snapshot
from yingji.apps.incidents.models import (
    DeadlineStatus,
    Incident,
    IncidentStatus,
    LogKind,
    ReportDeadline,
)
from yingji.apps.incidents.timeline import append_entry
from yingji.apps.notifications.services import notify_user, publish_desk_event

LEVEL_LABELS = {1: "带班领导", 2: "局主要负责人"}


def second_level_delay() -> timedelta:
    """Time from the first escalation (due time) to the second (default 30 min)."""
    return timedelta(minutes=float(getattr(settings, "YINGJI_ESCALATION_SECOND_LEVEL_MINUTES", 30)))


def duty_leaders_for(division: Any) -> list[Any]:
    """Active users with a ``duty_leader`` grant whose division scope covers ``division``."""
    grants = Grant.objects.filter(
        role=Role.DUTY_LEADER, user__is_active=True, organization__isnull=True
    ).select_related("user", "division")
    users = {g.user.pk: g.user for g in grants if division.code.startswith(g.division.scope_prefix)}
    return [users[k] for k in sorted(users)]


def bureau_heads() -> list[Any]:
    """Active users holding ``commander`` or ``admin`` at county level (no organisation binding)."""
    grants = Grant.objects.filter(
        role__in=[Role.COMMANDER, Role.ADMIN],
        user__is_active=True,
        organization__isnull=True,
        division__level="county",
    ).select_related("user")
    users = {g.user.pk: g.user for g in grants}
    return [users[k] for k in sorted(users)]


def recipients_for(level: int, incident: Incident) -> list[Any]:
    """Who is notified at escalation ``level`` (1 duty leaders, 2 bureau head)."""
    return duty_leaders_for(incident.division) if level == 1 else bureau_heads()


def target_level(deadline: ReportDeadline, now: datetime) -> int:
    """Escalation level a deadline should have reached at ``now``: 0, 1 (overdue) or 2."""
    if deadline.met_at is not None or now < deadline.due_at:
        return 0
    return 2 if now >= deadline.due_at + second_level_delay() else 1


def escalate_deadline(deadline_id: int, *, now: datetime | None = None) -> int:
    """Bring one deadline's escalation up to date at ``now``; idempotent.

    Locks the incident and the deadline, does nothing when the incident is closed, the
    deadline met or not yet due, or the level already reached. Otherwise, for each level
    not yet reached: queues in-app/email/SMS messages to that level's recipients, appends
    a timeline entry, marks the deadline ``missed``, and publishes a critical desk event
    after commit.

    Returns:
        The deadline's escalation level afterwards (0 when it does not exist).
    """
    now = now or timezone.now()
    incident_id = ReportDeadline.objects.filter(pk=deadline_id).values_list("incident_id", flat=True).first()
    if incident_id is None:
        return 0
    with transaction.atomic():
        incident = (
            Incident.objects.select_for_update(of=("self",)).select_related("division").get(pk=incident_id)
        )
        deadline = ReportDeadline.objects.select_for_update().get(pk=deadline_id)
        target = target_level(deadline, now)
        if incident.status != IncidentStatus.OPEN or target <= deadline.escalation_level:
            return deadline.escalation_level
        before = snapshot(deadline)
        url = reverse("incidents:detail", args=[incident.pk])
        due = timezone.localtime(deadline.due_at)
        for level in range(deadline.escalation_level + 1, target + 1):
            people = recipients_for(level, incident)
            subject = f"报告超时：{incident.title}"
            body = (
                f"{deadline.description_zh}，截止 {due:%m-%d %H:%M}，尚未报送。"
                f"请督促值班员立即报送（提醒{LEVEL_LABELS[level]}）。"
            )
            for user in people:
                notify_user(
                    user,
                    subject=subject,
                    body=body,
                    url=url,
                    severity="critical",
                    dedupe_key=f"incidents.deadline:{deadline.pk}:level{level}:user{user.pk}",
                )
            names = "、".join(str(u) for u in people) or "（无接收人）"
            append_entry(
                incident,
                kind=LogKind.ESCALATION
                if level > 1 or deadline.escalation_level
                else LogKind.DEADLINE_MISSED,
                summary=f"{deadline.description_zh} 已超时，已提醒{LEVEL_LABELS[level]}：{names}",
                at=now,
                payload={"deadline": deadline.key, "level": level, "recipients": [u.pk for u in people]},
            )
        deadline.escalation_level = target
        deadline.escalated_at = now
        deadline.status = DeadlineStatus.MISSED
        deadline.save(update_fields=["escalation_level", "escalated_at", "status", "updated_at"])
        record_change(deadline, "update", before, actor=None)
        publish_desk_event(
            kind="deadline.overdue",
            title=f"报告超时（已提醒{LEVEL_LABELS[target]}）：{incident.title} · {deadline.description_zh}"[
                :200
            ],
            url=url,
            severity="critical",
            division=incident.division,
        )
    return target


def overdue_deadline_ids(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Ids of unmet deadlines of open incidents whose next escalation level is due at ``now``."""
    now = now or timezone.now()
    qs = ReportDeadline.objects.filter(
        met_at__isnull=True, incident__status=IncidentStatus.OPEN, escalation_level__lt=2
    ).filter(
        Q(escalation_level=0, due_at__lte=now) | Q(escalation_level=1, due_at__lte=now - second_level_delay())
    )
    return list(qs.order_by("due_at", "id").values_list("id", flat=True)[:limit])


def escalate_overdue(*, now: datetime | None = None) -> list[tuple[int, int]]:
    """Escalate every deadline that is due for it at ``now``; returns ``[(deadline id, level), ...]``."""
    now = now or timezone.now()
    return [(pk, escalate_deadline(pk, now=now)) for pk in overdue_deadline_ids(now=now)]
