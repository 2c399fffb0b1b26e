"""Browser: import a depot inventory from Excel (one bad row reported by its row number), then
dispatch across two depots and watch the stock cards and the township shortfall report update."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yingji.apps.core.tests.import_files import xlsx_bytes
from yingji.apps.directory.models import AdministrativeDivision
from yingji.apps.resources import services
from yingji.apps.resources.models import Depot, StockLot, SupplyItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = ["仓库编码", "物资编码", "物资名称", "计量单位", "数量", "批次", "生产日期", "有效期至"]


def _setup() -> tuple[Depot, Depot, SupplyItem, AdministrativeDivision]:
    county = AdministrativeDivision.objects.get(code="652826000000")
    town = AdministrativeDivision.objects.get(code="652826100000")
    services.ensure_supply_classes()
    a = services.create_depot(
        actor=None,
        code="CK-A",
        name="县级储备库",
        owner_kind="bureau",
        division=county,
        lon=town.point_lon + 0.02,
        lat=town.point_lat,
    )
    b = services.create_depot(
        actor=None,
        code="CK-B",
        name="焉耆镇储备点",
        owner_kind="township",
        division=town,
        lon=town.point_lon - 0.3,
        lat=town.point_lat,
    )
    from yingji.apps.resources.models import SupplyClass

    tent = services.create_supply_item(
        actor=None,
        code="WZ-0501",
        name="救灾帐篷",
        unit="顶",
        supply_class=SupplyClass.objects.get(code="05"),
    )
    services.set_reserve_quota(
        actor=None, division=town, item=tent, basis="absolute", quantity=Decimal("200")
    )
    return a, b, tent, town


def test_import_inventory_then_dispatch_across_two_depots(
    live_server, page, make_persona, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    a, b, tent, town = _setup()
    user = make_persona("admin", username="browser-stock")
    page.goto(live_server.url + "/imports/")
    page.fill("#id_username", "browser-stock")
    page.fill("#id_password", user.test_password)
    page.click("#login-submit")
    page.wait_for_selector("#upload-form")
    # given a depot inventory workbook with one bad row (row 4: expiry before production)
    rows = [
        HEADER,
        ["CK-A", "WZ-0501", "救灾帐篷", "顶", "120", "2024A", "2024-01-05", ""],
        ["CK-B", "WZ-0501", "救灾帐篷", "顶", "50", "2024B", "2024-02-01", ""],
        ["CK-B", "WZ-0501", "救灾帐篷", "顶", "10", "2024C", "2024-05-01", "2024-04-01"],
    ]
    page.select_option("#id_kind", "depot-stock")
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "库存表.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": xlsx_bytes(rows, merge_header=False, hidden=False),
            }
        ],
    )
    page.click("#upload-submit")
    page.wait_for_selector("#summary")
    # then the preview names the bad row by its Excel row number
    bad = page.locator("#rejected tbody tr").first
    assert bad.get_attribute("data-row") == "4"
    assert "第 4 行" in bad.inner_text()
    assert page.locator("#imported tbody tr").count() == 2
    page.locator("#commit-button").click()
    page.wait_for_selector(".status-imported")
    assert StockLot.objects.count() == 2
    # the shortfall report: 200 required; only depots inside 焉耆镇 count towards its quota
    page.goto(f"{live_server.url}/resources/quotas/?division={town.code}")
    row = page.locator("#shortfall tr[data-item='WZ-0501']")
    assert row.locator(".held").inner_text() == "50"
    assert row.locator(".gap").inner_text() == "150"
    # when a dispatch order for 150 tents to 焉耆镇 is requested, approved and issued from both depots
    page.goto(live_server.url + "/resources/dispatch/new/")
    page.select_option("#id_division", str(town.pk))
    page.fill("#id_destination", "焉耆镇第一安置点")
    page.select_option("#id_item_0", str(tent.pk))
    page.fill("#id_quantity_0", "150")
    page.click("#dispatch-form button[type=submit]")
    page.wait_for_selector("#approve-btn")
    page.click("#approve-btn")
    page.wait_for_selector(".issue-btn")
    assert page.locator(".issue-btn").count() == 2  # reserved in both depots
    page.locator(".issue-btn[data-depot='CK-A']").click()
    page.wait_for_selector("#order-status:has-text('部分出库')")
    page.locator(".issue-btn[data-depot='CK-B']").click()
    page.wait_for_selector("#receive-btn")
    page.click("#receive-btn")
    page.wait_for_selector("#order-status:has-text('已接收')")
    # then both stock cards show the issue: the nearer county depot gave all 120, the township depot 30
    page.goto(f"{live_server.url}/resources/depots/{a.pk}/card/{tent.pk}/")
    assert page.locator("#stock-card td.balance").last.inner_text() == "0"
    page.goto(f"{live_server.url}/resources/depots/{b.pk}/card/{tent.pk}/")
    assert page.locator("#stock-card td.balance").last.inner_text() == "20"
    assert "出库" in page.locator("#stock-card tbody tr").last.inner_text()
    # and the township shortfall grew by what left the township depot
    page.goto(f"{live_server.url}/resources/quotas/?division={town.code}")
    assert page.locator("#shortfall tr[data-item='WZ-0501'] .gap").inner_text() == "180"
