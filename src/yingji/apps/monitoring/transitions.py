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

A raise, an escalation or a ROC/offline raise is *suppressed* (ISA-18.2 "suppressed by
maintenance / out of service") while the point is out of service or inside a maintenance window
of the point, its gateway or its site: ``PointState.suppressed`` +1, no alarm is opened, and an
open alarm of that kind is left as it is (not re-opened, not returned to *raised*, no
occurrence counted, level and priority unchanged, no notification); the suppressed event is
written to that alarm's history as ``suppressed`` (``detail`` ``maintenance`` or
``out_of_service``, the levels of the swallowed event). Clears and de-escalations still apply.

The caller holds the point's ``PointState`` lock, so
two transactions never open alarms of the same point concurrently; the partial unique
constraint on ``Alarm`` is the database backstop.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Protocol

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
#: ``AlarmEvent.detail`` of a ``suppressed`` history row: why the raise was swallowed.
SUPPRESSED_MAINTENANCE = "maintenance"
SUPPRESSED_OUT_OF_SERVICE = "out_of_service"


class PointRuntime(Protocol):
    """The per-point runtime flags a transition reads and updates (a ``PointState`` row qualifies).

    ``offline``: the device is silent (its new value alarms open inhibited); kept current by
    :func:`apply_event` on ``offline``/``online`` events. ``suppressed``: raises swallowed by
    out-of-service/maintenance, incremented here.
    """

    offline: bool
    suppressed: int


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


def _window_covers(window: MaintenanceWindow, point: MonitoringPoint, at: datetime) -> bool:
    """Python twin of :func:`is_suppressed`'s window filter, for windows read in bulk."""
    if not (window.organization_id == point.organization_id and window.starts_at <= at < window.ends_at):
        return False
    if window.point_id is not None:
        return window.point_id == point.pk
    return window.gateway_id is None or (
        point.gateway_id is not None and window.gateway_id == point.gateway_id
    )


class Transitions:
    """The alarm transitions of one transaction over a set of points (the caller holds their
    state-row locks).

    The points' open alarms are read once (``FOR UPDATE`` on PostgreSQL), alarm history rows
    are written with one INSERT by :meth:`finish`, a site's notification group is touched once,
    and maintenance windows are read once, when a raise needs them.

    Args:
        points: the points events will be applied to (``organization__division`` loaded).
        now: wall-clock time, for notification/escalation timers.
        since: earliest event time to expect (bounds the maintenance windows read); None: all.
    """

    def __init__(
        self, points: Iterable[MonitoringPoint], *, now: datetime, since: datetime | None = None
    ) -> None:
        self.now = now
        self.since = since
        self.points = {p.pk: p for p in points}
        self.open: dict[tuple[int, str], Alarm] = {}
        alarms = (
            Alarm.objects.select_for_update()
            .filter(point_id__in=list(self.points), state__in=OPEN_STATES)
            .order_by("id")
        )
        for alarm in alarms:
            alarm.point = self.points[alarm.point_id]
            self.open[(alarm.point_id, alarm.kind)] = alarm
        self.touched: set[int] = set()
        self._records: list[AlarmEvent] = []
        self._windows: list[MaintenanceWindow] | None = None

    def finish(self) -> None:
        """Write the pending alarm history rows (call before the transaction commits)."""
        AlarmEvent.objects.bulk_create(self._records, batch_size=500)
        self._records = []

    def _suppression(self, point: MonitoringPoint, at: datetime) -> str | None:
        """Why raises of ``point`` at ``at`` are suppressed (``SUPPRESSED_OUT_OF_SERVICE`` /
        ``SUPPRESSED_MAINTENANCE``), or None."""
        if point.out_of_service:
            return SUPPRESSED_OUT_OF_SERVICE
        if self._windows is None:
            orgs = {p.organization_id for p in self.points.values()}
            qs = MaintenanceWindow.objects.filter(organization_id__in=orgs)
            if self.since is not None:
                qs = qs.filter(ends_at__gt=self.since)
            self._windows = list(qs)
        if any(_window_covers(w, point, at) for w in self._windows):
            return SUPPRESSED_MAINTENANCE
        return None

    def apply(
        self, point: MonitoringPoint, state: PointRuntime, event: EngineEvent, *, value: float | None
    ) -> str | None:
        """Apply one engine event of ``point`` (one of ``points``) to its alarms.

        Args:
            point: the point.
            state: its runtime flags (the locked ``PointState`` row or the ingest batch's copy):
                ``offline`` follows offline/online events, ``suppressed`` may be incremented;
                not saved.
            event: the engine event.
            value: the reading that produced it (None for offline).

        Returns:
            ``"opened"`` when a new alarm row was created, ``"updated"``, or None (no open alarm,
            or the raise was suppressed: out of service / maintenance).
        """
        kind = _KIND[event.event]
        at = epoch_to_dt(event.ts)
        if kind == AlarmKind.OFFLINE:
            opening, level = event.event == "offline", "OFFLINE"
            state.offline = opening
        elif kind == AlarmKind.ROC:
            opening, level = event.to_level == "ROC", "ROC"
        else:
            opening = event.event in ("raise", "escalate")
            level = event.to_level or ""
        alarm = self.open.get((point.pk, kind))
        record: dict[str, Any] = {
            "point": point,
            "at": at,
            "event": event.event,
            "from_level": event.from_level or "",
            "to_level": event.to_level or "",
            "value": value,
        }
        if opening:
            reason = self._suppression(point, at)
            if reason is not None:
                state.suppressed += 1
                if alarm is not None:
                    record["event"] = "suppressed"
                    record["detail"] = reason
                    self._records.append(AlarmEvent(alarm=alarm, **record))
                return None
            return self._open(point, state, alarm, kind, level, at, value, record)
        if alarm is None:
            return None
        if event.event == "deescalate":
            alarm.level = level
        else:  # clear, ROC→N, online
            alarm.active = False
            alarm.cleared_at = at
        alarm.last_event_at = at
        alarm.save(update_fields=["level", "active", "cleared_at", "last_event_at"])
        self._records.append(AlarmEvent(alarm=alarm, **record))
        if kind == AlarmKind.OFFLINE:
            self._set_inhibited(point, False)
        return "updated"

    def _open(
        self,
        point: MonitoringPoint,
        state: PointRuntime,
        alarm: Alarm | None,
        kind: str,
        level: str,
        at: datetime,
        value: float | None,
        record: dict[str, Any],
    ) -> str | None:
        now = self.now
        priority = priority_for(point, kind, level)
        if alarm is None:
            alarm = Alarm(
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
            alerting.arm_escalation(alarm, now=now)
            alarm.save(force_insert=True)
            self.open[(point.pk, kind)] = alarm
            self._records.append(AlarmEvent(alarm=alarm, **record))
            if kind == AlarmKind.OFFLINE:
                self._set_inhibited(point, True)
            alerting.on_alarm_raised(alarm, now=now, touched=self.touched, persist=False)
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
        raised = back_to_raised or (higher and alarm.state == AlarmState.RAISED)
        if raised:
            alerting.arm_escalation(alarm, now=now)
        alarm.save()
        self._records.append(AlarmEvent(alarm=alarm, **record))
        if raised:
            alerting.on_alarm_raised(alarm, now=now, touched=self.touched, persist=False)
        elif new_occurrence and alarm.state == AlarmState.RAISED and not alarm.inhibited:
            alerting.touch_group(point.organization_id, now=now, touched=self.touched)
        return "updated"

    def _set_inhibited(self, point: MonitoringPoint, inhibited: bool) -> None:
        """Inhibit (or release) the point's open value alarms while its device is offline."""
        changed = False
        for kind in (AlarmKind.LIMIT, AlarmKind.ROC):
            alarm = self.open.get((point.pk, kind))
            if alarm is not None and alarm.inhibited != inhibited:
                alarm.inhibited = inhibited
                alarm.save(update_fields=["inhibited"])
                changed = True
        if changed and not inhibited:
            alerting.touch_group(point.organization_id, now=self.now, touched=self.touched)


def apply_event(
    point: MonitoringPoint, state: PointRuntime, event: EngineEvent, *, value: float | None, now: datetime
) -> str | None:
    """Apply one engine event of ``point`` to its alarms (caller holds the point's state row lock).

    One-event form of :class:`Transitions` (``apply`` then ``finish``); see there.
    """
    batch = Transitions([point], now=now)
    outcome = batch.apply(point, state, event, value=value)
    batch.finish()
    return outcome
