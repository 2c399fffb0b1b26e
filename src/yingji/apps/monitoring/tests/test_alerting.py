"""Notification grouping (group_wait / group_interval / repeat_interval), escalation, desk events,
handover items."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yingji.apps.duty.handover_items import collect_open_items
from yingji.apps.monitoring import alerting, services, tasks
from yingji.apps.monitoring.models import Alarm, AlarmGroup
from yingji.apps.monitoring.tests.factories import feed, make_point
from yingji.apps.notifications.models import DeskEvent, OutboxMessage

pytestmark = pytest.mark.django_db


def _messages(user, prefix):
    return OutboxMessage.objects.filter(recipient=user, dedupe_key__startswith=prefix)


def test_group_wait_interval_and_repeat(make_persona, settings):
    settings.YINGJI_MONITORING_GROUP_WAIT_S = 30
    settings.YINGJI_MONITORING_GROUP_INTERVAL_S = 300
    settings.YINGJI_MONITORING_REPEAT_INTERVAL_S = 3600
    officer = make_persona("duty_officer")
    point = make_point()
    other = make_point(organization=point.organization)
    t0 = timezone.now()
    feed(point, [(0, 85)], now=t0)
    group = AlarmGroup.objects.get(organization=point.organization)
    assert group.next_check_at == t0 + timedelta(seconds=30)
    # before group_wait nothing is sent; a second alarm of the same site joins the group
    assert alerting.flush_group(group.pk, now=t0 + timedelta(seconds=10)) == "waiting"
    feed(other, [(5, 95)], now=t0 + timedelta(seconds=5))
    assert alerting.flush_group(group.pk, now=t0 + timedelta(seconds=31)) == "sent"
    assert alerting.flush_group(group.pk, now=t0 + timedelta(seconds=31)) == "waiting"  # idempotent
    msgs = _messages(officer, "monitoring:group:")
    assert msgs.count() == 1  # in-app (SMS is skipped: this user has no phone)
    assert "2 条未确认报警" in msgs.first().subject
    # a new alarm within group_interval waits for it
    third = make_point(organization=point.organization)
    feed(third, [(40, 85)], now=t0 + timedelta(seconds=40))
    group.refresh_from_db()
    assert group.next_check_at == t0 + timedelta(seconds=31 + 300)
    assert alerting.flush_group(group.pk, now=t0 + timedelta(seconds=100)) == "waiting"
    assert alerting.flush_group(group.pk, now=t0 + timedelta(seconds=332)) == "sent"
    # unchanged set: repeated after repeat_interval only
    assert alerting.flush_group(group.pk, now=t0 + timedelta(seconds=1000)) == "waiting"
    assert alerting.flush_group(group.pk, now=t0 + timedelta(seconds=332 + 3600)) == "sent"
    group.refresh_from_db()
    assert group.sequence == 3
    # acknowledged alarms leave the group; nothing firing resolves it
    for a in Alarm.objects.all():
        services.acknowledge_alarm(a, actor=officer)
    group.next_check_at = t0
    group.save()
    assert alerting.flush_group(group.pk, now=t0 + timedelta(hours=5)) == "resolved"


def test_escalation_to_duty_leader_then_commander(make_persona, settings, township, other_township):
    settings.YINGJI_MONITORING_ESCALATE_LEADER_S = 300
    settings.YINGJI_MONITORING_ESCALATE_COMMANDER_S = 600
    from yingji.apps.directory.tests.factories import EnterpriseFactory

    leader = make_persona("duty_leader")
    far_leader = make_persona("duty_leader", division=other_township)
    commander = make_persona("commander")
    point = make_point(organization=EnterpriseFactory(division=township))
    t0 = timezone.now()
    feed(point, [(0, 95)], now=t0)
    alarm = Alarm.objects.get(point=point)
    assert alerting.escalate_alarm(alarm.pk, now=t0 + timedelta(seconds=100)) == "not-due"
    assert alerting.due_escalation_ids(now=t0 + timedelta(seconds=301)) == [alarm.pk]
    assert alerting.escalate_alarm(alarm.pk, now=t0 + timedelta(seconds=301)) == "escalated:1"
    assert _messages(leader, f"monitoring:alarm:{alarm.pk}").exists()
    assert not _messages(far_leader, "monitoring:alarm").exists()  # other township
    assert not _messages(commander, "monitoring:alarm").exists()
    assert alerting.escalate_alarm(alarm.pk, now=t0 + timedelta(seconds=302)) == "not-due"
    assert alerting.escalate_alarm(alarm.pk, now=t0 + timedelta(seconds=902)) == "escalated:2"
    assert _messages(commander, f"monitoring:alarm:{alarm.pk}").exists()
    assert alerting.escalate_alarm(alarm.pk, now=t0 + timedelta(days=1)) == "not-due"
    assert alarm.events.filter(event="escalated").count() == 2


def test_acknowledged_alarm_does_not_escalate(duty_officer, make_persona):
    leader = make_persona("duty_leader")
    point = make_point()
    t0 = timezone.now()
    feed(point, [(0, 95)], now=t0)
    alarm = Alarm.objects.get(point=point)
    services.acknowledge_alarm(alarm, actor=duty_officer)
    assert alerting.escalate_alarm(alarm.pk, now=t0 + timedelta(hours=1)) == "not-raised"
    assert not _messages(leader, "monitoring:alarm").exists()


def test_periodic_tasks_run_idempotently(make_persona):
    make_persona("duty_officer")
    point = make_point()
    feed(point, [(0, 85)], now=timezone.now() - timedelta(hours=1))
    # the immediate-mode Huey runs the task function body when called
    assert tasks.flush_due_alarm_groups_task.call_local() == 1
    assert tasks.flush_due_alarm_groups_task.call_local() == 0
    assert tasks.escalate_due_alarms_task.call_local() == 1
    assert tasks.expire_shelving_task.call_local() == 0
    assert tasks.detect_offline_points_task.call_local() == 0


def test_fire_alarm_reaches_duty_desks_at_once(django_capture_on_commit_callbacks):
    point = make_point(quantity="fire", unit="", h=0.5, hh=None)
    with django_capture_on_commit_callbacks(execute=True):
        feed(point, [(0, 1.0)])
    event = DeskEvent.objects.get(kind="alarm.raised")
    assert event.severity == "critical" and event.url.startswith("/monitoring/alarms/")
    assert event.division == point.organization.division


def test_unacknowledged_alarms_are_handover_items(duty_officer):
    point = make_point()
    feed(point, [(0, 85)])
    items = [i for i in collect_open_items(duty_officer) if i.kind == "alarm"]
    assert len(items) == 1 and items[0].ref.startswith("monitoring.alarm:")
    services.acknowledge_alarm(Alarm.objects.get(), actor=duty_officer)
    assert not [i for i in collect_open_items(duty_officer) if i.kind == "alarm"]
