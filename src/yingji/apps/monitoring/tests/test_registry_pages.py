"""Registry pages: gateways (token shown once, rotation), devices, maintenance windows (plan, end
early, cancel); each page: GET, a valid POST, an invalid POST with a field error, a forbidden user.
Plus the same edits over the API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from yingji.apps.audit.models import ChangeRecord
from yingji.apps.directory.tests.factories import EnterpriseFactory
from yingji.apps.monitoring import services
from yingji.apps.monitoring.models import Device, Gateway, MaintenanceWindow
from yingji.apps.monitoring.tests.factories import make_gateway, make_point

pytestmark = pytest.mark.django_db


def _login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _api(user: Any) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def _local(dt: Any) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def _audited(model: str, action: str) -> int:
    return ChangeRecord.objects.filter(model_name=model, action=action).count()


@pytest.fixture
def plants(township: Any, other_township: Any) -> tuple[Any, Any]:
    return EnterpriseFactory(division=township), EnterpriseFactory(division=other_township)


@pytest.fixture
def commander(make_persona: Any) -> Any:
    return make_persona("commander", username="cmd")


def test_index_links_to_the_registry_pages(commander, duty_officer, make_persona):
    page = _login(commander).get("/monitoring/").content.decode()
    for anchor in ('id="nav-gateways"', 'id="nav-devices"', 'id="nav-maintenance"'):
        assert anchor in page
    assert "/monitoring/maintenance/" in page and "/monitoring/devices/" in page
    # the lists are readable by every monitoring role, not by the public
    viewer = _login(make_persona("public_viewer"))
    for url in ("/monitoring/gateways/", "/monitoring/devices/", "/monitoring/maintenance/"):
        assert _login(duty_officer).get(url).status_code == 200, url
        assert viewer.get(url).status_code == 403, url


def test_gateway_list_create_edit_and_rotate(commander, duty_officer, plants):
    own, _other = plants
    c = _login(commander)
    # create: GET, invalid POST (missing name), valid POST showing the token once
    assert "创建并生成令牌" in c.get("/monitoring/gateways/new/").content.decode()
    r = c.post("/monitoring/gateways/new/", {"code": "GW-1", "organization": own.pk})
    assert r.status_code == 400 and 'id="id_name"' in r.content.decode() and "errorlist" in r.content.decode()
    r = c.post("/monitoring/gateways/new/", {"code": "GW-1", "name": "一号网关", "organization": own.pk})
    assert r.status_code == 200 and r["Cache-Control"] == "no-store"
    gateway = Gateway.objects.get(code="GW-1")
    token = r.content.decode().split('id="gateway-token">')[1].split("<")[0]
    assert services.gateway_for_token(token) == gateway and _audited("gateway", "create") == 1
    # a duplicate code is a field error
    r = c.post("/monitoring/gateways/new/", {"code": "GW-1", "name": "重复", "organization": own.pk})
    assert r.status_code == 400 and Gateway.objects.filter(code="GW-1").count() == 1
    # list
    page = c.get("/monitoring/gateways/").content.decode()
    assert "GW-1" in page and f"/monitoring/gateways/{gateway.pk}/edit/" in page and token not in page
    # edit: GET (no token shown), invalid POST (empty name), valid POST (rename, switch off)
    page = c.get(f"/monitoring/gateways/{gateway.pk}/edit/").content.decode()
    assert "一号网关" in page and token not in page and 'id="rotate-form"' in page
    r = c.post(f"/monitoring/gateways/{gateway.pk}/edit/", {"name": "", "is_active": "on"})
    assert r.status_code == 400 and "errorlist" in r.content.decode()
    r = c.post(f"/monitoring/gateways/{gateway.pk}/edit/", {"name": "锅炉房网关"})
    assert r.status_code == 302
    gateway.refresh_from_db()
    assert gateway.name == "锅炉房网关" and not gateway.is_active and gateway.code == "GW-1"
    assert services.gateway_for_token(token) is None  # an inactive gateway's token is refused
    assert _audited("gateway", "update") == 1
    # rotate: a new token shown once, the old one is dead
    services.update_gateway(gateway, actor=commander, is_active=True)
    r = c.post(f"/monitoring/gateways/{gateway.pk}/rotate-token/")
    assert r.status_code == 200 and r["Cache-Control"] == "no-store"
    new_token = r.content.decode().split('id="gateway-token">')[1].split("<")[0]
    assert new_token != token and services.gateway_for_token(new_token) == gateway
    assert services.gateway_for_token(token) is None
    # forbidden: a duty officer reads but neither creates, edits nor rotates
    d = _login(duty_officer)
    assert d.get("/monitoring/gateways/new/").status_code == 403
    assert (
        d.post("/monitoring/gateways/new/", {"code": "GW-2", "name": "x", "organization": own.pk}).status_code
        == 403
    )
    assert d.get(f"/monitoring/gateways/{gateway.pk}/edit/").status_code == 403
    assert d.post(f"/monitoring/gateways/{gateway.pk}/rotate-token/").status_code == 403
    assert (
        services.gateway_for_token(new_token) == gateway and not Gateway.objects.filter(code="GW-2").exists()
    )


def test_gateways_of_another_township_do_not_exist_for_a_township_commander(make_persona, township, plants):
    _own, other = plants
    foreign, _token = make_gateway(other)
    c = _login(make_persona("commander", division=township))
    assert foreign.code not in c.get("/monitoring/gateways/").content.decode()
    assert c.get(f"/monitoring/gateways/{foreign.pk}/edit/").status_code == 404
    assert c.post(f"/monitoring/gateways/{foreign.pk}/rotate-token/").status_code == 404
    r = c.post("/monitoring/gateways/new/", {"code": "GW-X", "name": "x", "organization": other.pk})
    assert r.status_code == 400 and not Gateway.objects.filter(code="GW-X").exists()


def test_device_list_create_and_edit(commander, duty_officer, plants):
    own, other = plants
    gateway, _ = make_gateway(own)
    foreign_gateway, _ = make_gateway(other)
    c = _login(commander)
    assert (
        'hx-get="/monitoring/registry/options/?for=device"'
        in c.get("/monitoring/devices/new/").content.decode()
    )
    body = {"code": "DEV-1", "name": "压力变送器", "organization": own.pk, "gateway": foreign_gateway.pk}
    r = c.post("/monitoring/devices/new/", body)
    assert r.status_code == 400 and "网关必须属于同一企业" in r.content.decode()
    r = c.post("/monitoring/devices/new/", {**body, "gateway": gateway.pk, "model_name": "EJA110"})
    assert r.status_code == 302 and r["Location"] == "/monitoring/devices/"
    device = Device.objects.get(code="DEV-1")
    assert device.gateway == gateway and _audited("device", "create") == 1
    point = make_point(own, device=device)
    page = c.get("/monitoring/devices/").content.decode()
    assert "DEV-1" in page and gateway.code in page and point.code not in page
    # edit: gateways offered are the device's enterprise's only
    page = c.get(f"/monitoring/devices/{device.pk}/edit/").content.decode()
    assert gateway.code in page and foreign_gateway.code not in page
    r = c.post(f"/monitoring/devices/{device.pk}/edit/", {"name": "", "gateway": gateway.pk})
    assert r.status_code == 400 and "errorlist" in r.content.decode()
    r = c.post(
        f"/monitoring/devices/{device.pk}/edit/",
        {"name": "差压变送器", "gateway": "", "serial_number": "S-9"},
    )
    assert r.status_code == 302
    device.refresh_from_db()
    assert (device.name, device.gateway, device.serial_number) == ("差压变送器", None, "S-9")
    assert _audited("device", "update") == 1
    # forbidden
    d = _login(duty_officer)
    assert d.get("/monitoring/devices/").status_code == 200
    assert d.get("/monitoring/devices/new/").status_code == 403
    assert d.post("/monitoring/devices/new/", {**body, "code": "DEV-2"}).status_code == 403
    assert d.post(f"/monitoring/devices/{device.pk}/edit/", {"name": "x"}).status_code == 403
    assert Device.objects.count() == 1


def test_registry_options_fragment_lists_the_enterprises_gateways_and_points(commander, plants):
    own, other = plants
    gateway, _ = make_gateway(own)
    foreign, _ = make_gateway(other)
    point = make_point(own)
    c = _login(commander)
    html = c.get(f"/monitoring/registry/options/?for=device&organization={own.pk}").content.decode()
    assert gateway.code in html and foreign.code not in html and point.code not in html
    html = c.get(f"/monitoring/registry/options/?for=maintenance&organization={own.pk}").content.decode()
    assert point.code in html and 'hx-swap-oob="innerHTML"' in html and gateway.code in html
    assert c.get("/monitoring/registry/options/?for=maintenance&organization=x").status_code == 200


def test_maintenance_plan_end_early_and_cancel(commander, duty_officer, plants):
    own, other = plants
    point = make_point(own)
    foreign_point = make_point(other)
    c = _login(commander)
    now = timezone.now()
    page = c.get(f"/monitoring/maintenance/new/?point={point.pk}").content.decode()
    assert f'<option value="{point.pk}" selected>' in page
    assert 'id="plan-maintenance"' in c.get(f"/monitoring/points/{point.pk}/").content.decode()
    body = {
        "organization": own.pk,
        "point": foreign_point.pk,
        "starts_at": _local(now - timedelta(minutes=5)),
        "ends_at": _local(now + timedelta(hours=2)),
        "reason": "校验仪表",
    }
    r = c.post("/monitoring/maintenance/new/", body)
    assert r.status_code == 400 and "监测点必须属于该企业" in r.content.decode()
    r = c.post(
        "/monitoring/maintenance/new/",
        {**body, "point": point.pk, "ends_at": _local(now - timedelta(hours=1))},
    )
    assert r.status_code == 400 and "结束时间须晚于现在" in r.content.decode()
    assert not MaintenanceWindow.objects.exists()
    r = c.post("/monitoring/maintenance/new/", {**body, "point": point.pk})
    assert r.status_code == 302 and r["Location"] == "/monitoring/maintenance/"
    running = MaintenanceWindow.objects.get()
    assert running.point == point and running.created_by == commander
    # a whole-site window starting tomorrow
    tomorrow = now + timedelta(days=1)
    r = c.post(
        "/monitoring/maintenance/new/",
        {
            **body,
            "point": "",
            "starts_at": _local(tomorrow),
            "ends_at": _local(tomorrow + timedelta(hours=4)),
        },
    )
    assert r.status_code == 302
    upcoming = MaintenanceWindow.objects.exclude(pk=running.pk).get()
    assert (
        upcoming.point is None and upcoming.gateway is None and _audited("maintenancewindow", "create") == 2
    )
    page = c.get("/monitoring/maintenance/").content.decode()
    assert "进行中" in page and "未开始" in page and "全厂" in page
    # ending an upcoming window is refused (it is cancelled instead)
    r = c.post(f"/monitoring/maintenance/{upcoming.pk}/end/")
    assert r.status_code == 400 and 'id="action-error"' in r.content.decode()
    assert c.post(f"/monitoring/maintenance/{upcoming.pk}/nope/").status_code == 404
    # forbidden: a duty officer reads but neither plans nor ends
    d = _login(duty_officer)
    assert d.get("/monitoring/maintenance/new/").status_code == 403
    assert d.post("/monitoring/maintenance/new/", {**body, "point": point.pk}).status_code == 403
    assert d.post(f"/monitoring/maintenance/{running.pk}/end/").status_code == 403
    # end early: the running window ends now; cancel: the upcoming one is removed (audited)
    assert c.post(f"/monitoring/maintenance/{running.pk}/end/").status_code == 302
    running.refresh_from_db()
    assert running.ends_at <= timezone.now() and _audited("maintenancewindow", "update") == 1
    r = c.post(f"/monitoring/maintenance/{running.pk}/end/")
    assert r.status_code == 400 and "已结束" in r.content.decode()
    assert c.post(f"/monitoring/maintenance/{upcoming.pk}/cancel/").status_code == 302
    assert not MaintenanceWindow.objects.filter(pk=upcoming.pk).exists()
    assert _audited("maintenancewindow", "delete") == 1
    assert MaintenanceWindow.objects.count() == 1


def test_enterprise_manager_sees_own_registry_but_cannot_change_it(make_persona, plants):
    own, other = plants
    mine, _ = make_gateway(own)
    theirs, _ = make_gateway(other)
    manager = _login(make_persona("enterprise_safety_manager", organization=own))
    page = manager.get("/monitoring/gateways/").content.decode()
    assert mine.code in page and theirs.code not in page and "/edit/" not in page
    assert manager.get(f"/monitoring/gateways/{mine.pk}/edit/").status_code == 403
    assert manager.get("/monitoring/maintenance/new/").status_code == 403


def test_registry_edits_over_the_api(commander, duty_officer, plants):
    own, other = plants
    gateway, _ = make_gateway(own)
    foreign_gateway, _ = make_gateway(other)
    api = _api(commander)
    r = api.patch(
        f"/api/monitoring/gateways/{gateway.pk}/", {"name": "新名", "is_active": False}, format="json"
    )
    assert r.status_code == 200 and r.json()["name"] == "新名" and r.json()["is_active"] is False
    r = api.patch(f"/api/monitoring/gateways/{gateway.pk}/", {"code": "GW-NEW"}, format="json")
    assert r.status_code == 400 and "code" in r.json()
    full = api.get(f"/api/monitoring/gateways/{gateway.pk}/").json()
    assert (
        api.put(
            f"/api/monitoring/gateways/{gateway.pk}/", {**full, "name": "再改"}, format="json"
        ).status_code
        == 200
    )
    device = services.create_device(actor=None, code="DEV-A", name="探测器", organization=own)
    r = api.patch(f"/api/monitoring/devices/{device.pk}/", {"gateway": foreign_gateway.pk}, format="json")
    assert r.status_code == 400 and "gateway" in r.json()
    r = api.patch(
        f"/api/monitoring/devices/{device.pk}/", {"gateway": gateway.pk, "model_name": "GT-1"}, format="json"
    )
    assert r.status_code == 200 and r.json()["gateway"] == gateway.pk
    assert (
        _api(duty_officer)
        .patch(f"/api/monitoring/devices/{device.pk}/", {"name": "x"}, format="json")
        .status_code
        == 403
    )
    now = timezone.now()
    window = services.create_maintenance_window(
        actor=None,
        organization=own,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
        reason="检修",
    )
    r = api.post(f"/api/monitoring/maintenance-windows/{window.pk}/cancel/")
    assert r.status_code == 400 and "starts_at" in r.json()
    r = api.post(f"/api/monitoring/maintenance-windows/{window.pk}/end/")
    assert r.status_code == 200 and MaintenanceWindow.objects.get(pk=window.pk).ends_at <= timezone.now()
    later = services.create_maintenance_window(
        actor=None,
        organization=own,
        starts_at=now + timedelta(hours=5),
        ends_at=now + timedelta(hours=6),
        reason="检修",
    )
    assert (
        _api(duty_officer).post(f"/api/monitoring/maintenance-windows/{later.pk}/cancel/").status_code == 403
    )
    assert api.post(f"/api/monitoring/maintenance-windows/{later.pk}/cancel/").status_code == 204
    assert not MaintenanceWindow.objects.filter(pk=later.pk).exists()
