"""Browser: a commander plans a maintenance window (choosing the enterprise reloads its points with
HTMX), sees it running, ends it early; then registers a gateway and sees its token once."""

from __future__ import annotations

import pytest

from yingji.apps.directory.tests.factories import EnterpriseFactory
from yingji.apps.monitoring import services
from yingji.apps.monitoring.models import Gateway, MaintenanceWindow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_and_end_maintenance_then_register_a_gateway(live_server, page, make_persona):
    commander = make_persona("commander", username="browser-registry")
    plant = EnterpriseFactory(name="浏览器维护化工")
    other = EnterpriseFactory(name="浏览器其他企业")
    for code, org in (("BR-MW-01", plant), ("BR-MW-02", plant), ("BR-OT-01", other)):
        services.create_point(
            actor=None, code=code, name="温度", organization=org, quantity="temperature", unit="℃", h=80.0
        )
    page.goto(live_server.url + "/monitoring/maintenance/new/")
    page.fill("#id_username", "browser-registry")
    page.fill("#id_password", commander.test_password)
    page.click("#login-submit")
    page.wait_for_selector("#maintenance-form")
    # choosing the enterprise reloads the point list with that enterprise's points only
    page.select_option("#id_organization", str(plant.pk))
    page.wait_for_function("document.querySelectorAll('#id_point option').length === 3")
    options = page.locator("#id_point option").all_inner_texts()
    assert any("BR-MW-01" in o for o in options) and not any("BR-OT-01" in o for o in options)
    page.select_option("#id_point", label=next(o for o in options if "BR-MW-02" in o))
    page.fill("#id_reason", "更换变送器")
    page.click("#maintenance-form button[type=submit]")
    page.wait_for_selector("#windows")
    window = MaintenanceWindow.objects.get()
    assert window.point.code == "BR-MW-02" and window.created_by == commander
    row = page.locator(f"#window-{window.pk}")
    assert "进行中" in row.inner_text()
    row.locator("button[type=submit]").click()
    page.wait_for_selector(".messages")
    assert "已结束" in page.locator(f"#window-{window.pk}").inner_text()
    # a gateway: its token is shown once, on the page that created it
    page.goto(live_server.url + "/monitoring/gateways/new/")
    page.fill("#id_code", "BR-GW-1")
    page.fill("#id_name", "浏览器网关")
    page.select_option("#id_organization", str(plant.pk))
    page.click("#gateway-form button[type=submit]")
    token = page.locator("#gateway-token").inner_text()
    assert services.gateway_for_token(token) == Gateway.objects.get(code="BR-GW-1")
    page.goto(live_server.url + "/monitoring/gateways/")
    assert "BR-GW-1" in page.content() and token not in page.content()
