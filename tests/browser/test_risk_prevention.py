"""Browser: an enterprise manager's inventory makes a unit a major hazard; a hidden hazard goes
through grading (officer, 重大), assignment, rectification (manager) and verification (officer);
the township statistics change; another enterprise's manager sees none of it."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(browser, live_server, user, path):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/?next=" + path)
    page.fill("#id_username", user.username)
    page.fill("#id_password", user.test_password)
    page.click("#login-submit")
    page.wait_for_load_state()
    return context, page


def test_enterprise_ledger_to_closed_major_hidden_hazard(live_server, browser, make_persona, township):
    from yingji.apps.directory.tests.factories import EnterpriseFactory

    ent = EnterpriseFactory(division=township, name="浏览器测试化工", lon=86.57, lat=42.06)
    other = EnterpriseFactory(division=township, name="另一企业", lon=86.58, lat=42.07)
    manager = make_persona("enterprise_safety_manager", organization=ent, username="b-mgr")
    other_manager = make_persona("enterprise_safety_manager", organization=other, username="b-mgr2")
    officer = make_persona("enforcement_officer", username="b-officer")
    ledger = f"/risk/enterprises/{ent.pk}/"

    # the manager enters 10 t of chlorine (Q = 5 t) into a new unit: S = 2 -> major hazard, R = 4 -> 四级
    mctx, m = _login(browser, live_server, manager, ledger)
    assert m.url.endswith(ledger)
    m.fill("#inventory-form [name=unit_name]", "液氯库")
    m.fill("#inventory-form [name=substance_name]", "氯")
    m.fill("#inventory-form [name=cas]", "7782-50-5")
    m.fill("#inventory-form [name=quantity_t]", "10")
    m.click("#inventory-form button[type=submit]")
    row = m.locator("#unit-table tr[data-unit='液氯库']")
    assert "四级" in row.locator("td.level").inner_text()
    # a wrong CAS check digit is refused with a field error
    m.fill("#inventory-form [name=unit_name]", "液氯库")
    m.fill("#inventory-form [name=substance_name]", "氨")
    m.fill("#inventory-form [name=cas]", "7664-41-8")
    m.fill("#inventory-form [name=quantity_t]", "1")
    m.click("#inventory-form button[type=submit]")
    assert "CAS号无效" in m.content()
    # the manager logs a hidden hazard from the self-check
    m.goto(live_server.url + ledger)
    m.fill("#hazard-form [name=title]", "液氯充装未使用万向管道")
    m.select_option("#hazard-form [name=category]", "equipment")
    m.select_option("#hazard-form [name=source]", "self_check")
    m.click("#hazard-form button[type=submit]")
    assert m.locator("#hazard-status").inner_text() == "已上报"
    hazard_url = m.url

    # the officer sees the township statistics, grades it 重大 from the checklist
    octx, o = _login(browser, live_server, officer, "/risk/statistics/")
    township_row = o.locator(f"#stat-township tr[data-key='{township.code}']")
    assert township_row.locator("td.total").inner_text() == "1"
    assert township_row.locator("td.rate").inner_text() == "0.0%"
    o.goto(hazard_url)
    o.select_option("#grade-form [name=grade]", "major")
    o.check("#grade-form input[name=checklist_items][value='7']")
    o.click("#grade-form button[type=submit]")
    assert o.locator("#hazard-grade").inner_text().startswith("重大事故隐患")

    # the manager assigns, records progress and completes the rectification
    m.goto(hazard_url)
    assert "企业只能定为一般事故隐患" in m.content()
    m.fill("#assign-form [name=responsible_person]", "王安全")
    m.fill("#assign-form [name=deadline]", "2030-06-30")
    m.fill("#assign-form [name=funding_cny]", "35000.50")
    m.click("#assign-form button[type=submit]")
    m.fill("#progress-form [name=progress]", "已安装万向管道充装系统")
    m.click("#progress-form button[type=submit]")
    m.click("#complete-form button[type=submit]")
    assert m.locator("#hazard-status").inner_text() == "待验收"
    assert m.locator("#verify-form").count() == 0  # managers never verify

    # the officer (a different person) verifies and closes it; the statistics change
    o.goto(hazard_url)
    o.select_option("#verify-form [name=passed]", "1")
    o.click("#verify-form button[type=submit]")
    o.click("#close-form button[type=submit]")
    assert o.locator("#hazard-status").inner_text() == "已销号"
    o.goto(live_server.url + "/risk/statistics/")
    township_row = o.locator(f"#stat-township tr[data-key='{township.code}']")
    assert township_row.locator("td.major").inner_text() == "1"
    assert township_row.locator("td.rate").inner_text() == "100.0%"

    # the other enterprise's manager sees nothing of it, in the UI or the API
    xctx, x = _login(browser, live_server, other_manager, "/risk/enterprises/")
    assert "浏览器测试化工" not in x.content()
    assert x.goto(live_server.url + ledger).status == 404
    assert x.goto(hazard_url).status == 404
    for api in ("/api/hidden-hazards/", "/api/production-units/", "/api/chemical-inventories/"):
        assert x.request.get(live_server.url + api).json()["results"] == [], api
    for ctx in (mctx, octx, xctx):
        ctx.close()
