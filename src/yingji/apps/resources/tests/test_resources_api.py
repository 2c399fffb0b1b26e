"""API: stock receive/issue with field errors (400, nothing written), dispatch flow, shortfall, reach."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from rest_framework.test import APIClient

from yingji.apps.resources.models import DispatchOrder, StockLot, StockMovement
from yingji.apps.resources.tests.factories import (
    DepotFactory,
    QuotaFactory,
    RescueTeamFactory,
    ShelterFactory,
    SupplyItemFactory,
)

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


@pytest.fixture
def commander(make_persona):
    return make_persona("commander")


def test_receive_and_issue_via_api_with_clear_errors(commander):
    depot, _item = DepotFactory(code="CK-A"), SupplyItemFactory(code="TENT", name="帐篷")
    c = _client(commander)
    r = c.post(
        "/api/stock-lots/receive/",
        {
            "depot": "CK-A",
            "item": "TENT",
            "quantity": "12.5",
            "batch": "2024-01",
            "expiry_date": "2030-01-01",
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    lot_id = r.json()["lot"]
    bad = c.post(
        "/api/stock-lots/receive/",
        {
            "depot": "CK-A",
            "item": "TENT",
            "quantity": "5",
            "production_date": "2025-02-01",
            "expiry_date": "2025-01-01",
        },
        format="json",
    )
    assert bad.status_code == 400 and "expiry_date" in bad.json()
    neg = c.post(
        "/api/stock-lots/receive/", {"depot": "CK-A", "item": "TENT", "quantity": "-1"}, format="json"
    )
    assert neg.status_code == 400 and "quantity" in neg.json()
    over = c.post(f"/api/stock-lots/{lot_id}/issue/", {"quantity": "13"}, format="json")
    assert over.status_code == 400 and "帐篷" in over.json()["quantity"][0]
    ok = c.post(f"/api/stock-lots/{lot_id}/issue/", {"quantity": "2.5"}, format="json")
    assert ok.status_code == 201 and ok.json()["balance_after"] == "10.0000"
    assert StockMovement.objects.count() == 2
    bal = c.get("/api/stock-lots/balances/", {"depot": depot.pk}).json()
    assert bal[0]["available"] == "10.0000"
    assert c.get("/api/stock-movements/", {"lot": lot_id}).json()["count"] == 2
    assert c.get("/api/stock-lots/expiring/", {"horizons": "0"}).status_code == 400


def test_duty_officer_reads_but_cannot_move_stock(duty_officer):
    DepotFactory(code="CK-B")
    SupplyItemFactory(code="Q1")
    c = _client(duty_officer)
    assert c.get("/api/stock-lots/").status_code == 200
    r = c.post("/api/stock-lots/receive/", {"depot": "CK-B", "item": "Q1", "quantity": "1"}, format="json")
    assert r.status_code == 403 and not StockLot.objects.exists()


def test_dispatch_order_flow_via_api(commander, township, make_persona):
    depot, item = DepotFactory(code="CK-C"), SupplyItemFactory(code="QUILT", name="棉被")
    c = _client(commander)
    c.post("/api/stock-lots/receive/", {"depot": "CK-C", "item": "QUILT", "quantity": "10"}, format="json")
    r = c.post(
        "/api/dispatch-orders/",
        {
            "division_code": township.code,
            "destination": "焉耆镇安置点",
            "lines": [{"item": "QUILT", "quantity_requested": "15"}],
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    oid = r.json()["id"]
    duty = _client(make_persona("duty_officer"))
    assert duty.post(f"/api/dispatch-orders/{oid}/approve/", {}, format="json").status_code == 403
    r = c.post(f"/api/dispatch-orders/{oid}/approve/", {}, format="json")
    assert r.status_code == 200 and r.json()["lines"][0]["quantity_approved"] == "10.0000"
    assert c.post(f"/api/dispatch-orders/{oid}/receive/", {}, format="json").status_code == 400  # not issued
    assert c.post(f"/api/dispatch-orders/{oid}/issue/", {}, format="json").json()["status"] == "in_transit"
    assert c.post(f"/api/dispatch-orders/{oid}/receive/", {}, format="json").json()["status"] == "received"
    alloc = DispatchOrder.objects.get(pk=oid).lines.get().allocations.get()
    r = c.post(
        f"/api/dispatch-orders/{oid}/return/", {"allocation": alloc.pk, "quantity": "3"}, format="json"
    )
    assert r.status_code == 201
    assert StockLot.objects.get(depot=depot, item=item).quantity_on_hand == D("3")


def test_shortfall_and_reach(commander, township):
    item = SupplyItemFactory(code="TENT2", name="帐篷", unit="顶")
    depot = DepotFactory(division=township, lon=township.point_lon + 0.01, lat=township.point_lat)
    QuotaFactory(division=township, item=item, basis="absolute", quantity=D("50"))
    RescueTeamFactory(skills="破拆、搜救", lon=township.point_lon, lat=township.point_lat + 0.02)
    ShelterFactory(capacity_persons=100, occupancy=20)
    c = _client(commander)
    c.post(
        "/api/stock-lots/receive/", {"depot": depot.code, "item": "TENT2", "quantity": "20"}, format="json"
    )
    rows = c.get("/api/reserve-quotas/shortfall/", {"division": township.code}).json()
    assert rows[0]["required"] == "50.0000" and rows[0]["shortfall"] == "30.0000"
    reach = c.get("/api/reach/", {"division": township.code, "item": "TENT2", "skill": "破拆"}).json()
    assert reach["depots"][0]["name"] == depot.name and reach["depots"][0]["distance_m"] > 500
    assert len(reach["teams"]) == 1 and reach["shelters"][0]["detail"]["free"] == 80
    assert c.get("/api/reach/").status_code == 400
    assert c.get("/api/reach/", {"division": township.code, "item": "NOPE"}).status_code == 400


def test_township_officer_sees_only_own_township_depots(make_persona, township, other_township):
    mine = DepotFactory(division=township)
    DepotFactory(division=other_township)
    officer = make_persona("township_officer", division=township)
    codes = [d["code"] for d in _client(officer).get("/api/depots/").json()["results"]]
    assert codes == [mine.code]


def test_shelter_status_action(commander):
    shelter = ShelterFactory(capacity_persons=10, status="closed")
    c = _client(commander)
    r = c.post(f"/api/shelters/{shelter.pk}/status/", {"status": "open", "occupancy": 10}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "full"
    r = c.post(f"/api/shelters/{shelter.pk}/status/", {"status": "open", "occupancy": 11}, format="json")
    assert r.status_code == 400 and "occupancy" in r.json()
