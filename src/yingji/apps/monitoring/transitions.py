"""Engine alarm events → ``Alarm`` rows (open, update, clear, inhibit), inside the ingest transaction.

Mapping (engine event → alarm of kind):

* ``raise`` N→X / ``escalate`` → the point's open ``limit`` alarm: opened if none is open,
  else updated (level, peak, ``occurrences`` +1 on a new raise). A new raise, or a rise in
  priority (H→HH), returns an acknowledged or handled alarm to *raised* (it must be
  acknowledged again); a shelved alarm stays shelved.
* ``deescalate`` → level lowered on the open alarm. ``clear`` → ``active`` False, ``cleared_at``;
  the alarm stays open until a person closes it (ISA-18.2 "return to normal, unacknowledged").
* ``roc`` N→ROC / ROC→N → the ``roc`` alarm, same rules.
* ``offline`` → an ``offline`` alarm, and the point's open value alarms are *inhibited*
  (not notified, not escalated) while it lasts; ``online`` clears it and lifts the inhibition.

A raise is *suppressed* (no alarm, ``PointState.suppressed`` +1) while the point is out of
service or inside a maintenance window. The caller holds the point's ``PointState`` lock, so
two transactions never open alarms of the same point concurrently; the partial unique
constraint on ``Alarm`` is the database backstop.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db.models import Q

from yingji.apps.monitoring import alerting
from yingji.apps.monitoring.models import (
    OPEN_STATES,
    Alarm,
    AlarmEvent,
    AlarmKind,
    AlarmState,
    MaintenanceWindow,
    MonitoringPoint,
    PointState,
    Priority,
)
from yingji.engines.monitoring import AlarmEvent as EngineEvent

_KIND = {
    "raise": AlarmKind.LIMIT,
    "escalate": AlarmKind.LIMIT,
    "deescalate": AlarmKind.LIMIT,
    "clear": AlarmKind.LIMIT,
    "roc": AlarmKind.ROC,
    "offline": AlarmKind.OFFLINE,
    "online": AlarmKind.OFFLINE,
}
_SEVERITY = {"H": 1, "L": 1, "HH": 2, "LL": 2, "ROC": 1, "OFFLINE": 0}
_PRIORITY_RANK: dict[str, int] = {Priority.INFO: 0, Priority.WARNING: 1, Priority.CRITICAL: 2}


def epoch_to_dt(ts: float) -> datetime:
    """Epoch seconds → aware UTC datetime (microsecond precision)."""
    return datetime.fromtimestamp(ts, tz=UTC)


def priority_for(point: MonitoringPoint, kind: str, level: str) -> str:
    """Priority of an alarm: fire points and HH/LL critical, H/L/ROC warning, offline info."""
    if kind == AlarmKind.OFFLINE:
        return Priority.INFO
    if point.is_fire or level in ("HH", "LL"):
        return Priority.CRITICAL
    return Priority.WARNING


def is_suppressed(point: MonitoringPoint, at: datetime) -> bool:
    """Whether raises of ``point`` at ``at`` are suppressed (out of service, maintenance window)."""
    if point.out_of_service:
        return True
    scope = Q(point=point) | Q(point__isnull=True, gateway__isnull=True)
    if point.gateway_id:
        scope |= Q(point__isnull=True, gateway_id=point.gateway_id)
    return MaintenanceWindow.objects.filter(
        scope, organization_id=point.organization_id, starts_at__lte=at, ends_at__gt=at
    ).exists()


def apply_event(
    point: MonitoringPoint, state: PointState, event: EngineEvent, *, value: float | None, now: datetime
) -> str | None:
    """Apply one engine event of ``point`` to its alarms (caller holds the ``state`` row lock).

    Args:
        point: the point (with ``organization`` loaded).
        state: its locked ``PointState`` row (``suppressed`` may be incremented, not saved).
        event: the engine event.
        value: the reading that produced it (None for offline).
        now: wall-clock time, for notification/escalation timers.

    Returns:
        ``"opened"`` when a new alarm row was created, ``"updated"``, or None (no open alarm).
    """
    kind = _KIND[event.event]
    at = epoch_to_dt(event.ts)
    if kind == AlarmKind.OFFLINE:
        opening, level = event.event == "offline", "OFFLINE"
    elif kind == AlarmKind.ROC:
        opening, level = event.to_level == "ROC", "ROC"
    else:
        opening = event.event in ("raise", "escalate")
        level = event.to_level or ""
    alarm = Alarm.objects.select_for_update().filter(point=point, kind=kind, state__in=OPEN_STATES).first()
    record: dict[str, Any] = {
        "point": point,
        "at": at,
        "event": event.event,
        "from_level": event.from_level or "",
        "to_level": event.to_level or "",
        "value": value,
    }
    if opening:
        return _open(point, state, alarm, kind, level, at, value, record, now=now)
    if alarm is None:
        return None
    if event.event == "deescalate":
        alarm.level = level
    else:  # clear, ROC→N, online
        alarm.active = False
        alarm.cleared_at = at
    alarm.last_event_at = at
    alarm.save()
    AlarmEvent.objects.create(alarm=alarm, **record)
    if kind == AlarmKind.OFFLINE:
        _set_inhibited(point, False, now=now)
    return "updated"


def _open(
    point: MonitoringPoint,
    state: PointState,
    alarm: Alarm | None,
    kind: str,
    level: str,
    at: datetime,
    value: float | None,
    record: dict[str, Any],
    *,
    now: datetime,
) -> str | None:
    priority = priority_for(point, kind, level)
    if alarm is None:
        if is_suppressed(point, at):
            state.suppressed += 1
            return None
        alarm = Alarm.objects.create(
            point=point,
            kind=kind,
            level=level,
            peak_level=level,
            priority=priority,
            raised_at=at,
            last_event_at=at,
            value=value,
            inhibited=kind != AlarmKind.OFFLINE and state.offline,
            is_demo=point.is_demo,
        )
        AlarmEvent.objects.create(alarm=alarm, **record)
        if kind == AlarmKind.OFFLINE:
            _set_inhibited(point, True, now=now)
        alerting.on_alarm_raised(alarm, now=now)
        return "opened"
    new_occurrence = not alarm.active
    higher = _PRIORITY_RANK[priority] > _PRIORITY_RANK[alarm.priority]
    alarm.level = level
    if _SEVERITY.get(level, 0) > _SEVERITY.get(alarm.peak_level, 0):
        alarm.peak_level = level
    if higher:
        alarm.priority = priority
    if new_occurrence:
        alarm.occurrences += 1
    alarm.active = True
    alarm.cleared_at = None
    alarm.last_event_at = at
    alarm.value = value
    back_to_raised = (new_occurrence or higher) and alarm.state in (
        AlarmState.ACKNOWLEDGED,
        AlarmState.HANDLED,
    )
    if back_to_raised:
        alarm.state = AlarmState.RAISED
    alarm.save()
    AlarmEvent.objects.create(alarm=alarm, **record)
    if back_to_raised or (higher and alarm.state == AlarmState.RAISED):
        alerting.on_alarm_raised(alarm, now=now)
    elif new_occurrence and alarm.state == AlarmState.RAISED and not alarm.inhibited:
        alerting.touch_group(point.organization_id, now=now)
    return "updated"


def _set_inhibited(point: MonitoringPoint, inhibited: bool, *, now: datetime) -> None:
    """Inhibit (or release) the point's open value alarms while its device is offline."""
    changed = Alarm.objects.filter(
        point=point, kind__in=[AlarmKind.LIMIT, AlarmKind.ROC], state__in=OPEN_STATES, inhibited=not inhibited
    ).update(inhibited=inhibited)
    if changed and not inhibited:
        alerting.touch_group(point.organization_id, now=now)
