"""Pages, aggregates and retention, simulator determinism, demo seeding, map layer, noise report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from yingji.apps.directory.models import AdministrativeDivision, Organization, OrganizationKind
from yingji.apps.directory.tests.factories import EnterpriseFactory
from yingji.apps.incidents.models import Incident
from yingji.apps.monitoring import demo, selectors, storage
from yingji.apps.monitoring.models import (
    Alarm,
    AlarmState,
    Device,
    MonitoringPoint,
    Reading,
    ReadingAggregate,
)
from yingji.apps.monitoring.simulator import SimPoint, Simulator
from yingji.apps.monitoring.tests.factories import T0, feed, make_point

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_pages_render_and_alarm_actions_work(duty_officer):
    point = make_point(major_hazard_level=2)
    feed(point, [(0, 70), (1, 95)])
    alarm = Alarm.objects.get()
    c = _login(duty_officer)
    for url in [
        "/monitoring/",
        "/monitoring/live/",
        f"/monitoring/points/{point.pk}/",
        "/monitoring/alarms/?state=open",
        f"/monitoring/alarms/{alarm.pk}/",
        "/monitoring/noise/",
        f"/monitoring/points/{point.pk}/series/?hours=1",
    ]:
        assert c.get(url).status_code == 200, url
    page = c.get(f"/monitoring/alarms/{alarm.pk}/").content.decode()
    assert 'id="intake-button"' in page and 'id="intake-reason"' not in page  # HH at a major hazard
    # one-click intake opens an incident through the incidents app, linked back to the alarm
    assert c.post(f"/monitoring/alarms/{alarm.pk}/intake/").status_code == 302
    alarm.refresh_from_db()
    incident = Incident.objects.get(pk=int(alarm.incident_ref))
    assert incident.source == "monitoring_alarm" and f"monitoring.alarm:{alarm.pk}" in incident.description
    assert incident.division_id == point.organization.division_id
    r = c.post(f"/monitoring/alarms/{alarm.pk}/handle/", {"note": ""})
    assert r.status_code == 400
    assert c.post(f"/monitoring/alarms/{alarm.pk}/acknowledge/", {"note": "收到"}).status_code == 302
    assert c.post(f"/monitoring/alarms/{alarm.pk}/handle/", {"note": "已处置"}).status_code == 302
    assert c.post(f"/monitoring/alarms/{alarm.pk}/close/", {"note": ""}).status_code == 302
    assert Alarm.objects.get().state == AlarmState.CLOSED
    assert c.post(f"/monitoring/alarms/{alarm.pk}/close/", {}).status_code == 400  # closed already
    # registry editing is for administrators
    assert c.get("/monitoring/points/new/").status_code == 403
    assert c.get("/monitoring/history/").status_code == 403


def test_point_form_and_history_upload_pages(admin_user):
    org = EnterpriseFactory()
    c = _login(admin_user)
    data = {
        "code": "F-1",
        "name": "液位",
        "organization": org.pk,
        "site_kind": "installation",
        "quantity": "level",
        "unit": "m",
        "sampling_period_s": 5,
        "h": 5,
        "hh": 4,
        "deadband": 0,
        "on_delay_s": 0,
        "off_delay_s": 0,
    }
    r = c.post("/monitoring/points/new/", data)
    page = r.content.decode()
    # one Chinese sentence, the engine's words in parentheses (not "…;测点: limits out of order")
    assert (
        r.status_code == 400
        and "报警限值须满足 高报 &lt; 高高报,而高报 5 不小于高高报 4 (limits out of order" in page
    )
    data["hh"] = 6
    r = c.post("/monitoring/points/new/", data)
    assert r.status_code == 302
    point = MonitoringPoint.objects.get(code="F-1")
    data["name"] = "储罐液位"
    assert c.post(f"/monitoring/points/{point.pk}/edit/", data).status_code == 302
    csv = f"时间,测点,读数\n{T0},F-1,1.5\n".encode()
    r = c.post("/monitoring/history/", {"file": SimpleUploadedFile("h.csv", csv)})
    assert r.status_code == 200 and Reading.objects.filter(point=point).count() == 1
    r = c.post("/monitoring/gateways/new/", {"code": "GW-P", "name": "网关", "organization": org.pk})
    assert r.status_code == 200 and 'id="gateway-token"' in r.content.decode()


def test_enterprise_manager_pages_are_scoped(make_persona):
    mine, other = EnterpriseFactory(), EnterpriseFactory()
    manager = make_persona("enterprise_safety_manager", organization=mine)
    p1, p2 = make_point(organization=mine), make_point(organization=other)
    c = _login(manager)
    html = c.get("/monitoring/").content.decode()
    assert p1.code in html and p2.code not in html
    assert c.get(f"/monitoring/points/{p2.pk}/").status_code == 404
    assert _login(make_persona("public_viewer")).get("/monitoring/").status_code == 403


def test_aggregates_are_recomputed_for_late_readings_and_raw_rows_expire(settings):
    point = make_point()
    feed(point, [(0, 10), (20, 30), (70, 50)])
    assert storage.aggregate_new_readings() == 3
    assert storage.aggregate_new_readings() == 0
    minute = ReadingAggregate.objects.get(
        point=point, resolution="1m", bucket=datetime.fromtimestamp(T0, tz=UTC)
    )
    assert (minute.count, minute.min, minute.max, minute.avg) == (2, 10, 30, 20)
    feed(point, [(40, 60)])  # late reading in the first minute
    storage.aggregate_new_readings()
    minute.refresh_from_db()
    assert (minute.count, minute.max) == (3, 60)
    hour = ReadingAggregate.objects.get(point=point, resolution="1h")
    assert hour.count == 4 and hour.sum == 150
    settings.YINGJI_MONITORING_RAW_RETENTION_DAYS = 1
    out = storage.purge_old_readings(now=datetime.fromtimestamp(T0, tz=UTC) + timedelta(days=2))
    assert out["readings"] == 4 and not Reading.objects.exists()
    assert ReadingAggregate.objects.filter(resolution="1h").exists()


def test_simulator_is_deterministic_and_split_independent():
    pts = [
        SimPoint("A", "g1", "drift", 3.0, 0.05, h=4.2, hh=4.6),
        SimPoint("B", "g1", "flap", 36, 1.5, h=40),
        SimPoint("C", "g2", "spike", 1.0, 0.1, h=2, hh=3),
        SimPoint("D", "g2", "fire", period_s=5),
    ]
    sim = Simulator(pts, seed=7, outage_every_s=600, outage_len_s=120)
    whole = list(sim.readings(T0, T0 + 1800))
    split = list(sim.readings(T0, T0 + 900)) + list(sim.readings(T0 + 900, T0 + 1800))
    assert whole == split and whole == list(
        Simulator(pts, seed=7, outage_every_s=600, outage_len_s=120).readings(T0, T0 + 1800)
    )
    assert whole != list(Simulator(pts, seed=8).readings(T0, T0 + 1800))
    values = [v for c, _, v in whole if c == "A"]
    assert max(values) > 4.6  # the drift crosses HH
    assert len(whole) < 4 * 1800 / 5  # outages removed some samples


def test_demo_points_simulation_map_layer_and_noise_report(duty_officer, settings):
    county = AdministrativeDivision.objects.get(code="652826000000")
    for name in ["焉耆示例化工有限公司", "焉耆示例燃气有限公司"]:
        Organization.objects.create(
            name=name, kind=OrganizationKind.ENTERPRISE, division=county, lon=86.5, lat=42.0, is_demo=True
        )
    assert demo.seed_demo_points() == {"gateways": 2, "devices": 3, "points": 8}
    assert demo.seed_demo_points() == {"gateways": 0, "devices": 0, "points": 0}
    # one device per site of the plan, on the site's gateway, carrying that site's points
    devices = {d.code: d for d in Device.objects.all()}
    assert set(devices) == {"DEV-HG-01", "DEV-HG-02", "DEV-RQ-01"}
    assert all(d.is_demo and d.gateway is not None for d in devices.values())
    assert MonitoringPoint.objects.filter(device__isnull=True).count() == 0
    assert MonitoringPoint.objects.get(code="HG-TT-01").device == devices["DEV-HG-02"]
    # a database seeded before devices existed: its points get attached on the next run
    MonitoringPoint.objects.update(device=None)
    assert demo.seed_demo_points() == {"gateways": 0, "devices": 0, "points": 0}
    assert MonitoringPoint.objects.filter(device__isnull=True).count() == 0
    points = list(MonitoringPoint.objects.select_related("gateway").order_by("code"))
    sim = Simulator(demo.sim_points(points), seed=1, outage_every_s=0)
    now = timezone.now().timestamp()
    from yingji.apps.monitoring import ingest

    rows = [ingest.RawReading(c, t, v) for c, t, v in sim.readings(now - 3600, now)]
    result = ingest.ingest_readings(rows)
    assert result.stored == len(rows) and result.alarms_opened >= 3
    layer = selectors.monitoring_map_layer_for(duty_officer)
    assert layer["type"] == "FeatureCollection" and len(layer["features"]) == 8
    assert {f["properties"]["demo"] for f in layer["features"]} == {True}
    settings.YINGJI_MONITORING_FLAP_TRANSITIONS = 4
    report = selectors.noise_report_for(duty_officer)
    assert {r["code"] for r in report["flapping"]} >= {"HG-TT-01"}
    assert report["per_point_day"]
