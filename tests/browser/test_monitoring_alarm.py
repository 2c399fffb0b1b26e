"""Browser: a duty officer watches the monitoring overview, an alarm appears live (HTMX polling),
they acknowledge it with a note, record the disposal, close it; the trend chart renders."""

from __future__ import annotations

import time

import pytest

from yingji.apps.directory.tests.factories import EnterpriseFactory
from yingji.apps.monitoring import ingest, services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alarm_appears_is_acknowledged_with_note_and_closed(live_server, page, make_persona):
    officer = make_persona("duty_officer", username="browser-monitor")
    org = EnterpriseFactory(name="浏览器测试化工")
    point = services.create_point(
        actor=None,
        code="BR-TT-01",
        name="反应釜温度",
        organization=org,
        quantity="temperature",
        unit="℃",
        h=80.0,
        hh=90.0,
    )
    page.goto(live_server.url + "/monitoring/")
    page.fill("#id_username", "browser-monitor")
    page.fill("#id_password", officer.test_password)
    page.click("#login-submit")
    page.wait_for_selector("#live-alarms")
    assert page.locator("tr.alarm-row").count() == 0
    # when a reading over HH arrives
    now = time.time()
    ingest.ingest_readings(
        [ingest.RawReading("BR-TT-01", now - 1, 70.0), ingest.RawReading("BR-TT-01", now, 95.0)]
    )
    # then the alarm shows up without reloading the page
    row = page.locator("tr.alarm-row", has_text="BR-TT-01")
    row.wait_for(timeout=15000)
    assert "高高报" in row.inner_text() and "未确认" in row.inner_text()
    row.locator("a").click()
    page.wait_for_selector("#ack-form")
    page.fill("#ack-form textarea[name=note]", "已电话通知企业值班室")
    page.click("#ack-form button[type=submit]")
    page.wait_for_selector("#handle-form")
    assert page.locator("#alarm-state").inner_text() == "已确认"
    page.fill("#handle-form textarea[name=note]", "关闭进料阀,温度回落至正常")
    page.click("#handle-form button[type=submit]")
    page.wait_for_selector("#close-form")
    page.click("#close-form button[type=submit]")
    page.wait_for_selector("text=操作已完成")
    assert page.locator("#alarm-state").inner_text() == "已关闭"
    notes = page.locator("#notes").inner_text()
    assert "已电话通知企业值班室" in notes and "关闭进料阀" in notes
    # the point page draws the trend with ECharts
    page.goto(f"{live_server.url}/monitoring/points/{point.pk}/")
    page.wait_for_selector("#trend canvas", timeout=15000)
