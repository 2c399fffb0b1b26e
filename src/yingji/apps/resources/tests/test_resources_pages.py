"""Pages: hub and every list/detail/report render, forms write via services, Excel export, demo stock."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal as D

import openpyxl
import pytest
from django.test import Client

from yingji.apps.dashboards.demo import seed_demo
from yingji.apps.resources import selectors
from yingji.apps.resources.demo import seed_demo_stock
from yingji.apps.resources.models import Depot, DispatchOrder, RescueTeam, Shelter, StockLot, SupplyItem

pytestmark = pytest.mark.django_db

DAY = date(2025, 6, 1)


@pytest.fixture
def demo():
    """The whole demo county; the seeder calls ``seed_demo_stock`` itself (counts prefixed ``resources_``)."""
    return seed_demo("652826000000")


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_demo_stock_is_deterministic_idempotent_and_labelled(demo):
    created = demo.created
    assert (
        created["resources_items"] == 12
        and created["resources_lots"] > 20
        and created["resources_quotas"] > 0
    )
    assert created["resources_members"] > 0 and created["resources_equipment"] > 0
    again = seed_demo_stock(today=DAY)
    assert again.created == {}
    assert not StockLot.objects.filter(is_demo=False).exists()
    assert selectors.ledger_mismatches() == []
    lot = StockLot.objects.order_by("depot__code", "item__code", "batch").first()
    assert lot.batch == "CK-001-0101-1"


def test_every_page_renders_for_commander_and_duty_officer(demo, make_persona, duty_officer):
    commander = make_persona("commander")
    depot = Depot.objects.get(code="CK-001")
    item = SupplyItem.objects.get(code="WZ-0501")
    lot = StockLot.objects.filter(depot=depot, item=item).first()
    team = RescueTeam.objects.first()
    shelter = Shelter.objects.first()
    township = "652826100000"
    urls = [
        "/resources/",
        *[
            f"/resources/list/{slug}/"
            for slug in (
                "depots",
                "teams",
                "experts",
                "shelters",
                "equipment",
                "catalogue",
                "members",
                "lots",
            )
        ],
        "/resources/list/teams/?readiness=ready&kind=specialised",
        f"/resources/depots/{depot.pk}/",
        f"/resources/depots/{depot.pk}/inventory/",
        f"/resources/depots/{depot.pk}/card/{item.pk}/",
        f"/resources/lots/{lot.pk}/",
        f"/resources/teams/{team.pk}/",
        f"/resources/shelters/{shelter.pk}/",
        "/resources/dispatch/",
        "/resources/quotas/",
        f"/resources/quotas/?division={township}",
        "/resources/expiry/?horizons=30,365",
        f"/resources/reach/?division={selectors.township_choices(commander).get(code=township).pk}&item={item.pk}&skill=搜救",
        "/resources/map/",
        "/resources/map/data/?item=WZ-0501&readiness=ready",
    ]
    for user in (commander, duty_officer):
        c = _login(user)
        for url in urls:
            r = c.get(url)
            assert r.status_code == 200, (url, r.status_code)
    c = _login(commander)
    assert "resources/resources.css" in c.get(f"/resources/depots/{depot.pk}/inventory/").content.decode()
    assert c.get("/resources/dispatch/new/").status_code == 200
    html = c.get("/resources/").content.decode()
    assert "示例" in html and "储备缺口" in html
    reach = c.get(
        f"/resources/reach/?division={selectors.township_choices(commander).get(code=township).pk}&item={item.pk}"
    )
    assert "reach-depots" in reach.content.decode()
    data = c.get("/resources/map/data/").json()
    assert {f["properties"]["layer"] for f in data["features"]} == {"depot", "team", "shelter", "equipment"}


def test_public_and_enterprise_users_are_refused(make_persona, client):
    assert client.get("/resources/list/depots/").status_code == 302
    public = make_persona("public_viewer")
    assert _login(public).get("/resources/dispatch/").status_code == 403
    assert _login(public).get("/resources/list/nope/").status_code == 404


def test_excel_export_of_a_filtered_register(demo, duty_officer):
    r = _login(duty_officer).get("/resources/list/shelters/export.xlsx?status=closed")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:2] == ("编号", "名称")
    assert len(rows) - 1 == Shelter.objects.filter(status="closed").count()


def test_receive_form_errors_and_dispatch_pages_flow(make_persona, township):
    from yingji.apps.resources.tests.factories import DepotFactory, SupplyItemFactory

    commander = make_persona("commander")
    depot, item = DepotFactory(), SupplyItemFactory(name="帐篷")
    c = _login(commander)
    r = c.post(
        f"/resources/depots/{depot.pk}/receive/",
        {"item": item.pk, "quantity": "10", "production_date": "2025-02-01", "expiry_date": "2025-01-01"},
    )
    assert r.status_code == 200 and "早于生产日期" in r.content.decode()
    assert not StockLot.objects.exists()
    r = c.post(f"/resources/depots/{depot.pk}/receive/", {"item": item.pk, "quantity": "10", "batch": "B"})
    assert r.status_code == 302
    lot = StockLot.objects.get()
    r = c.post(f"/resources/lots/{lot.pk}/move/", {"operation": "issue", "quantity": "11"})
    assert r.status_code == 200 and "不足" in r.content.decode()
    r = c.post(
        "/resources/dispatch/new/",
        {"division": township.pk, "destination": "安置点", "item_0": item.pk, "quantity_0": "4"},
    )
    assert r.status_code == 302
    order = DispatchOrder.objects.get()
    for action in ("approve", "issue", "receive"):
        r = c.post(f"/resources/dispatch/{order.pk}/action/", {"action": action})
        assert r.status_code == 302
    order.refresh_from_db()
    lot.refresh_from_db()
    assert order.status == "received" and lot.quantity_on_hand == D("6")
    card = c.get(f"/resources/depots/{depot.pk}/card/{item.pk}/").content.decode()
    assert "期初结存" in card and order.code in card
