"""API: gateway batch ingest, alarm actions, registry writes, history upload; per-persona permissions."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from yingji.apps.directory.tests.factories import EnterpriseFactory
from yingji.apps.monitoring.models import Alarm, AlarmState, MonitoringPoint, Reading
from yingji.apps.monitoring.tests.factories import T0, feed, make_gateway, make_point

pytestmark = pytest.mark.django_db
INGEST = "/api/monitoring/ingest/"


def _client(user=None) -> APIClient:
    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


def test_gateway_batch_ingest_commits_then_answers():
    org = EnterpriseFactory()
    gateway, token = make_gateway(org)
    mine = make_point(organization=org, gateway=gateway)
    foreign = make_point()
    body = {
        "readings": [
            {"point": mine.code, "ts": T0, "value": 70},
            {"point": mine.code, "ts": "2025-06-01T16:00:01+08:00", "value": 85},
            {"point": foreign.code, "ts": T0, "value": 99},
        ]
    }
    assert _client().post(INGEST, body, format="json").status_code == 401
    bad = _client().post(INGEST, body, format="json", HTTP_AUTHORIZATION="Gateway nope")
    assert bad.status_code == 401
    r = _client().post(INGEST, body, format="json", HTTP_AUTHORIZATION=f"Gateway {token}")
    assert r.status_code == 200, r.content
    assert r.json()["stored"] == 2 and r.json()["alarms_opened"] == 1
    assert r.json()["rejected"] == [
        {"index": 2, "point": foreign.code, "reason": "point is not bound to this gateway"}
    ]
    # resending is harmless
    again = _client().post(INGEST, body, format="json", HTTP_X_GATEWAY_TOKEN=token)
    assert again.json()["duplicates"] == 2 and Reading.objects.count() == 2
    gateway.refresh_from_db()
    assert gateway.last_seen_at is not None


def test_malformed_batch_is_a_400_with_per_reading_errors_and_nothing_stored():
    org = EnterpriseFactory()
    _gateway, token = make_gateway(org)
    point = make_point(organization=org)
    body = {
        "readings": [{"point": point.code, "ts": T0, "value": 1}, {"point": point.code, "ts": "yesterday"}]
    }
    r = _client().post(INGEST, body, format="json", HTTP_AUTHORIZATION=f"Gateway {token}")
    assert r.status_code == 400
    errors = r.json()["readings"]
    assert {e["field"] for e in errors} == {"value"} or {e["field"] for e in errors} == {"ts", "value"}
    assert not Reading.objects.exists()
    naive = {"readings": [{"point": point.code, "ts": "2025-06-01T08:00:00", "value": 1}]}
    r = _client().post(INGEST, naive, format="json", HTTP_AUTHORIZATION=f"Gateway {token}")
    assert r.status_code == 400 and "UTC offset" in r.json()["readings"][0]["message"]


@pytest.mark.parametrize(
    ("role", "can_act"),
    [
        ("duty_officer", True),
        ("duty_leader", True),
        ("enforcement_officer", True),
        ("township_officer", False),
        ("auditor", False),
    ],
)
def test_alarm_actions_by_persona(make_persona, role, can_act):
    user = make_persona(role)
    point = make_point()
    feed(point, [(0, 85)])
    alarm = Alarm.objects.get()
    c = _client(user)
    assert c.get(f"/api/monitoring/alarms/{alarm.pk}/").status_code == 200
    r = c.post(f"/api/monitoring/alarms/{alarm.pk}/acknowledge/", {"note": "收到"}, format="json")
    alarm.refresh_from_db()
    if can_act:
        assert r.status_code == 200 and alarm.state == AlarmState.ACKNOWLEDGED
    else:
        assert r.status_code == 403 and alarm.state == AlarmState.RAISED and not alarm.notes.exists()


def test_alarm_lifecycle_over_the_api(duty_officer):
    point = make_point()
    feed(point, [(0, 85)])
    alarm = Alarm.objects.get()
    c = _client(duty_officer)
    base = f"/api/monitoring/alarms/{alarm.pk}"
    assert c.post(f"{base}/close/", {}, format="json").status_code == 400  # not handled
    assert list(c.post(f"{base}/handle/", {}, format="json").json()) == ["note"]
    assert c.post(f"{base}/handle/", {"note": "已处置"}, format="json").status_code == 200
    assert c.post(f"{base}/notes/", {"text": "补充记录"}, format="json").status_code == 201
    assert c.post(f"{base}/close/", {"note": "关闭"}, format="json").json()["state"] == "closed"
    detail = c.get(f"{base}/").json()
    assert [n["action"] for n in detail["notes"]] == ["handle", "note", "close"]
    assert c.post(f"{base}/shelve/", {"until": "bad", "reason": ""}, format="json").status_code == 400


def test_enterprise_safety_manager_sees_only_own_enterprise(make_persona):
    mine, other = EnterpriseFactory(), EnterpriseFactory()
    manager = make_persona("enterprise_safety_manager", organization=mine)
    p1, p2 = make_point(organization=mine), make_point(organization=other)
    feed(p1, [(0, 85)])
    feed(p2, [(0, 85)])
    c = _client(manager)
    codes = [p["code"] for p in c.get("/api/monitoring/points/").json()["results"]]
    assert codes == [p1.code]
    alarms = c.get("/api/monitoring/alarms/").json()["results"]
    assert [a["point"] for a in alarms] == [p1.pk]
    assert c.get(f"/api/monitoring/points/{p2.pk}/").status_code == 404
    # alarms are the duty desk's: no acknowledging; points of their own enterprise only
    a1 = Alarm.objects.get(point=p1)
    assert c.post(f"/api/monitoring/alarms/{a1.pk}/acknowledge/", {}, format="json").status_code == 403
    body = {"code": "X", "name": "温度", "quantity": "temperature", "unit": "℃"}
    r = c.post("/api/monitoring/points/", {**body, "organization": other.pk}, format="json")
    assert r.status_code == 400 and "organization" in r.json()
    assert (
        c.post("/api/monitoring/gateways/", {"code": "G", "name": "g", "organization": mine.pk}).status_code
        == 403
    )


def test_point_registry_writes_validate_rules(admin_user):
    org = EnterpriseFactory()
    c = _client(admin_user)
    body = {
        "code": "API-1",
        "name": "压力",
        "organization": org.pk,
        "quantity": "pressure",
        "unit": "MPa",
        "h": 2.0,
        "hh": 1.5,
    }
    r = c.post("/api/monitoring/points/", body, format="json")
    assert r.status_code == 400 and "hh" in r.json()
    body["hh"] = 2.5
    r = c.post("/api/monitoring/points/", body, format="json")
    assert r.status_code == 201 and r.json()["level"] == "N"
    pk = r.json()["id"]
    assert c.patch(f"/api/monitoring/points/{pk}/", {"deadband": -1}, format="json").status_code == 400
    assert c.patch(f"/api/monitoring/points/{pk}/", {"deadband": 0.1}, format="json").status_code == 200
    assert MonitoringPoint.objects.get(pk=pk).deadband == 0.1
    series = c.get(f"/api/monitoring/points/{pk}/series/").json()
    assert series["limits"] == {"hh": 2.5, "h": 2.0} and series["resolution"] == "1m"  # 24 h of 10 s samples


def test_gateway_creation_returns_token_once(admin_user):
    org = EnterpriseFactory()
    c = _client(admin_user)
    r = c.post(
        "/api/monitoring/gateways/", {"code": "GW-API", "name": "网关", "organization": org.pk}, format="json"
    )
    assert r.status_code == 201
    token = r.json()["token"]
    assert (
        token.startswith("ygw_")
        and "token" not in c.get(f"/api/monitoring/gateways/{r.json()['id']}/").json()
    )
    rotated = c.post(f"/api/monitoring/gateways/{r.json()['id']}/rotate-token/").json()["token"]
    assert rotated != token
    assert (
        _client()
        .post(INGEST, {"readings": []}, format="json", HTTP_AUTHORIZATION=f"Gateway {token}")
        .status_code
        == 401
    )


def test_history_csv_upload_all_or_nothing(admin_user):
    point = make_point()
    c = _client(admin_user)
    good = f"ts,point,value\n{T0},{point.code},70\n{T0 + 60},{point.code},95\n".encode()
    bad = f"ts,point,value\n{T0},{point.code},70\n{T0 + 60},{point.code},abc\n".encode()
    r = c.post(
        "/api/monitoring/points/history/", {"file": SimpleUploadedFile("h.csv", bad)}, format="multipart"
    )
    assert r.status_code == 400 and str(r.json()["file"][0]["row"]) == "3" and not Reading.objects.exists()
    r = c.post(
        "/api/monitoring/points/history/", {"file": SimpleUploadedFile("h.csv", good)}, format="multipart"
    )
    assert r.status_code == 200 and r.json()["stored"] == 2
    assert not Alarm.objects.exists()  # history is archived, not evaluated, by default
    unknown = b"ts,point,value\n1,NOPE,1\n"
    r = c.post(
        "/api/monitoring/points/history/", {"file": SimpleUploadedFile("h.csv", unknown)}, format="multipart"
    )
    assert r.status_code == 400
