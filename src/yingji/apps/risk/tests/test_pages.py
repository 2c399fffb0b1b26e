"""Pages: hub, ledger, unit, hazards, map, statistics render; forms show field errors; demo data."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from yingji.apps.risk import hazard_services as hs
from yingji.apps.risk import selectors, services
from yingji.apps.risk.models import HiddenHazard, ProductionUnit

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_pages_render_for_officer_and_manager(enterprise, manager, officer):
    item = services.record_inventory(
        actor=None, enterprise=enterprise, unit_name="罐区", substance_name="氯", quantity_t=Decimal("10")
    )
    hazard = hs.report_hidden_hazard(
        actor=None, enterprise=enterprise, title="t", category="other", source="inspection"
    )
    for user in (manager, officer):
        c = _login(user)
        for url in [
            "/risk/enterprises/",
            f"/risk/enterprises/{enterprise.pk}/",
            f"/risk/enterprises/{enterprise.pk}/profile/",
            f"/risk/enterprises/{enterprise.pk}/units/new/",
            f"/risk/enterprises/{enterprise.pk}/risk-points/new/",
            f"/risk/enterprises/{enterprise.pk}/ledger/licence/new/",
            f"/risk/units/{item.unit_id}/",
            f"/risk/units/{item.unit_id}/edit/",
            "/risk/hazards/",
            f"/risk/hazards/{hazard.pk}/",
            f"/risk/hazards/{hazard.pk}/grade/",
            "/risk/map/",
            "/risk/map/points.json",
            "/risk/statistics/?year=2026&quarter=1",
        ]:
            assert c.get(url).status_code == 200, (user, url)
    html = _login(officer).get(f"/risk/units/{item.unit_id}/").content.decode()
    assert "四级" in html and "S = Σq/Q" in html
    assert _login(manager).get(f"/risk/hazards/{hazard.pk}/verify/").status_code == 403


def test_inventory_form_errors_are_shown_and_nothing_written(enterprise, manager):
    r = _login(manager).post(
        f"/risk/enterprises/{enterprise.pk}/inventories/new/",
        {"unit_name": "罐区", "substance_name": "氨", "cas": "7664-41-8", "quantity_t": "1"},
    )
    assert r.status_code == 400 and "CAS号无效" in r.content.decode()
    assert not ProductionUnit.objects.exists()


def test_map_points_are_coloured_by_worst_level(enterprise, officer):
    services.record_inventory(
        actor=None, enterprise=enterprise, unit_name="罐区", substance_name="氯", quantity_t=Decimal("70")
    )
    unit = ProductionUnit.objects.get()
    services.update_unit(unit, actor=None, exposed_population=120)  # R = 2 x 4 x 14 = 112 -> 一级
    data = _login(officer).get("/risk/map/points.json").json()
    [feature] = [f for f in data["features"] if f["properties"]["name"] == enterprise.name]
    assert feature["properties"]["colour"] == "红" and feature["properties"]["level"] == 1


def test_statistics_per_township_and_quarter(enterprise, other_enterprise, officer, officer2, township):
    when = datetime.datetime(2026, 2, 10, 9, tzinfo=datetime.UTC)
    a = hs.report_hidden_hazard(
        actor=officer,
        enterprise=enterprise,
        title="a",
        category="equipment",
        source="inspection",
        reported_at=when,
    )
    hs.report_hidden_hazard(
        actor=officer,
        enterprise=other_enterprise,
        title="b",
        category="management",
        source="inspection",
        reported_at=when,
    )
    a = hs.grade_hidden_hazard(a, actor=officer, grade="major")
    a = hs.assign_hidden_hazard(
        a,
        actor=officer,
        responsible_person="王",
        deadline=timezone.localdate() + datetime.timedelta(days=7),
        funding_cny=Decimal("100.50"),
    )
    # history: the deadline was 2026-03-01 (set back then; today a past deadline is refused)
    HiddenHazard.objects.filter(pk=a.pk).update(deadline=datetime.date(2026, 3, 1))
    rows = selectors.hidden_hazard_statistics(officer, year=2026, quarter=1, today=datetime.date(2026, 3, 5))
    [row] = rows
    assert (row.key, row.total, row.major, row.closed, row.overdue) == (township.code, 2, 1, 0, 1)
    assert row.rectification_rate == "0.0%" and row.funding_cny == Decimal("100.50")
    a = hs.complete_rectification(a, actor=officer)
    a = hs.close_hidden_hazard(hs.verify_hidden_hazard(a, actor=officer2, passed=True), actor=officer2)
    [row] = selectors.hidden_hazard_statistics(officer, year=2026, quarter=1, today=datetime.date(2026, 3, 5))
    assert row.closed == 1 and row.rectification_rate == "50.0%"
    assert selectors.hidden_hazard_statistics(officer, year=2026, quarter=2) == []
    by_ent = selectors.hidden_hazard_statistics(officer, year=2026, by="enterprise")
    assert {r.name for r in by_ent} == {enterprise.name, other_enterprise.name}


def test_seed_demo_risk_is_deterministic_and_idempotent():
    from yingji.apps.dashboards.demo import seed_demo
    from yingji.apps.risk.demo import seed_demo_risk

    first = seed_demo("652826000000").created  # the seeder calls seed_demo_risk (counts prefixed risk_)
    assert (
        first["risk_profiles"] >= 4 and first["risk_risk_points"] >= 8 and first["risk_hidden_hazards"] == 6
    )
    assert seed_demo_risk() == {}
    assert all(h.is_demo for h in HiddenHazard.objects.all())
    assert HiddenHazard.objects.filter(status="closed").count() == 2
    assert HiddenHazard.objects.filter(supervision_level__gt=0).count() == 2
    assert ProductionUnit.objects.filter(is_major_hazard=True, major_hazard_level__isnull=False).exists()
