"""Write use cases of the monitoring app done by people: registry edits and the alarm lifecycle.

Machine writes (readings, engine-driven alarm transitions) are in ``ingest.py`` /
``transitions.py``; notification timers in ``alerting.py``; storage upkeep in ``storage.py``.
Every function here validates (``full_clean``), runs in one transaction, and writes the audit
record (``record_change``) and, for alarms, a timeline entry (``AlarmEvent``) in it.

Alarm lifecycle (GLOSSARY; ISA-18.2 / IEC 62682 states mapped onto it):
raised → acknowledged → handled (disposal note required) → closed; an open alarm may be
shelved until a time (at most ``YINGJI_MONITORING_MAX_SHELVE_H``) and returns to its former
state when unshelved or when shelving expires. Invalid transitions raise ``ValidationError``.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.apps.audit.services import record_change, snapshot, update_audited
from yingji.apps.monitoring import alerting, conf, integrations
from yingji.apps.monitoring.models import (
    Alarm,
    AlarmEvent,
    AlarmNote,
    AlarmState,
    Device,
    Gateway,
    MaintenanceWindow,
    MonitoringPoint,
    PointState,
    hash_token,
)

# ---- registry --------------------------------------------------------------------------


def create_point(*, actor: Any, **fields: Any) -> MonitoringPoint:
    """Create a monitoring point (and its empty engine state); audited.

    Raises:
        ValidationError: field errors, including alarm rules the engine rejects.
    """
    with transaction.atomic():
        point = MonitoringPoint(**fields)
        point.full_clean()
        point.save()
        PointState.objects.create(point=point)
        record_change(point, "create", None, actor=actor)
    return point


def update_point(point: MonitoringPoint, *, actor: Any, **fields: Any) -> MonitoringPoint:
    """Change a point's fields (alarm rules included; pending engine timers are kept); audited.

    Raises:
        ValidationError: field errors, nothing written.
    """
    with transaction.atomic():
        before = snapshot(point)
        for key, value in fields.items():
            setattr(point, key, value)
        point.full_clean()
        point.save()
        PointState.objects.get_or_create(point=point)
        record_change(point, "update", before, actor=actor)
    return point


def set_point_out_of_service(
    point: MonitoringPoint, *, actor: Any, out_of_service: bool, reason: str = ""
) -> MonitoringPoint:
    """Take a point out of service (ISA-18.2: no alarms raised, readings kept) or back; audited.

    Raises:
        ValidationError: taking out of service without a reason.
    """
    if out_of_service and not reason.strip():
        raise ValidationError({"out_of_service_reason": _("停用须填写原因。")})
    return update_point(
        point, actor=actor, out_of_service=out_of_service, out_of_service_reason=reason.strip()
    )


def new_gateway_token() -> str:
    """A fresh random gateway token (``ygw_`` + 43 URL-safe characters)."""
    return "ygw_" + secrets.token_urlsafe(32)


def create_gateway(*, actor: Any, **fields: Any) -> tuple[Gateway, str]:
    """Create a gateway with a new API token; audited (the token itself is never stored).

    Returns:
        ``(gateway, token)``: show the token once; only its SHA-256 is kept.

    Raises:
        ValidationError: field errors.
    """
    token = new_gateway_token()
    with transaction.atomic():
        gateway = Gateway(**fields, token_hash=hash_token(token), token_prefix=token[:8])
        gateway.full_clean()
        gateway.save()
        record_change(gateway, "create", None, actor=actor)
    return gateway, token


def rotate_gateway_token(gateway: Gateway, *, actor: Any) -> str:
    """Issue a new token for ``gateway`` (the old one stops working at once); audited."""
    token = new_gateway_token()
    with transaction.atomic():
        before = snapshot(gateway)
        gateway.token_hash = hash_token(token)
        gateway.token_prefix = token[:8]
        gateway.save(update_fields=["token_hash", "token_prefix"])
        record_change(gateway, "update", before, actor=actor)
    return token


#: What a person may change on a gateway after it is registered (the code is what field
#: installations are configured with, the enterprise what its points and devices belong to).
GATEWAY_EDITABLE = ("name", "is_active")
#: What may change on a device after it is registered (code and enterprise are fixed).
DEVICE_EDITABLE = ("name", "gateway", "model_name", "serial_number")


def _only(fields: dict[str, Any], editable: tuple[str, ...]) -> None:
    fixed = sorted(set(fields) - set(editable))
    if fixed:
        raise ValidationError({f: _("登记后不能修改。") for f in fixed})


def update_gateway(gateway: Gateway, *, actor: Any, **fields: Any) -> Gateway:
    """Rename a gateway or switch it off/on (an inactive gateway's token is refused); audited.

    Args:
        fields: any of ``GATEWAY_EDITABLE`` (``name``, ``is_active``).

    Raises:
        ValidationError: field errors, or a field that cannot change (``code``, ``organization``);
            nothing written.
    """
    _only(fields, GATEWAY_EDITABLE)
    return update_audited(gateway, fields, actor=actor)


def gateway_for_token(token: str) -> Gateway | None:
    """The active gateway holding ``token``, or None."""
    if not token:
        return None
    return (
        Gateway.objects.filter(token_hash=hash_token(token), is_active=True)
        .select_related("organization")
        .first()
    )


def create_device(*, actor: Any, **fields: Any) -> Device:
    """Register a field device; audited. Raises ValidationError."""
    with transaction.atomic():
        device = Device(**fields)
        device.full_clean()
        device.save()
        record_change(device, "create", None, actor=actor)
    return device


def update_device(device: Device, *, actor: Any, **fields: Any) -> Device:
    """Change a device's name, gateway (of the same enterprise), model or serial number; audited.

    Args:
        fields: any of ``DEVICE_EDITABLE``.

    Raises:
        ValidationError: field errors (a gateway of another enterprise), or a field that cannot
            change (``code``, ``organization``); nothing written.
    """
    _only(fields, DEVICE_EDITABLE)
    return update_audited(device, fields, actor=actor)


def create_maintenance_window(*, actor: Any, **fields: Any) -> MaintenanceWindow:
    """Plan a maintenance window (no alarms raised for the covered points inside it); audited.

    Raises:
        ValidationError: end not after start, point/gateway of another enterprise.
    """
    with transaction.atomic():
        window = MaintenanceWindow(
            **fields, created_by=actor if getattr(actor, "is_authenticated", False) else None
        )
        window.full_clean()
        window.save()
        record_change(window, "create", None, actor=actor)
    return window


def end_maintenance_window(
    window: MaintenanceWindow, *, actor: Any, now: datetime | None = None
) -> MaintenanceWindow:
    """End a running maintenance window now (alarms are raised again from this moment); audited.

    Raises:
        ValidationError: ``{"ends_at": ...}`` the window has not started (cancel it instead) or
            has ended already; nothing written.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = MaintenanceWindow.objects.select_for_update().get(pk=window.pk)
        if locked.ends_at <= now:
            raise ValidationError({"ends_at": _("该维护窗口已结束。")})
        if locked.starts_at >= now:
            raise ValidationError({"ends_at": _("该维护窗口尚未开始,请取消而不是提前结束。")})
        before = snapshot(locked)
        locked.ends_at = now
        locked.full_clean()
        locked.save(update_fields=["ends_at"])
        record_change(locked, "update", before, actor=actor)
    return locked


def cancel_maintenance_window(window: MaintenanceWindow, *, actor: Any, now: datetime | None = None) -> None:
    """Cancel (delete) a maintenance window that has not started yet; audited (the record keeps
    the window as it was).

    Raises:
        ValidationError: ``{"starts_at": ...}`` the window has started (end it early instead).
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = MaintenanceWindow.objects.select_for_update().get(pk=window.pk)
        if locked.starts_at <= now:
            raise ValidationError({"starts_at": _("该维护窗口已开始,只能提前结束。")})
        record_change(locked, "delete", snapshot(locked), actor=actor)
        locked.delete()


# ---- alarm lifecycle -------------------------------------------------------------------


def _locked(alarm: Alarm) -> Alarm:
    return (
        Alarm.objects.select_for_update(of=("self",))
        .select_related("point__organization__division")
        .get(pk=alarm.pk)
    )


def _note(alarm: Alarm, actor: Any, action: str, text: str) -> None:
    text = (text or "").strip()
    if text:
        note = AlarmNote(alarm=alarm, action=action, text=text, author=_user(actor))
        note.full_clean()
        note.save()


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _event(alarm: Alarm, actor: Any, event: str, detail: str = "", at: datetime | None = None) -> None:
    AlarmEvent.objects.create(
        alarm=alarm,
        point=alarm.point,
        at=at or timezone.now(),
        event=event,
        to_level=alarm.level,
        actor=_user(actor),
        detail=detail[:200],
    )


def acknowledge_alarm(alarm: Alarm, *, actor: Any, note: str = "") -> Alarm:
    """Acknowledge a raised alarm (stops escalation), optionally with a note; audited.

    Raises:
        ValidationError: the alarm is not in state *raised*.
    """
    with transaction.atomic():
        alarm = _locked(alarm)
        if alarm.state != AlarmState.RAISED:
            raise ValidationError(
                {"state": _("只能确认未确认的报警(当前: %(s)s)。") % {"s": alarm.get_state_display()}}
            )
        before = snapshot(alarm)
        alarm.state = AlarmState.ACKNOWLEDGED
        alarm.acknowledged_at = timezone.now()
        alarm.acknowledged_by = _user(actor)
        alarm.next_escalation_at = None
        alarm.save()
        _note(alarm, actor, AlarmNote.Action.ACKNOWLEDGE, note)
        _event(alarm, actor, "acknowledged")
        record_change(alarm, "update", before, actor=actor)
    return alarm


def handle_alarm(alarm: Alarm, *, actor: Any, note: str) -> Alarm:
    """Record the disposal of a raised or acknowledged alarm (note required); audited.

    A raised alarm is acknowledged implicitly by the same person.

    Raises:
        ValidationError: empty note, or the alarm is handled, shelved or closed.
    """
    if not (note or "").strip():
        raise ValidationError({"note": _("处置须填写处置情况。")})
    with transaction.atomic():
        alarm = _locked(alarm)
        if alarm.state not in (AlarmState.RAISED, AlarmState.ACKNOWLEDGED):
            raise ValidationError(
                {"state": _("该报警当前不能处置(%(s)s)。") % {"s": alarm.get_state_display()}}
            )
        before = snapshot(alarm)
        now = timezone.now()
        if alarm.acknowledged_at is None or alarm.state == AlarmState.RAISED:
            alarm.acknowledged_at = now
            alarm.acknowledged_by = _user(actor)
        alarm.state = AlarmState.HANDLED
        alarm.handled_at = now
        alarm.handled_by = _user(actor)
        alarm.next_escalation_at = None
        alarm.save()
        _note(alarm, actor, AlarmNote.Action.HANDLE, note)
        _event(alarm, actor, "handled")
        record_change(alarm, "update", before, actor=actor)
    return alarm


def close_alarm(alarm: Alarm, *, actor: Any, note: str = "") -> Alarm:
    """Close a handled alarm; audited. If its condition persists, the next raise opens a new alarm.

    Raises:
        ValidationError: the alarm is not in state *handled*.
    """
    with transaction.atomic():
        alarm = _locked(alarm)
        if alarm.state != AlarmState.HANDLED:
            raise ValidationError(
                {"state": _("只能关闭已处置的报警(当前: %(s)s)。") % {"s": alarm.get_state_display()}}
            )
        before = snapshot(alarm)
        alarm.state = AlarmState.CLOSED
        alarm.closed_at = timezone.now()
        alarm.closed_by = _user(actor)
        alarm.next_escalation_at = None
        alarm.save()
        _note(alarm, actor, AlarmNote.Action.CLOSE, note)
        _event(alarm, actor, "closed")
        record_change(alarm, "update", before, actor=actor)
    return alarm


def shelve_alarm(alarm: Alarm, *, actor: Any, until: datetime, reason: str) -> Alarm:
    """Shelve an open alarm until ``until`` (ISA-18.2 shelving: time-limited, with a reason); audited.

    Raises:
        ValidationError: no reason, ``until`` not in the future or beyond the maximum, alarm
            closed or already shelved.
    """
    now = timezone.now()
    errors: dict[str, str] = {}
    if not (reason or "").strip():
        errors["reason"] = _("搁置须填写原因。")
    max_h = conf.value("YINGJI_MONITORING_MAX_SHELVE_H")
    if until is None or until <= now:
        errors["until"] = _("搁置截止时间须晚于现在。")
    elif until > now + timedelta(hours=max_h):
        errors["until"] = _("搁置不得超过 %(h)d 小时。") % {"h": int(max_h)}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        alarm = _locked(alarm)
        if alarm.state not in (AlarmState.RAISED, AlarmState.ACKNOWLEDGED, AlarmState.HANDLED):
            raise ValidationError(
                {"state": _("该报警当前不能搁置(%(s)s)。") % {"s": alarm.get_state_display()}}
            )
        before = snapshot(alarm)
        alarm.shelved_from = alarm.state
        alarm.state = AlarmState.SHELVED
        alarm.shelved_until = until
        alarm.next_escalation_at = None
        alarm.save()
        _note(alarm, actor, AlarmNote.Action.SHELVE, reason)
        _event(alarm, actor, "shelved", detail=until.isoformat())
        record_change(alarm, "update", before, actor=actor)
    return alarm


def unshelve_alarm(alarm: Alarm, *, actor: Any, now: datetime | None = None) -> Alarm:
    """Return a shelved alarm to its former state (by a person, or at expiry with ``actor`` None); audited.

    A returning *raised* alarm restarts its notification and escalation timers.

    Raises:
        ValidationError: the alarm is not shelved.
    """
    now = now or timezone.now()
    with transaction.atomic():
        alarm = _locked(alarm)
        if alarm.state != AlarmState.SHELVED:
            raise ValidationError({"state": _("该报警未被搁置。")})
        before = snapshot(alarm)
        alarm.state = alarm.shelved_from or AlarmState.RAISED
        alarm.shelved_from = ""
        alarm.shelved_until = None
        alarm.save()
        _event(alarm, actor, "unshelved", at=now)
        record_change(alarm, "update", before, actor=actor)
        if alarm.state == AlarmState.RAISED:
            alerting.on_alarm_raised(alarm, now=now)
    return alarm


def expire_shelving(*, now: datetime | None = None) -> int:
    """Unshelve every alarm whose shelving has expired (task; idempotent). Returns how many."""
    now = now or timezone.now()
    done = 0
    for pk in Alarm.objects.filter(state=AlarmState.SHELVED, shelved_until__lte=now).values_list(
        "pk", flat=True
    ):
        try:
            unshelve_alarm(Alarm(pk=pk), actor=None, now=now)
        except ValidationError:  # unshelved meanwhile
            continue
        done += 1
    return done


def add_alarm_note(alarm: Alarm, *, actor: Any, text: str) -> AlarmNote:
    """Add a disposal note to an alarm (any state).

    Raises:
        ValidationError: empty text (field ``text``).
    """
    if not (text or "").strip():
        raise ValidationError({"text": _("请填写内容。")})
    with transaction.atomic():
        note = AlarmNote(alarm=alarm, action=AlarmNote.Action.NOTE, text=text.strip(), author=_user(actor))
        note.full_clean()
        note.save()
        record_change(note, "create", None, actor=actor)
    return note


def incident_intake_blocker(alarm: Alarm) -> str:
    """Why one-click incident intake is not offered for ``alarm`` ("" when it is).

    Offered for open critical (HH/LL, fire) alarms at a major hazard installation, once the
    incidents app provides its intake service.
    """
    if alarm.incident_ref:
        return _("已转为事件 %(ref)s。") % {"ref": alarm.incident_ref}
    if alarm.point.major_hazard_level is None:
        return _("该测点不在重大危险源。")
    if alarm.priority != "critical" or not alarm.is_open:
        return _("仅对未关闭的红色(高高/低低/火警)报警提供。")
    if not integrations.incident_intake_available():
        return _("尚未接入事件接报:incidents 应用还没有“由监测报警接报”的服务。")
    return ""


def intake_incident(alarm: Alarm, *, actor: Any) -> Alarm:
    """Take an incident (接报) from a red alarm at a major hazard installation; audited.

    Raises:
        ValidationError: intake is not offered for this alarm (message says why).
    """
    with transaction.atomic():
        alarm = _locked(alarm)
        reason = incident_intake_blocker(alarm)
        if reason:
            raise ValidationError({"__all__": reason})
        before = snapshot(alarm)
        point = alarm.point
        alarm.incident_ref = integrations.intake_incident_from_alarm(
            actor=actor,
            title=f"{point.organization.name} {point.name} {alarm.level}",
            description=(
                f"{point.code} {point.get_quantity_display()} {alarm.value} {point.unit}"
                f" @ {alarm.raised_at:%Y-%m-%d %H:%M:%S}"
            ),
            organization=point.organization,
            division=point.organization.division,
            lon=point.lon,
            lat=point.lat,
            source_ref=f"monitoring.alarm:{alarm.pk}",
            fire=point.is_fire,
            occurred_at=alarm.raised_at,
        )[:64]
        alarm.save(update_fields=["incident_ref"])
        _event(alarm, actor, "incident", detail=alarm.incident_ref)
        record_change(alarm, "update", before, actor=actor)
    return alarm
