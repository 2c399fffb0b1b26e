"""Browser: a duty officer logs in, opens the map and sees the county boundary and 10 township seats."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_then_map_shows_boundary_and_townships(live_server, page, make_persona):
    officer = make_persona("duty_officer", username="browser-duty")
    page.goto(live_server.url + "/map/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "browser-duty")
    page.fill("#id_password", officer.test_password)
    page.click("#login-submit")
    page.wait_for_selector("#map[data-loaded=true]", timeout=15000)
    assert page.url.endswith("/map/")
    assert page.locator("path.layer-boundary").count() == 1
    assert page.locator("path.layer-township").count() == 10
    assert page.locator("path.layer-earthquake").count() == 36
    legend = page.locator(".legend").inner_text()
    assert "县界" in legend and "乡镇驻地 (10)" in legend and "活动断层 (15)" in legend
    # layer switcher: unticking the township layer removes its markers
    page.locator(".leaflet-control-layers-overlays label", has_text="乡镇驻地").locator("input").uncheck()
    assert page.locator("path.layer-township").count() == 0
    # a township popup names the township and its population year
    page.locator(".leaflet-control-layers-overlays label", has_text="乡镇驻地").locator("input").check()
    expect(page.locator("path.layer-township")).to_have_count(10)
    # dispatch the click on the marker itself: a coordinate click can land on whatever overlaps it
    page.locator("path.layer-township").first.dispatch_event("click")
    popup = page.locator(".leaflet-popup-content").inner_text()
    assert "6528261" in popup or "6528262" in popup or "6528264" in popup


def test_wrong_password_shows_error(live_server, page, make_persona):
    make_persona("duty_officer", username="browser-duty2")
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "browser-duty2")
    page.fill("#id_password", "wrong-password")
    page.click("#login-submit")
    assert page.locator("[role=alert]").inner_text().strip() == "用户名或密码不正确。"
