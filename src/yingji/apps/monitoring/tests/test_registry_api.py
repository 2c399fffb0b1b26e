"""Registry writes: points must lie inside the county (API and form); devices over the API."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from yingji.apps.directory.tests.factories import EnterpriseFactory
from yingji.apps.monitoring.models import Device, MonitoringPoint
from yingji.apps.monitoring.tests.factories import make_gateway

pytestmark = pytest.mark.django_db
OUTSIDE = (87.6, 43.8)  # Urumqi: in China, outside Yanqi county


def _api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_api_and_form_refuse_points_outside_the_county(admin_user):
    org = EnterpriseFactory()
    api = _api(admin_user)
    body = {"code": "GEO-1", "name": "温度", "organization": org.pk, "quantity": "temperature", "unit": "℃"}
    r = api.post("/api/monitoring/points/", {**body, "lon": OUTSIDE[0], "lat": OUTSIDE[1]}, format="json")
    assert r.status_code == 400 and "lon" in r.json()
    r = api.post("/api/monitoring/points/", {**body, "lon": 86.57}, format="json")
    assert r.status_code == 400 and "lat" in r.json()  # a longitude without its latitude
    r = api.post("/api/monitoring/points/", {**body, "lon": 86.57, "lat": 42.06}, format="json")
    assert r.status_code == 201
    pk = r.json()["id"]
    r = api.patch(f"/api/monitoring/points/{pk}/", {"lon": OUTSIDE[0], "lat": OUTSIDE[1]}, format="json")
    assert r.status_code == 400 and MonitoringPoint.objects.get(pk=pk).lon == 86.57
    c = Client()
    c.force_login(admin_user)
    form = {
        **body,
        "code": "GEO-2",
        "site_kind": "installation",
        "sampling_period_s": 10,
        "deadband": 0,
        "on_delay_s": 0,
        "off_delay_s": 0,
        "lon": OUTSIDE[0],
        "lat": OUTSIDE[1],
    }
    r = c.post("/monitoring/points/new/", form)
    assert r.status_code == 400 and "坐标不在本县范围内" in r.content.decode()
    assert not MonitoringPoint.objects.filter(code="GEO-2").exists()


def test_devices_are_listed_and_created_over_the_api(admin_user, make_persona):
    org, other = EnterpriseFactory(), EnterpriseFactory()
    gateway, _ = make_gateway(org)
    foreign_gateway, _ = make_gateway(other)
    api = _api(admin_user)
    body = {"code": "DEV-API", "name": "压力变送器", "organization": org.pk, "gateway": gateway.pk}
    r = api.post("/api/monitoring/devices/", {**body, "gateway": foreign_gateway.pk}, format="json")
    assert r.status_code == 400 and "gateway" in r.json()
    r = api.post("/api/monitoring/devices/", body, format="json")
    assert r.status_code == 201 and r.json()["gateway"] == gateway.pk
    assert [d["code"] for d in api.get("/api/monitoring/devices/").json()["results"]] == ["DEV-API"]
    # an enterprise safety manager of the other enterprise neither sees nor adds it
    manager = make_persona("enterprise_safety_manager", organization=other, username="mgr-dev")
    assert _api(manager).get("/api/monitoring/devices/").json()["results"] == []
    assert _api(manager).post("/api/monitoring/devices/", body, format="json").status_code == 403
    assert Device.objects.count() == 1
    # the point form offers the device
    c = Client()
    c.force_login(admin_user)
    assert "DEV-API" in c.get("/monitoring/points/new/").content.decode()
