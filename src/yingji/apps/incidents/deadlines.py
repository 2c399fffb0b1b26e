"""Keeping an incident's stored ``ReportDeadline`` rows in step with the engine's deadlines."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from yingji.apps.incidents import clocks
from yingji.apps.incidents.models import DeadlineStatus, Incident, ReportDeadline


def sync_deadlines(incident: Incident, *, now: datetime | None = None) -> list[tuple[int, datetime]]:
    """Recompute ``incident``'s deadlines and write the differences (call inside a transaction).

    New keys are created, changed ones updated (``due_at``, ``met_at``, ``status``...),
    deadlines that no longer apply (e.g. after a downgrade) are removed unless already
    met or escalated. A deadline already escalated stays ``missed`` until met. A closed
    incident's pending deadlines are left as they are.

    Returns:
        ``[(deadline id, due_at), ...]`` for pending deadlines whose Huey timers must be
        (re)scheduled - the caller schedules them after commit.
    """
    now = now or timezone.now()
    computed = clocks.deadlines_of(incident, now=now)
    existing = {d.key: d for d in ReportDeadline.objects.filter(incident=incident)}
    timers: list[tuple[int, datetime]] = []
    for dl in computed:
        status = DeadlineStatus(dl.status.value)
        values = {
            "rule_id": dl.rule_id,
            "description_zh": dl.description_zh[:300],
            "level": dl.level,
            "due_at": dl.due_at,
            "met_at": dl.met_at,
            "status": status,
            "source": dl.source[:200],
        }
        row = existing.pop(dl.key, None)
        if row is None:
            row = ReportDeadline.objects.create(incident=incident, key=dl.key, **values)
        else:
            if row.escalation_level and dl.met_at is None:
                values["status"] = DeadlineStatus.MISSED
            changed = [k for k, v in values.items() if getattr(row, k) != v]
            if changed:
                for k in changed:
                    setattr(row, k, values[k])
                row.save(update_fields=[*changed, "updated_at"])
        if row.met_at is None and row.due_at > now and row.timer_due_at != row.due_at:
            row.timer_due_at = row.due_at
            row.save(update_fields=["timer_due_at"])
            timers.append((row.pk, row.due_at))
    for stale in existing.values():
        if stale.met_at is None and stale.escalation_level == 0:
            stale.delete()
    return timers


def refresh_open_incidents(*, now: datetime | None = None) -> list[tuple[int, datetime]]:
    """Re-sync the deadlines of every open incident (new daily reports, pending → missed).

    Each incident is synced in its own transaction with its row locked. Returns the
    timers to schedule, as ``sync_deadlines``.
    """
    now = now or timezone.now()
    timers: list[tuple[int, datetime]] = []
    for pk in Incident.objects.filter(status="open").values_list("pk", flat=True):
        with transaction.atomic():
            incident = (
                Incident.objects.select_for_update(of=("self",)).select_related("incident_type").get(pk=pk)
            )
            timers.extend(sync_deadlines(incident, now=now))
    return timers
