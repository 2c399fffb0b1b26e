"""Alarm pages speak Chinese (进入高报, 由高报升级为高高报); the API keeps the engine notation."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from yingji.apps.monitoring.models import Alarm, AlarmEvent
from yingji.apps.monitoring.templatetags.monitoring_tags import alarm_event_raw, alarm_event_zh, level_zh
from yingji.apps.monitoring.tests.factories import feed, make_point

pytestmark = pytest.mark.django_db


def _event(event: str, before: str = "", after: str = "", detail: str = "") -> AlarmEvent:
    return AlarmEvent(event=event, from_level=before, to_level=after, detail=detail)


@pytest.mark.parametrize(
    ("event", "words"),
    [
        (_event("raise", "N", "H"), "进入高报"),
        (_event("raise", "N", "LL"), "进入低低报"),
        (_event("escalate", "H", "HH"), "由高报升级为高高报"),
        (_event("deescalate", "HH", "H"), "由高高报降为高报"),
        (_event("clear", "H", "N"), "高报恢复正常"),
        (_event("roc", "N", "ROC"), "变化率超限"),
        (_event("roc", "ROC", "N"), "变化率恢复正常"),
        (_event("offline", "", "OFFLINE"), "设备离线"),
        (_event("online", "OFFLINE", ""), "设备恢复在线"),
        (_event("escalated", "", "HH", "duty_leader: 3"), "未确认，已升级通知带班领导（3人）"),
        (_event("acknowledged", "", "HH"), "已确认"),
        (_event("shelved", "", "H", "2026-06-01T04:30:00+00:00"), "已搁置至06-01 12:30"),
        (_event("incident", "", "HH", "42"), "已转为事件接报 42"),
        (_event("something_new"), "something_new"),
    ],
)
def test_event_words(event, words):
    assert alarm_event_zh(event) == words


def test_levels_and_raw_notation():
    assert [level_zh(c) for c in ("N", "H", "HH", "L", "LL", "", None, "X")] == [
        "正常", "高报", "高高报", "低报", "低低报", "—", "—", "X",
    ]  # fmt: skip
    assert alarm_event_raw(_event("raise", "N", "H")) == "raise N→H"


def test_alarm_page_shows_words_and_api_keeps_notation(duty_officer):
    point = make_point()
    feed(point, [(0, 70), (1, 85), (2, 95)])  # N → H → HH
    alarm = Alarm.objects.get()
    c = Client()
    c.force_login(duty_officer)
    html = c.get(f"/monitoring/alarms/{alarm.pk}/").content.decode()
    timeline = html[html.index('id="alarm-timeline"') :]
    assert "进入高报" in timeline and "由高报升级为高高报" in timeline
    assert ">raise<" not in timeline and "N→H</td>" not in timeline
    assert 'title="raise N→H"' in timeline  # the notation stays available as a tooltip
    assert "高高报" in c.get("/monitoring/live/").content.decode()
    api = APIClient()
    api.force_authenticate(duty_officer)
    events = api.get(f"/api/monitoring/alarms/{alarm.pk}/").json()["events"]
    assert [(e["event"], e["from_level"], e["to_level"]) for e in events][:2] == [
        ("raise", "N", "H"),
        ("escalate", "H", "HH"),
    ]
