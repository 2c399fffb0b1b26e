"""Pages: desk, intake form (errors, duplicates), detail with 续报 conflict, report edit/send/download."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from yingji.apps.incidents.models import Incident, IncidentReport
from yingji.apps.incidents.tests.factories import INSIDE, make_incident

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _form(type_pk: int, **extra):
    when = timezone.localtime(timezone.now() - timedelta(minutes=15)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "title": "燃气爆炸",
        "incident_type": type_pk,
        "source": "phone",
        "occurred_at": when,
        "division": "",
        "lon": INSIDE[0],
        "lat": INSIDE[1],
        "deaths": 3,
        "missing": 0,
        "serious_injuries": 0,
        "injured": 0,
        "trapped": 0,
        "direct_loss_cny": "0",
    }
    data.update(extra)
    return data


def test_desk_lists_open_incidents_and_countdowns(duty_officer, django_assert_max_num_queries):
    make_incident(duty_officer, deaths=3)
    c = _client(duty_officer)
    with django_assert_max_num_queries(15):
        html = c.get("/incidents/").content.decode()
    assert "某化工企业爆炸事故" in html and "较大" in html and 'class="countdown"' in html
    assert "notifications/live.js" in html and "data-desk-stream" in html
    assert "desk-body" in c.get("/incidents/?partial=1", HTTP_HX_REQUEST="true").content.decode()


def test_intake_form_errors_then_success(duty_officer, township):
    from yingji.apps.incidents.tests.factories import incident_type

    kind = incident_type()
    c = _client(duty_officer)
    assert c.get("/incidents/new/").status_code == 200
    bad = c.post("/incidents/new/", _form(kind.pk, division=township.pk, deaths=-1, lon=80, lat=40))
    assert bad.status_code == 400
    html = bad.content.decode()
    assert 'data-field="deaths"' in html
    assert Incident.objects.count() == 0
    year_one = c.post("/incidents/new/", _form(kind.pk, division=township.pk, occurred_at="0001-01-01T08:00"))
    assert year_one.status_code == 400 and "日期不能早于2000-01-01" in year_one.content.decode()
    outside = c.post("/incidents/new/", _form(kind.pk, division=township.pk, lon=80, lat=40))
    assert outside.status_code == 400 and "坐标不在本县范围内" in outside.content.decode()
    ok = c.post("/incidents/new/", _form(kind.pk, division=township.pk))
    assert ok.status_code == 302
    dup = c.post("/incidents/new/", _form(kind.pk, division=township.pk))
    assert dup.status_code == 409 and "可能是重复接报" in dup.content.decode()
    first = Incident.objects.get()
    merged = c.post("/incidents/new/", _form(kind.pk, division=township.pk, deaths=5, merge_into=first.pk))
    assert merged.status_code == 302
    first.refresh_from_db()
    assert first.deaths == 5 and Incident.objects.count() == 1


def test_detail_update_conflict_and_reports(duty_officer):
    incident = make_incident(duty_officer, deaths=3)
    c = _client(duty_officer)
    html = c.get(f"/incidents/{incident.pk}/").content.decode()
    # the grading reasons and the grade change read as prose; the engine's notation stays in the API
    assert "死亡3人，达到较大事故标准（3人以上）" in html and "哈希链完整" in html
    assert "初判等级为较大：死亡3人" in html and "≥" not in html
    api = c.get(f"/api/incidents/{incident.pk}/").json()
    assert api["grade_reasons"] == ["deaths 3 ≥ 3 → 较大"]
    facts = {
        "deaths": 4,
        "missing": 0,
        "serious_injuries": 0,
        "injured": 0,
        "trapped": 0,
        "direct_loss_cny": "0",
    }
    assert c.post(f"/incidents/{incident.pk}/update/", {"version": 1, **facts}).status_code == 302
    stale = c.post(f"/incidents/{incident.pk}/update/", {"version": 1, **facts, "deaths": 9})
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    assert c.post(f"/incidents/{incident.pk}/reports/new/", {"kind": "initial"}).status_code == 302
    report = IncidentReport.objects.get()
    assert c.get(f"/incidents/reports/{report.pk}/").status_code == 200
    r = c.post(f"/incidents/reports/{report.pk}/", {"version": 1, "title": report.title, "body": "新正文"})
    assert r.status_code == 302
    assert (
        c.post(f"/incidents/reports/{report.pk}/send/", {"version": 2, "levels": [1, 2]}).status_code == 302
    )
    docx = c.get(f"/incidents/reports/{report.pk}/document.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert c.get(f"/incidents/reports/{report.pk}/document.pdf?version=1").content[:4] == b"%PDF"
    assert c.get(f"/incidents/reports/{report.pk}/document.txt").status_code == 404
    layer = c.get("/incidents/map-layer.json").json()
    assert layer["features"][0]["properties"]["grade"] == 3


def test_public_viewer_cannot_open_desk(make_persona):
    assert _client(make_persona("public_viewer")).get("/incidents/").status_code == 403
