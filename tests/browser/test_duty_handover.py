"""Browser: a duty officer sees who is on duty, logs a phone call, hands over one open item;
the incoming officer acknowledges it and the handover shows complete."""

from __future__ import annotations

from datetime import timedelta

import pytest

from yingji.apps.duty.handover_items import HandoverItem, register_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base: str, user) -> None:
    page.goto(base + "/accounts/login/?next=/duty/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", user.test_password)
    page.click("#login-submit")
    page.wait_for_url("**/duty/")


@pytest.fixture
def one_open_item():
    register_provider(
        "browser-test", lambda user: [HandoverItem("incident", "incidents.incident:77", "七个星镇火情(未结)")]
    )
    yield
    register_provider("browser-test", lambda user: [])


def test_duty_log_and_handover(live_server, browser, page, make_persona, one_open_item):
    from django.utils import timezone

    from yingji.apps.duty.models import HandoverStatus, ShiftHandover
    from yingji.apps.duty.tests.factories import RosterFactory, make_shift

    outgoing = make_persona("duty_officer", username="b-duty-out")
    incoming = make_persona("duty_officer", username="b-duty-in")
    leader = make_persona("duty_leader", username="b-leader")
    make_shift(RosterFactory(), timezone.now() - timedelta(hours=3), leader=leader, officers=[outgoing])

    # the outgoing officer signs in and sees who is on duty in the header
    _login(page, live_server.url, outgoing)
    header = page.locator("#on-duty-now").inner_text()
    assert "b-leader" in header and "b-duty-out" in header

    # writes a phone-call entry with the quick form (HTMX: the table refreshes in place)
    page.select_option("#id_kind", "call_in")
    page.fill("#id_caller_name", "王建国")
    page.fill("#id_caller_number", "13800138000")
    page.fill("#id_summary", "报告和平路积水约30厘米")
    page.click("#log-submit")
    page.locator(".log-table", has_text="报告和平路积水约30厘米").wait_for(timeout=10000)
    assert "13800138000" in page.locator(".log-table").inner_text()
    assert page.url.endswith("/duty/")

    # hands over: the open item is carried automatically
    page.goto(live_server.url + "/duty/handovers/new/")
    assert "七个星镇火情(未结)" in page.locator("#carried-items").inner_text()
    page.select_option("#id_incoming_officer", label="b-duty-in")
    page.fill("#id_summary", "夜间接警一起,火情待跟进。")
    page.click("#handover-form button[type=submit]")
    page.wait_for_selector("#handover-status")
    assert page.locator("#handover-status").inner_text() == "待接班确认"
    handover_url = page.url

    # the incoming officer acknowledges the item; the handover completes
    context = browser.new_context(locale="zh-CN")
    other = context.new_page()
    _login(other, live_server.url, incoming)
    other.goto(handover_url)
    other.click("button.ack-item")
    other.locator("#handover-status", has_text="已完成").wait_for(timeout=10000)
    assert "✓" in other.locator("#handover-items").inner_text()
    context.close()
    assert ShiftHandover.objects.get().status == HandoverStatus.COMPLETE
