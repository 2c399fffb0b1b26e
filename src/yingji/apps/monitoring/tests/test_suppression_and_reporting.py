"""Maintenance / out of service suppress re-raises of open alarms too (ISA-18.2 suppression);
every ingest path records when a gateway last reported; escalation notices are prose."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from yingji.apps.directory.tests.factories import EnterpriseFactory
from yingji.apps.monitoring import alerting, ingest, services
from yingji.apps.monitoring.models import Alarm, AlarmGroup, AlarmState, Gateway, PointState
from yingji.apps.monitoring.tests.factories import T0, feed, make_gateway, make_point
from yingji.apps.monitoring.wording import alarm_event_zh
from yingji.apps.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _at(dt: float) -> datetime:
    return datetime.fromtimestamp(T0 + dt, tz=UTC)


def _window(actor, point=None, gateway=None, org=None, start=0.0, end=3600.0):
    return services.create_maintenance_window(
        actor=actor,
        organization=org or (point.organization if point else gateway.organization),
        point=point,
        gateway=gateway,
        starts_at=_at(start),
        ends_at=_at(end),
        reason="检修",
    )


def test_maintenance_keeps_an_acknowledged_alarm_acknowledged_through_new_raises(admin_user):
    """The newcomer's steps: acknowledge the flapping point's alarm, plan a window on the point
    starting now; the later raises are history rows marked suppressed, nothing else changes."""
    point = make_point()
    feed(point, [(0, 85), (10, 70)])  # raised, then cleared
    alarm = Alarm.objects.get(point=point)
    services.acknowledge_alarm(alarm, actor=admin_user)
    _window(admin_user, point=point, start=20)
    group_before = AlarmGroup.objects.get(organization=point.organization).next_check_at
    result = feed(point, [(30, 85), (40, 70), (50, 95), (60, 70), (70, 85)])  # raise, HH, raise again
    alarm.refresh_from_db()
    assert result.alarms_opened == 0
    assert alarm.state == AlarmState.ACKNOWLEDGED and alarm.occurrences == 1
    assert (alarm.level, alarm.peak_level, alarm.priority) == ("H", "H", "warning")
    assert not alarm.active and alarm.next_escalation_at is None
    suppressed = list(alarm.events.filter(event="suppressed").order_by("at"))
    assert [(e.to_level, e.detail) for e in suppressed] == [
        ("H", "maintenance"),
        ("HH", "maintenance"),
        ("H", "maintenance"),
    ]
    assert not alarm.events.filter(event="raise", at__gt=_at(20)).exists()
    assert alarm_event_zh(suppressed[0]) == "进入高报（维护期间，已抑制）"
    assert PointState.objects.get(point=point).suppressed == len(suppressed)
    assert AlarmGroup.objects.get(organization=point.organization).next_check_at == group_before
    # after the window a new raise is an alarm again: a new occurrence, back to unacknowledged
    feed(point, [(3700, 70), (3710, 85)])
    alarm.refresh_from_db()
    assert alarm.state == AlarmState.RAISED and alarm.occurrences == 2 and alarm.active


def test_escalation_inside_maintenance_leaves_an_active_acknowledged_alarm_alone(admin_user):
    org = EnterpriseFactory()
    gateway, _token = make_gateway(org)
    point = make_point(organization=org, gateway=gateway)
    feed(point, [(0, 85)])
    alarm = Alarm.objects.get(point=point)
    services.acknowledge_alarm(alarm, actor=admin_user)
    _window(admin_user, gateway=gateway, start=5)  # the gateway's points
    feed(point, [(10, 95)])  # H → HH while suppressed
    alarm.refresh_from_db()
    assert alarm.state == AlarmState.ACKNOWLEDGED and (alarm.level, alarm.priority) == ("H", "warning")
    event = alarm.events.get(event="suppressed")
    assert (event.from_level, event.to_level, event.value) == ("H", "HH", 95.0)
    assert alarm_event_zh(event) == "进入高高报（维护期间，已抑制）"


def test_out_of_service_suppresses_reraises_over_the_http_batch_api(admin_user):
    org = EnterpriseFactory()
    gateway, token = make_gateway(org)
    point = make_point(organization=org, gateway=gateway)
    feed(point, [(0, 85), (10, 70)])
    alarm = Alarm.objects.get(point=point)
    services.acknowledge_alarm(alarm, actor=admin_user)
    services.update_point(point, actor=admin_user, out_of_service=True, out_of_service_reason="停用检修")
    body = {"readings": [{"point": point.code, "ts": T0 + 20, "value": 85}]}
    client = APIClient()
    r = client.post("/api/monitoring/ingest/", body, format="json", HTTP_AUTHORIZATION=f"Gateway {token}")
    assert r.status_code == 200 and r.json()["alarms_opened"] == 0
    alarm.refresh_from_db()
    assert alarm.state == AlarmState.ACKNOWLEDGED and alarm.occurrences == 1
    assert alarm.events.get(event="suppressed").detail == "out_of_service"
    assert alarm_event_zh(alarm.events.get(event="suppressed")) == "进入高报（测点停用，已抑制）"


def test_every_ingest_path_records_the_gateways_last_report_with_one_update(admin_user):
    org = EnterpriseFactory()
    gw_a, _ = make_gateway(org)
    gw_b, token_b = make_gateway(org)
    idle, _ = make_gateway(org)
    a = [make_point(organization=org, gateway=gw_a) for _ in range(3)]
    b = make_point(organization=org, gateway=gw_b)
    loose = make_point(organization=org)  # no gateway
    # MQTT / simulator path: no authenticated gateway, the points name theirs
    now = _at(5)
    readings = [ingest.RawReading(p.code, T0 + i, 70.0) for i, p in enumerate([*a, b, loose])]
    with CaptureQueriesContext(connection) as ctx:
        ingest.ingest_readings(readings, now=now)
    table = Gateway._meta.db_table
    updates = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE") and table in q["sql"]]
    assert len(updates) == 1
    seen = dict(Gateway.objects.values_list("code", "last_seen_at"))
    assert seen[gw_a.code] == now and seen[gw_b.code] == now and seen[idle.code] is None
    # HTTP batch path
    body = {"readings": [{"point": b.code, "ts": T0 + 60, "value": 70}]}
    r = APIClient().post(
        "/api/monitoring/ingest/", body, format="json", HTTP_AUTHORIZATION=f"Gateway {token_b}"
    )
    assert r.status_code == 200
    gw_b.refresh_from_db()
    assert gw_b.last_seen_at > now
    # CSV history upload
    c = APIClient()
    c.force_authenticate(admin_user)
    csv = f"ts,point,value\n{T0 + 120},{a[0].code},70\n".encode()
    before = Gateway.objects.get(pk=gw_a.pk).last_seen_at
    r = c.post(
        "/api/monitoring/points/history/", {"file": SimpleUploadedFile("h.csv", csv)}, format="multipart"
    )
    assert r.status_code == 200
    assert Gateway.objects.get(pk=gw_a.pk).last_seen_at > before


def test_escalation_notice_is_chinese_prose(make_persona, settings):
    settings.YINGJI_MONITORING_ESCALATE_LEADER_S = 300
    leader = make_persona("duty_leader")
    point = make_point(name="甲醇罐区温度", site_name="甲醇罐区", unit="℃")
    t0 = timezone.now()
    feed(point, [(0, 85.5)], now=t0)
    alarm = Alarm.objects.get(point=point)
    assert alerting.escalate_alarm(alarm.pk, now=t0 + timedelta(seconds=7 * 60 + 5)) == "escalated:1"
    msg = OutboxMessage.objects.filter(recipient=leader, dedupe_key__startswith="monitoring:alarm:").first()
    org = point.organization.name
    assert msg.subject == f"报警升级：{org} 甲醇罐区温度 高报（警示）未确认"
    assert "H" not in msg.subject.replace(org, "") and "critical" not in msg.subject
    # since the alarm became unacknowledged (its escalation timer started: t0)
    since = timezone.localtime(t0).strftime("%Y-%m-%d %H:%M")
    assert msg.body == (
        f"{org}甲醇罐区测点甲醇罐区温度（{point.code}）高报。读数 85.5 ℃，高报限值 80 ℃。"
        f"自 {since} 起报警，已 7 分钟未确认。请及时处置：/monitoring/alarms/{alarm.pk}/"
    )
