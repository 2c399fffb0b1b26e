"""Who hears about alarms, and when: per-site notification grouping and escalation.

Grouping follows Prometheus Alertmanager's timers (group_wait, group_interval,
repeat_interval; https://prometheus.io/docs/alerting/latest/configuration/#route): a site's
(enterprise's) unacknowledged, uninhibited alarms form one group; the first notification
waits ``group_wait`` so that alarms raised together are sent together; a changed alarm set is
sent at most every ``group_interval``; an unchanged one is repeated every ``repeat_interval``.
Escalation: an alarm still unacknowledged ``YINGJI_MONITORING_ESCALATE_LEADER_S`` after it
was raised is sent to the duty leaders (带班领导) whose grants cover the point's division, and
after a further ``..._COMMANDER_S`` to the commanders (指挥长).

Both are driven by periodic Huey tasks (every minute), so timers have minute resolution;
each step locks its row, re-checks the state and uses sequence-numbered dedupe keys, so a
task that runs twice sends nothing twice. Fire alarms and HH/LL alarms are also pushed to
open duty desks at once (``integrations.publish_desk_alarm``), independently of grouping.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.apps.accounts.models import Grant
from yingji.apps.accounts.roles import Role
from yingji.apps.monitoring import conf, integrations
from yingji.apps.monitoring.models import Alarm, AlarmEvent, AlarmGroup, AlarmKind, AlarmState, Priority
from yingji.apps.monitoring.wording import level_zh, limit_for_level


def alarm_url(alarm: Alarm) -> str:
    """Path of the alarm's page."""
    return f"/monitoring/alarms/{alarm.pk}/"


def users_with_role_for(role: str, division: Any) -> list[Any]:
    """Active users holding ``role`` through a grant whose division scope covers ``division``.

    Organisation-bound grants are ignored (enterprise staff are not on the bureau's rota).
    Ordered by user id.
    """
    code = division.code
    grants = Grant.objects.filter(role=role, organization__isnull=True, user__is_active=True).select_related(
        "division", "user"
    )
    users = {g.user_id: g.user for g in grants if code.startswith(g.division.scope_prefix)}
    return [users[k] for k in sorted(users)]


def arm_escalation(alarm: Alarm, *, now: datetime) -> bool:
    """Set the escalation deadline of a raised, uninhibited value alarm (not saved).

    Offline alarms are notified (grouped) but not escalated. Returns whether it was set.
    """
    if alarm.inhibited or alarm.state != AlarmState.RAISED or alarm.kind == AlarmKind.OFFLINE:
        return False
    alarm.escalation_stage = 0
    alarm.next_escalation_at = now + timedelta(seconds=conf.value("YINGJI_MONITORING_ESCALATE_LEADER_S"))
    return True


def on_alarm_raised(
    alarm: Alarm, *, now: datetime, touched: set[int] | None = None, persist: bool = True
) -> None:
    """Start the timers of a newly raised (or re-raised) alarm; call inside the raising transaction.

    Sets the escalation deadline (:func:`arm_escalation`), wakes the site's notification
    group, and for fire and critical alarms publishes a live duty-desk event after commit.

    Args:
        alarm: the saved alarm (``point__organization__division`` loaded or loadable).
        now: wall-clock time.
        touched: organisation ids whose group this transaction already touched (see
            :func:`touch_group`).
        persist: save the escalation deadline; False when the caller called
            :func:`arm_escalation` before saving the alarm itself.
    """
    if alarm.inhibited or alarm.state != AlarmState.RAISED:
        return
    if arm_escalation(alarm, now=now) and persist:
        alarm.save(update_fields=["escalation_stage", "next_escalation_at"])
    touch_group(alarm.point.organization_id, now=now, touched=touched)
    if alarm.point.is_fire or alarm.priority == Priority.CRITICAL:
        point = alarm.point
        title = _("%(org)s %(point)s %(level)s") % {
            "org": point.organization.name,
            "point": point.name,
            "level": level_zh(alarm.level),
        }
        integrations.publish_desk_alarm(
            title=title, url=alarm_url(alarm), severity="critical", division=point.organization.division
        )


def touch_group(organization_id: int, *, now: datetime, touched: set[int] | None = None) -> AlarmGroup | None:
    """Make sure the site's group is checked soon: ``group_wait`` for a fresh group, else at
    ``last_notified_at + group_interval`` (never later than an already planned check).

    Args:
        organization_id: the site (enterprise).
        now: wall-clock time.
        touched: organisation ids already touched with this ``now`` in this transaction; a
            repeat is a no-op (returns None) and the id is added otherwise.

    Returns:
        The group row, or None when skipped.
    """
    if touched is not None:
        if organization_id in touched:
            return None
        touched.add(organization_id)
    group, _created = AlarmGroup.objects.select_for_update().get_or_create(organization_id=organization_id)
    if group.last_notified_at is None:
        due = now + timedelta(seconds=conf.value("YINGJI_MONITORING_GROUP_WAIT_S"))
    else:
        due = max(
            now, group.last_notified_at + timedelta(seconds=conf.value("YINGJI_MONITORING_GROUP_INTERVAL_S"))
        )
    if group.next_check_at is None or due < group.next_check_at:
        group.next_check_at = due
        group.save(update_fields=["next_check_at", "updated_at"])
    return group


def _firing(organization_id: int) -> list[Alarm]:
    return list(
        Alarm.objects.filter(point__organization_id=organization_id, state=AlarmState.RAISED, inhibited=False)
        .select_related("point")
        .order_by("id")
    )


def _fingerprint(alarms: list[Alarm]) -> str:
    text = ";".join(f"{a.pk}:{a.level}:{a.occurrences}" for a in alarms)
    return hashlib.sha256(text.encode()).hexdigest()


def flush_group(group_id: int, *, now: datetime | None = None) -> str:
    """Send the site's grouped notification if its timers say so (idempotent; called by a task).

    Returns:
        ``"sent"``, ``"waiting"`` (not due yet / interval not elapsed), ``"resolved"`` (nothing
        firing any more) or ``"missing"``.
    """
    now = now or timezone.now()
    with transaction.atomic():
        group = (
            AlarmGroup.objects.select_for_update(of=("self",))
            .select_related("organization__division")
            .filter(pk=group_id)
            .first()
        )
        if group is None:
            return "missing"
        if group.next_check_at is None or group.next_check_at > now:
            return "waiting"
        firing = _firing(group.organization_id)
        if not firing:
            group.next_check_at = None
            group.fingerprint = ""
            group.save(update_fields=["next_check_at", "fingerprint", "updated_at"])
            return "resolved"
        fingerprint = _fingerprint(firing)
        last = group.last_notified_at
        interval = timedelta(seconds=conf.value("YINGJI_MONITORING_GROUP_INTERVAL_S"))
        repeat = timedelta(seconds=conf.value("YINGJI_MONITORING_REPEAT_INTERVAL_S"))
        if last is not None and fingerprint != group.fingerprint and now < last + interval:
            group.next_check_at = last + interval
            group.save(update_fields=["next_check_at", "updated_at"])
            return "waiting"
        if last is not None and fingerprint == group.fingerprint and now < last + repeat:
            group.next_check_at = last + repeat
            group.save(update_fields=["next_check_at", "updated_at"])
            return "waiting"
        group.sequence += 1
        _send_group(group, firing)
        group.last_notified_at = now
        group.fingerprint = fingerprint
        group.next_check_at = now + repeat
        group.save(
            update_fields=["sequence", "last_notified_at", "fingerprint", "next_check_at", "updated_at"]
        )
        return "sent"


def _send_group(group: AlarmGroup, firing: list[Alarm]) -> None:
    org = group.organization
    critical = any(a.priority == Priority.CRITICAL for a in firing)
    subject = _("%(org)s: %(n)d 条未确认报警") % {"org": org.name, "n": len(firing)}
    body = "\n".join(
        f"{a.point.name}（{a.point.code}） {level_zh(a.level)} "
        f"{timezone.localtime(a.raised_at):%Y-%m-%d %H:%M:%S}"
        for a in firing[:20]
    )
    for user in users_with_role_for(Role.DUTY_OFFICER, org.division):
        integrations.notify(
            user,
            subject=subject,
            body=body,
            url="/monitoring/",
            severity="critical" if critical else "warning",
            dedupe_key=f"monitoring:group:{group.pk}:{group.sequence}:{user.pk}",
            sms=critical,
        )


def due_group_ids(now: datetime | None = None) -> list[int]:
    """Ids of groups whose next check is due."""
    now = now or timezone.now()
    return list(AlarmGroup.objects.filter(next_check_at__lte=now).values_list("pk", flat=True))


def _number(value: float) -> str:
    return f"{value:g}"


def escalation_text(alarm: Alarm, *, now: datetime, since: datetime | None = None) -> tuple[str, str]:
    """Title and body of the escalation notification of ``alarm``, in Chinese prose.

    Title: ``报警升级：<企业> <测点> 高高报（紧急）未确认``. Body: the point (name, code, site,
    enterprise), the level in words, the alarm value and the crossed limit with the point's unit,
    since when, how many whole minutes it has been unacknowledged at ``now``, and the alarm page.

    Args:
        alarm: the alarm (``point__organization`` loaded or loadable).
        now: wall-clock time (minutes unacknowledged are counted to it).
        since: when the alarm last became unacknowledged (a re-raise restarts the count);
            default ``raised_at``.

    Returns:
        ``(subject, body)``.
    """
    point = alarm.point
    org = point.organization.name
    level = level_zh(alarm.level)
    subject = _("报警升级：%(org)s %(point)s %(level)s（%(priority)s）未确认") % {
        "org": org,
        "point": point.name,
        "level": level,
        "priority": alarm.get_priority_display(),
    }
    unit = f" {point.unit}" if point.unit else ""
    parts = [
        _("%(org)s%(site)s测点%(point)s（%(code)s）%(level)s。")
        % {
            "org": org,
            "site": f"{point.site_name}" if point.site_name else "",
            "point": point.name,
            "code": point.code,
            "level": level,
        }
    ]
    if alarm.value is not None:
        limit = limit_for_level(point, alarm.level)
        if limit is not None:
            parts.append(
                _("读数 %(value)s%(unit)s，%(level)s限值 %(limit)s%(unit)s。")
                % {"value": _number(alarm.value), "unit": unit, "level": level, "limit": _number(limit)}
            )
        else:
            parts.append(_("读数 %(value)s%(unit)s。") % {"value": _number(alarm.value), "unit": unit})
    since = since or alarm.raised_at
    minutes = max(0, int((now - since).total_seconds() // 60))
    parts.append(
        _("自 %(since)s 起报警，已 %(minutes)d 分钟未确认。")
        % {"since": f"{timezone.localtime(since):%Y-%m-%d %H:%M}", "minutes": minutes}
    )
    parts.append(_("请及时处置：%(url)s") % {"url": alarm_url(alarm)})
    return subject, "".join(parts)


def escalate_alarm(alarm_id: int, *, now: datetime | None = None) -> str:
    """Escalate one still-unacknowledged alarm one stage if due (idempotent; called by a task).

    Stage 1 notifies duty leaders, stage 2 commanders, of the point's division.

    Returns:
        ``"escalated:<stage>"``, ``"not-due"``, ``"not-raised"`` or ``"missing"``.
    """
    now = now or timezone.now()
    with transaction.atomic():
        alarm = (
            Alarm.objects.select_for_update(of=("self",))
            .select_related("point__organization__division")
            .filter(pk=alarm_id)
            .first()
        )
        if alarm is None:
            return "missing"
        if alarm.state != AlarmState.RAISED or alarm.inhibited:
            return "not-raised"
        if alarm.next_escalation_at is None or alarm.next_escalation_at > now or alarm.escalation_stage >= 2:
            return "not-due"
        # The deadline was armed when the alarm (last) became raised: leader delay after it,
        # and the commander delay after the first escalation.
        armed_s = conf.value("YINGJI_MONITORING_ESCALATE_LEADER_S")
        if alarm.escalation_stage == 1:
            armed_s += conf.value("YINGJI_MONITORING_ESCALATE_COMMANDER_S")
        since = max(alarm.raised_at, alarm.next_escalation_at - timedelta(seconds=armed_s))
        alarm.escalation_stage += 1
        role = Role.DUTY_LEADER if alarm.escalation_stage == 1 else Role.COMMANDER
        point = alarm.point
        subject, body = escalation_text(alarm, now=now, since=since)
        recipients = users_with_role_for(role, point.organization.division)
        for user in recipients:
            integrations.notify(
                user,
                subject=subject,
                body=body,
                url=alarm_url(alarm),
                severity="critical",
                dedupe_key=f"monitoring:alarm:{alarm.pk}:{alarm.occurrences}:escalate:{alarm.escalation_stage}:{user.pk}",
                sms=True,
            )
        alarm.next_escalation_at = (
            now + timedelta(seconds=conf.value("YINGJI_MONITORING_ESCALATE_COMMANDER_S"))
            if alarm.escalation_stage == 1
            else None
        )
        alarm.save(update_fields=["escalation_stage", "next_escalation_at"])
        AlarmEvent.objects.create(
            alarm=alarm,
            point=point,
            at=now,
            event="escalated",
            to_level=alarm.level,
            detail=f"{role}: {len(recipients)}",
        )
        return f"escalated:{alarm.escalation_stage}"


def due_escalation_ids(now: datetime | None = None) -> list[int]:
    """Ids of raised alarms whose escalation is due."""
    now = now or timezone.now()
    return list(
        Alarm.objects.filter(
            state=AlarmState.RAISED, inhibited=False, next_escalation_at__lte=now
        ).values_list("pk", flat=True)
    )
