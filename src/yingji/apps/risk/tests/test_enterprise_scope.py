"""An enterprise safety manager sees and writes only their own enterprise (API and pages)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from yingji.apps.risk import hazard_services, services
from yingji.apps.risk.models import ChemicalInventory, ProductionUnit, RiskPoint

from .factories import api

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/enterprise-profiles/",
    "/api/safety-managers/",
    "/api/licences/",
    "/api/special-equipment/",
    "/api/production-units/",
    "/api/chemical-inventories/",
    "/api/risk-points/",
    "/api/hidden-hazards/",
]


@pytest.fixture
def populated(enterprise):
    """Every kind of risk record for ``enterprise``."""
    services.save_enterprise_ledger(actor=None, enterprise=enterprise, industry_code="C2614", employees=10)
    services.create_ledger_record(
        services.SafetyManager, actor=None, enterprise=enterprise, name="王", phone="139"
    )
    services.create_ledger_record(
        services.Licence,
        actor=None,
        enterprise=enterprise,
        kind="other",
        number="1",
        valid_until="2030-01-01",
    )
    services.create_ledger_record(
        services.SpecialEquipment, actor=None, enterprise=enterprise, kind="boiler", name="1号"
    )
    item = services.record_inventory(
        actor=None, enterprise=enterprise, unit_name="罐区", substance_name="氯", quantity_t=Decimal("10")
    )
    services.create_risk_point(
        actor=None,
        enterprise=enterprise,
        name="装卸",
        method="ls",
        factors={"L": 3, "S": 4},
        responsible_person="王",
    )
    hazard_services.report_hidden_hazard(
        actor=None, enterprise=enterprise, title="罐区泄漏隐患", category="other", source="inspection"
    )
    return item


def test_other_manager_sees_nothing_through_the_api(populated, manager, other_manager):
    for url in LISTS:
        mine = api(manager).get(url).json()["results"]
        theirs = api(other_manager).get(url).json()["results"]
        assert len(mine) == 1, url
        assert theirs == [], url
    unit = ProductionUnit.objects.get()
    assert api(other_manager).get(f"/api/production-units/{unit.pk}/").status_code == 404
    assert api(other_manager).get("/api/hidden-hazard-statistics/").json()["rows"] == []


def test_other_manager_cannot_write_into_another_enterprise(populated, enterprise, other_manager):
    c = api(other_manager)
    r = c.post(
        "/api/chemical-inventories/",
        {"enterprise": enterprise.pk, "unit_name": "罐区", "substance_name": "氨", "quantity_t": "1"},
        format="json",
    )
    assert r.status_code == 400 and "enterprise" in r.json()
    r = c.patch(f"/api/chemical-inventories/{populated.pk}/", {"quantity_t": "99"}, format="json")
    assert r.status_code == 404
    assert ChemicalInventory.objects.get().quantity_t == Decimal("10")


def test_other_manager_sees_nothing_in_the_pages(populated, enterprise, manager, other_manager):
    mine, theirs = Client(), Client()
    mine.force_login(manager)
    theirs.force_login(other_manager)
    assert enterprise.name in mine.get("/risk/enterprises/").content.decode()
    html = theirs.get("/risk/enterprises/").content.decode()
    assert enterprise.name not in html
    assert theirs.get(f"/risk/enterprises/{enterprise.pk}/").status_code == 404
    assert theirs.get(f"/risk/units/{ProductionUnit.objects.get().pk}/").status_code == 404
    assert "罐区泄漏隐患" in mine.get("/risk/hazards/").content.decode()
    assert "罐区泄漏隐患" not in theirs.get("/risk/hazards/").content.decode()
    assert (
        theirs.post(
            f"/risk/enterprises/{enterprise.pk}/inventories/new/",
            {"unit_name": "x", "substance_name": "氨", "quantity_t": "1"},
        ).status_code
        == 404
    )
    assert enterprise.name not in theirs.get("/risk/map/points.json").content.decode()
    assert enterprise.name not in theirs.get("/risk/statistics/").content.decode()


def test_manager_writes_own_ledger_through_the_api(enterprise, manager):
    c = api(manager)
    r = c.post(
        "/api/production-units/",
        {
            "enterprise": enterprise.pk,
            "name": "液氯库",
            "exposed_population": 0,
            "exposed_population_source": "自报",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    unit_id = r.json()["id"]
    r = c.post(
        "/api/chemical-inventories/",
        {
            "enterprise": enterprise.pk,
            "unit": unit_id,
            "substance_name": "氯",
            "cas": "7782-50-5",
            "quantity_t": "10",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    unit = c.get(f"/api/production-units/{unit_id}/").json()
    assert unit["major_hazard_level"] == 4 and unit["level_zh"] == "四级" and unit["monitoring_priority"] == 4
    r = c.post(
        "/api/chemical-inventories/",
        {
            "enterprise": enterprise.pk,
            "unit": unit_id,
            "substance_name": "氨",
            "cas": "7664-41-8",
            "quantity_t": "1",
        },
        format="json",
    )
    assert r.status_code == 400 and "cas" in r.json()


def test_risk_point_uses_county_setting_and_shows_rule(enterprise, officer):
    from yingji.apps.risk.models import RiskSettings

    c = api(officer)
    body = {
        "enterprise": enterprise.pk,
        "name": "D70",
        "method": "lec",
        "responsible_person": "王",
        "L": "1",
        "E": "10",
        "C": "7",
        "residual_L": "0.5",
        "residual_E": "10",
        "residual_C": "7",
    }
    r = c.post("/api/risk-points/", body, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["colour"] == "蓝" and r.json()["result"]["boundary_rule"] == "upper-inclusive"
    assert r.json()["residual_colour"] == "蓝"
    RiskSettings.objects.create(pk=1, lec_boundary_rule="lower-inclusive", ls_variant="B")
    r = c.post("/api/risk-points/", {**body, "name": "D70b"}, format="json")
    assert r.json()["colour"] == "黄" and r.json()["result"]["boundary_rule"] == "lower-inclusive"
    r = c.post(
        "/api/risk-points/",
        {
            "enterprise": enterprise.pk,
            "name": "LS",
            "method": "ls",
            "responsible_person": "王",
            "L": 3,
            "S": 4,
        },
        format="json",
    )
    assert r.json()["colour"] == "橙" and r.json()["result"]["variant"] == "B"  # A would be 黄
    r = c.post("/api/risk-points/", {**body, "name": "bad", "L": "4"}, format="json")
    assert r.status_code == 400
    assert RiskPoint.objects.count() == 3
