"""Server-rendered pages: login (throttled), navigation, restriction, i18n, demo labels, audit views."""

from __future__ import annotations

import pytest
from django.test import Client

from yingji.apps.audit.models import ChangeRecord
from yingji.apps.directory.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_login_page_and_redirect(client, duty_officer):
    assert client.get("/").status_code == 302
    r = client.post("/accounts/login/", {"username": "duty1", "password": duty_officer.test_password})
    assert r.status_code == 302 and r["Location"] == "/"
    assert client.get("/").status_code == 200


def test_failed_logins_are_rate_limited(client, duty_officer):
    for _ in range(5):
        r = client.post("/accounts/login/", {"username": "duty1", "password": "wrong"})
        assert r.status_code == 200
    r = client.post("/accounts/login/", {"username": "duty1", "password": duty_officer.test_password})
    assert r.status_code == 429
    assert "登录失败次数过多".encode() in r.content
    assert client.get("/").status_code == 302  # still not signed in
    # another user from the same address is not blocked
    other = Client()
    assert other.post("/accounts/login/", {"username": "nobody", "password": "x"}).status_code == 200


def test_navigation_marks_unbuilt_subsystems_without_links(duty_officer):
    html = _login(duty_officer).get("/").content.decode()
    assert "值班值守" in html and "建设中" in html
    assert 'href="/map/"' in html
    assert 'href="/audit/"' not in html  # duty officers do not read the audit trail


def test_pages_render_for_duty_officer(duty_officer):
    c = _login(duty_officer)
    for url in [
        "/",
        "/map/",
        "/directory/divisions/",
        "/directory/divisions/?level=village",
        "/directory/divisions/652826100000/",
        "/directory/organizations/",
        "/resources/",
        "/risk/enterprises/",
        "/accounts/profile/",
    ]:
        r = c.get(url)
        assert r.status_code == 200, url
    html = c.get("/directory/divisions/?level=township").content.decode()
    assert html.count("652826") >= 10 and "七个星镇" in html


def test_map_layers_json(duty_officer):
    data = _login(duty_officer).get("/map/layers.json").json()
    layers = {layer["key"]: layer for layer in data["layers"]}
    assert layers["boundary"]["features"][0]["geometry"]["type"] == "Polygon"
    assert len(layers["townships"]["features"]) == 10
    assert len(layers["hazard-earthquake"]["features"]) == 36
    assert len(layers["hazard-fault"]["features"]) == 15


def test_public_viewer_map_has_no_operational_layers(make_persona):
    keys = {
        layer["key"]
        for layer in _login(make_persona("public_viewer")).get("/map/layers.json").json()["layers"]
    }
    assert "boundary" in keys and "townships" in keys
    assert not keys & {"enterprises", "depots", "teams", "shelters"}


def test_forbidden_page_is_403(make_persona):
    r = _login(make_persona("public_viewer")).get("/resources/")
    assert r.status_code == 403
    # the site's own page, with navigation
    assert "无权访问".encode() in r.content and b'href="/map/"' in r.content


def test_missing_record_is_404_page(duty_officer):
    r = _login(duty_officer).get("/directory/divisions/999999999999/")
    assert r.status_code == 404 and "未找到".encode() in r.content


def test_township_officer_page_shows_only_own_township(make_persona, township, other_township):
    mine, theirs = OrganizationFactory(division=township), OrganizationFactory(division=other_township)
    html = (
        _login(make_persona("township_officer", division=township)).get("/directory/organizations/").content
    )
    assert mine.name.encode() in html and theirs.name.encode() not in html


def test_demo_records_are_labelled(duty_officer):
    OrganizationFactory(name="示例测试单位", is_demo=True)
    html = _login(duty_officer).get("/directory/organizations/").content.decode()
    assert 'class="demo"' in html


def test_default_language_is_chinese_and_switch_to_english(duty_officer):
    c = _login(duty_officer)
    html = c.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    assert '<html lang="zh-hans">' in html and "一张图" in html
    r = c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert r.status_code == 302
    html = c.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Map" in html and "Under construction" in html
    # the switch names each language in itself (not "英语"/"Chinese"), import kinds in English
    assert ">English</button>" in html and ">简体中文</button>" in html and "英语" not in html
    from django.utils import translation

    from yingji.apps.core.imports.registry import all_kinds

    with translation.override("en"):
        labels = {k["kind"]: k["label"] for k in all_kinds()}
    assert (
        labels["rescue-teams"] == "Emergency rescue teams"
        and labels["monitoring-points"] == "Monitoring point"
    )


def test_audit_views_for_auditor_only(auditor, duty_officer, admin_user):
    from yingji.apps.directory.services import update_organization

    org = OrganizationFactory()
    update_organization(org, actor=admin_user, phone="123")
    rec = ChangeRecord.objects.filter(model_name="organization", action="update").latest("id")
    c = _login(auditor)
    assert c.get("/audit/").status_code == 200
    detail = c.get(f"/audit/{rec.pk}/").content.decode()
    assert "phone" in detail and "123" in detail
    assert _login(duty_officer).get("/audit/").status_code == 403


def test_admin_changes_are_audited(admin_user):
    admin_user.is_staff = True
    admin_user.is_superuser = True
    admin_user.save()
    org = OrganizationFactory()
    c = _login(admin_user)
    r = c.post(
        f"/admin/directory/organization/{org.pk}/change/",
        {
            "name": org.name,
            "short_name": "",
            "kind": org.kind,
            "division": org.division_id,
            "parent": "",
            "uscc": "",
            "address": "新地址",
            "phone": "",
            "lon": org.lon,
            "lat": org.lat,
        },
    )
    assert r.status_code == 302, r.content[:2000]
    rec = ChangeRecord.objects.filter(model_name="organization", object_id=str(org.pk)).latest("id")
    assert rec.action == "update" and rec.after["address"] == "新地址" and rec.actor == admin_user
