"""Overdue report deadlines escalate to duty leaders, then the bureau head, exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from yingji.apps.duty.handover_items import collect_open_items
from yingji.apps.incidents import escalation, tasks
from yingji.apps.incidents.models import ReportDeadline
from yingji.apps.incidents.tests.factories import make_incident
from yingji.apps.notifications.models import OutboxMessage, UserNotification

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_persona, township, other_township):
    return {
        "leader": make_persona("duty_leader"),
        "township_leader": make_persona("duty_leader", division=township),
        "other_leader": make_persona("duty_leader", division=other_township),
        "commander": make_persona("commander"),
    }


def test_overdue_escalates_once_per_level(duty_officer, people, django_capture_on_commit_callbacks):
    incident = make_incident(duty_officer, deaths=3)
    esc1 = ReportDeadline.objects.get(incident=incident, key="accident.escalation.1")
    late = esc1.due_at + timedelta(minutes=1)
    # when the due time passes (test time): duty leaders covering the township are told
    with django_capture_on_commit_callbacks(execute=True):
        done = escalation.escalate_overdue(now=late)
    assert (esc1.pk, 1) in done
    esc1.refresh_from_db()
    assert esc1.escalation_level == 1 and esc1.status == "missed"
    told = set(UserNotification.objects.values_list("user__username", flat=True))
    assert told == {people["leader"].username, people["township_leader"].username}
    # a timer firing again, or the sweep running again, notifies nobody twice
    with django_capture_on_commit_callbacks(execute=True):
        escalation.escalate_deadline(esc1.pk, now=late)
        escalation.escalate_overdue(now=late)
    assert UserNotification.objects.count() == 2
    # 30 minutes later the bureau head is told
    with django_capture_on_commit_callbacks(execute=True):
        escalation.escalate_deadline(esc1.pk, now=late + timedelta(minutes=30))
    esc1.refresh_from_db()
    assert esc1.escalation_level == 2
    assert UserNotification.objects.filter(user=people["commander"]).count() == 1
    assert incident.timeline.filter(kind__in=["deadline_missed", "escalation"]).count() == 2
    assert OutboxMessage.objects.filter(status="sent").count() == 3


def test_met_deadline_never_escalates(duty_officer, people):
    incident = make_incident(duty_officer, deaths=3)
    unit = ReportDeadline.objects.get(incident=incident, key="accident.unit_report")
    assert escalation.escalate_deadline(unit.pk, now=unit.due_at + timedelta(days=1)) == 0


def test_timers_are_scheduled_after_commit(duty_officer, django_capture_on_commit_callbacks, monkeypatch):
    scheduled = []
    monkeypatch.setattr(tasks, "schedule_deadline_timers", lambda timers: scheduled.extend(timers))
    with django_capture_on_commit_callbacks(execute=True):
        incident = make_incident(duty_officer, deaths=3)
    pending = set(
        ReportDeadline.objects.filter(incident=incident, met_at__isnull=True).values_list("pk", flat=True)
    )
    assert {pk for pk, _ in scheduled} == pending


def test_handover_carries_open_incidents_and_overdue_reports(duty_officer, people):
    incident = make_incident(duty_officer, deaths=3)
    esc1 = ReportDeadline.objects.get(incident=incident, key="accident.escalation.1")
    ReportDeadline.objects.filter(pk=esc1.pk).update(due_at=esc1.due_at - timedelta(hours=5))
    items = collect_open_items(duty_officer)
    refs = {i.ref for i in items}
    assert f"incidents.incident:{incident.pk}" in refs
    assert f"incidents.reportdeadline:{esc1.pk}" in refs
