"""Incidents API: intake with field errors, duplicates (409), 续报 conflicts (409), reports, scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from yingji.apps.incidents.models import Incident
from yingji.apps.incidents.tests.factories import INSIDE

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def _payload(**extra):
    now = timezone.now()
    data = {
        "title": "工业园区燃气爆炸",
        "incident_type": "accident.01.WSA10016",
        "source": "119",
        "occurred_at": (now - timedelta(minutes=30)).isoformat(),
        "division_code": "652826100000",
        "lon": INSIDE[0],
        "lat": INSIDE[1],
        "deaths": 3,
    }
    data.update(extra)
    return data


def test_intake_grade_and_clocks_via_api(duty_officer):
    api = _api(duty_officer)
    r = api.post("/api/incidents/", _payload(), format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert (
        body["grade"] == 3 and body["grade_zh"] == "较大" and body["grade_reasons"] == ["deaths 3 ≥ 3 → 较大"]
    )
    deadlines = api.get(f"/api/incidents/{body['id']}/deadlines/").json()
    assert {d["key"] for d in deadlines} >= {"accident.unit_report", "accident.escalation.1"}
    assert api.get("/api/incidents/map-layer/").json()["features"][0]["properties"]["color"] == "#f9a825"


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"deaths": -2}, "deaths"),
        ({"incident_type": "no-such-type"}, "incident_type"),
        ({"lon": 10.0, "lat": 10.0}, "lon"),
        ({"occurred_at": (timezone.now() + timedelta(days=1)).isoformat()}, "occurred_at"),
        # implausible dates: year 1, far future, reported in 1999
        ({"occurred_at": "0001-01-01T08:00:00+08:00"}, "occurred_at"),
        ({"occurred_at": "2199-01-01T08:00:00+08:00"}, "occurred_at"),
        (
            {"occurred_at": "1999-12-30T08:00:00+08:00", "reported_at": "1999-12-31T08:00:00+08:00"},
            "reported_at",
        ),
    ],
)
def test_bad_intake_is_400_with_field_and_nothing_saved(duty_officer, bad, field):
    r = _api(duty_officer).post("/api/incidents/", _payload(**bad), format="json")
    assert r.status_code == 400 and field in r.json(), r.content
    assert Incident.objects.count() == 0


def test_duplicate_is_409_then_merge_or_confirm(duty_officer):
    api = _api(duty_officer)
    first = api.post("/api/incidents/", _payload(), format="json").json()
    r = api.post("/api/incidents/", _payload(deaths=4), format="json")
    assert r.status_code == 409 and r.json()["duplicates"][0]["id"] == first["id"]
    merged = api.post("/api/incidents/", _payload(deaths=4, merge_into=first["id"]), format="json")
    assert merged.status_code == 200 and merged.json()["merged_intake"] is True
    assert api.get(f"/api/incidents/{first['id']}/").json()["deaths"] == 4
    confirmed = api.post("/api/incidents/", _payload(allow_duplicate=True), format="json")
    assert confirmed.status_code == 201 and Incident.objects.count() == 2


def test_update_conflict_is_409(duty_officer):
    api = _api(duty_officer)
    inc = api.post("/api/incidents/", _payload(deaths=1), format="json").json()
    ok = api.post(f"/api/incidents/{inc['id']}/updates/", {"version": 1, "deaths": 3}, format="json")
    assert ok.status_code == 201 and ok.json()["incident"]["grade"] == 3
    stale = api.post(f"/api/incidents/{inc['id']}/updates/", {"version": 1, "deaths": 9}, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    neg = api.post(f"/api/incidents/{inc['id']}/updates/", {"version": 2, "deaths": -1}, format="json")
    assert neg.status_code == 400 and "deaths" in neg.json()


def test_reports_via_api(duty_officer):
    api = _api(duty_officer)
    inc = api.post("/api/incidents/", _payload(), format="json").json()
    report = api.post(f"/api/incidents/{inc['id']}/reports/", {"kind": "initial"}, format="json").json()
    assert report["label"] == "首报"
    edited = api.patch(
        f"/api/incident-reports/{report['id']}/", {"version": 1, "body": "正文已修改"}, format="json"
    )
    assert edited.status_code == 200 and edited.json()["version"] == 2
    assert (
        api.patch(
            f"/api/incident-reports/{report['id']}/", {"version": 1, "body": "x"}, format="json"
        ).status_code
        == 409
    )
    sent = api.post(f"/api/incident-reports/{report['id']}/send/", {"levels": [1]}, format="json")
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    docx = api.get(f"/api/incident-reports/{report['id']}/docx/?version=1")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert (
        api.post(f"/api/incident-reports/{report['id']}/send/", {"levels": [9]}, format="json").status_code
        == 400
    )
    entry = api.post(
        f"/api/incidents/{inc['id']}/timeline/", {"kind": "instruction", "summary": "批示"}, format="json"
    )
    assert entry.status_code == 201 and len(entry.json()["hash"]) == 64


def test_scope_township_officer(make_persona, township, other_township, duty_officer):
    api = _api(duty_officer)
    inc = api.post("/api/incidents/", _payload(), format="json").json()
    far = _api(make_persona("township_officer", division=other_township))
    assert far.get(f"/api/incidents/{inc['id']}/").status_code == 404
    r = far.post("/api/incidents/", _payload(allow_duplicate=True), format="json")
    assert r.status_code == 403
    near = _api(make_persona("township_officer", division=township))
    assert near.get(f"/api/incidents/{inc['id']}/").status_code == 200
    # township officers may add 续报 but not draft reports
    assert (
        near.post(f"/api/incidents/{inc['id']}/reports/", {"kind": "initial"}, format="json").status_code
        == 403
    )
    public = _api(make_persona("public_viewer"))
    assert public.get("/api/incidents/").status_code == 403


def test_absurd_direct_loss_is_a_field_error_not_a_broken_list(db, duty_officer):
    from rest_framework.test import APIClient

    c = APIClient()
    c.force_authenticate(duty_officer)
    r = c.post("/api/incidents/", {"direct_loss_cny": "99999999999999.99"}, format="json")
    assert r.status_code == 400 and "direct_loss_cny" in r.json()
    assert c.get("/api/incidents/").status_code == 200


def test_update_and_log_times_must_be_plausible(duty_officer):
    api = _api(duty_officer)
    incident = api.post("/api/incidents/", _payload(), format="json").json()
    pk, occurred = incident["id"], incident["occurred_at"]
    before = (timezone.now() - timedelta(hours=2)).isoformat()
    for received_at in ("0001-01-01T00:00:00+08:00", before):
        r = api.post(
            f"/api/incidents/{pk}/updates/",
            {"version": 1, "deaths": 4, "received_at": received_at},
            format="json",
        )
        assert r.status_code == 400 and "received_at" in r.json(), r.content
    assert "早于" in str(r.json()["received_at"])
    r = api.post(
        f"/api/incidents/{pk}/timeline/", {"kind": "call", "summary": "回电", "at": before}, format="json"
    )
    assert r.status_code == 400 and "事件发生时间" in str(r.json()["at"])
    assert api.get(f"/api/incidents/{pk}/").json()["version"] == 1
    ok = api.post(
        f"/api/incidents/{pk}/timeline/", {"kind": "call", "summary": "回电", "at": occurred}, format="json"
    )
    assert ok.status_code == 201
