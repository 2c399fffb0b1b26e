"""Pages and API: permissions per persona, field errors, workflow over HTTP, public pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from yingji.apps.warnings import services
from yingji.apps.warnings.models import Warning, WarningState
from yingji.apps.warnings.tests.factories import TemplateFactory, warning_fields

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_pages_render_for_duty_officer(duty_officer, county):
    TemplateFactory()
    w = services.create_warning(actor=duty_officer, areas=[county], **warning_fields())
    c = _client(duty_officer)
    for url in [
        "/warnings/",
        "/warnings/new/",
        "/warnings/new/?template=wind&severity=Severe",
        f"/warnings/{w.pk}/",
        f"/warnings/{w.pk}/edit/",
        f"/warnings/{w.pk}/deliveries/",
        "/warnings/upstream/",
        "/warnings/rules/",
        "/warnings/stats/",
        "/warnings/public/",
    ]:
        assert c.get(url).status_code == 200, url
    html = c.get("/warnings/new/?template=wind&severity=Severe").content.decode()
    assert "焉耆回族自治县发布大风橙色预警" in html


def test_form_post_creates_and_shows_errors(duty_officer, county):
    c = _client(duty_officer)
    r = c.post("/warnings/new/", {"event": "大风", "severity": "Moderate", "headline": "", "expires": "bad"})
    assert r.status_code == 200 and "errorlist" in r.content.decode()
    assert Warning.objects.count() == 0
    data = {
        "status": "Actual",
        "category": "Met",
        "event": "大风",
        "severity": "Moderate",
        "urgency": "Expected",
        "certainty": "Likely",
        "response_type": "Prepare",
        "expires": "2099-01-01T08:00",
        "headline": "测试大风预警",
        "description": "描述",
        "instruction": "",
        "second_language": "en-US",
        "areas": [county.pk],
        "polygon": "",
        "submit_now": "1",
    }
    r = c.post("/warnings/new/", data)
    assert r.status_code == 302
    w = Warning.objects.get()
    assert w.state == WarningState.PENDING and w.submitted_by == duty_officer


def test_public_viewer_sees_only_public_page(make_persona):
    public = make_persona("public_viewer")
    c = _client(public)
    assert c.get("/warnings/public/").status_code == 200
    assert c.get("/warnings/").status_code == 403
    assert _api(public).get("/api/warnings/public/").status_code == 200
    assert _api(public).get("/api/warnings/").status_code == 403
    anon = Client()
    assert anon.get("/warnings/feed.atom").status_code == 200
    assert anon.get("/warnings/public/").status_code == 302  # login first


def test_api_workflow_and_two_person_rule(make_persona, county):
    author = make_persona("duty_leader", username="api-author")
    other = make_persona("commander", username="api-commander")
    a = _api(author)
    r = a.post("/api/warnings/", {"event": "大风"}, format="json")
    assert r.status_code == 400 and {"severity", "headline", "expires"} <= set(r.json())
    payload = {
        **{k: str(v) for k, v in warning_fields().items()},
        "areas": [county.code],
        "blocked_channels": ["email"],
    }
    r = a.post("/api/warnings/", payload, format="json")
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    assert a.post("/api/warnings/", {**payload, "areas": ["110101000000"]}, format="json").status_code == 400
    assert a.post(f"/api/warnings/{pk}/submit/").status_code == 200
    r = a.post(f"/api/warnings/{pk}/approve/")
    assert r.status_code == 403 and Warning.objects.get(pk=pk).state == WarningState.PENDING
    assert a.post(f"/api/warnings/{pk}/release/").status_code == 403  # leaders do not release
    c = _api(other)
    assert c.post(f"/api/warnings/{pk}/reject/", {}, format="json").status_code == 400
    assert c.post(f"/api/warnings/{pk}/approve/").status_code == 200
    r = c.post(f"/api/warnings/{pk}/release/")
    assert r.status_code == 200 and r.json()["state"] == "released" and r.json()["cap_url"].endswith(".xml")
    assert c.get(f"/api/warnings/{pk}/deliveries/").status_code == 200
    assert c.post(f"/api/warnings/{pk}/release/").status_code == 400  # already released
    r = c.post(f"/api/warnings/{pk}/update-message/")
    assert r.status_code == 201 and r.json()["msg_type"] == "Update"


def test_api_ingest_and_derive(duty_officer):
    from pathlib import Path

    cma = (
        Path(__file__).resolve().parents[5]
        / "data/cap/samples/cn-cma-baoding-lightning-yellow-update-en-zh.xml"
    )
    api = _api(duty_officer)
    r = api.post(
        "/api/warnings/upstream-alerts/ingest/", cma.read_bytes(), content_type="application/cap+xml"
    )
    assert r.status_code == 201 and r.json()["intersects_county"] is False
    r2 = api.post(f"/api/warnings/upstream-alerts/{r.json()['id']}/derive/", {}, format="json")
    assert r2.status_code == 201 and r2.json()["state"] == "draft"


def test_township_officer_sees_recipients_of_own_township_only(
    make_persona, township, other_township, admin_user
):
    services.create_recipient(
        actor=admin_user, name="甲", channel="sms", address="13800000001", division=township
    )
    services.create_recipient(
        actor=admin_user, name="乙", channel="sms", address="13800000002", division=other_township
    )
    officer = make_persona("township_officer", division=township)
    names = [r["name"] for r in _api(officer).get("/api/warnings/recipients/").json()["results"]]
    assert names == ["甲"]


def test_edit_form_keeps_times_in_datetime_local_format(duty_officer, county):
    w = services.create_warning(actor=duty_officer, areas=[county], **warning_fields())
    html = _client(duty_officer).get(f"/warnings/{w.pk}/edit/").content.decode()
    tag = re.search(r'<input[^>]*name="expires"[^>]*>', html).group(0)
    assert 'type="datetime-local"' in tag and re.search(r'value="\d{4}-\d\d-\d\dT\d\d:\d\d"', tag)
