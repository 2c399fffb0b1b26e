"""Browser: author a Yanqi wind warning, approve it as a second user, release it, see delivery
counts, then update and cancel it (each through approval), as duty officer / leader / commander."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base, user):
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/?next=/warnings/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", user.test_password)
    page.click("#login-submit")
    page.wait_for_url(re.compile(r".*/warnings/$"))


def _pk(page) -> int:
    return int(re.search(r"/warnings/(\d+)/", page.url).group(1))


def _approve_and_release(page, base, pk, leader, commander):
    _login(page, base, leader)
    page.goto(f"{base}/warnings/{pk}/")
    page.click("#approve-warning")
    assert "已审核待发布" in page.locator("#warning-state").inner_text()
    _login(page, base, commander)
    page.goto(f"{base}/warnings/{pk}/")
    page.click("#release-warning")
    assert "已发布" in page.locator("#warning-state").inner_text()


def test_author_approve_release_update_cancel_wind_warning(
    live_server, page, make_persona, settings, township
):
    from yingji.apps.warnings.fake_gateway import FakeGateway
    from yingji.apps.warnings.models import Warning, WarningState
    from yingji.apps.warnings.tests.factories import RecipientFactory, TemplateFactory

    TemplateFactory()
    for i in range(4):
        RecipientFactory(address=f"1700000000{i}", division=township)
    RecipientFactory(channel="loudspeaker", address="LS-652826100201", division=township)
    author = make_persona("duty_officer", username="b-author")
    leader = make_persona("duty_leader", username="b-leader")
    commander = make_persona("commander", username="b-commander")
    base = live_server.url
    with FakeGateway(fail_once={"17000000002"}) as gw:
        settings.YINGJI_WARNINGS_GATEWAY_URL = gw.url
        # the duty officer drafts from the wind template, picks 焉耆镇 and draws a polygon with clicks
        _login(page, base, author)
        page.goto(base + "/warnings/")
        page.select_option("#template-select", "wind")
        page.click("#new-warning")
        assert page.input_value("#id_headline").startswith("焉耆回族自治县发布大风")
        page.locator(".areas input[type=checkbox]:checked").uncheck()
        page.locator(".areas label", has_text="焉耆镇").locator("input").check()
        box = page.locator("#warning-map").bounding_box()
        for dx, dy in ((0.45, 0.45), (0.55, 0.45), (0.55, 0.55)):
            page.mouse.click(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)
        page.click("#draw-finish")
        polygon = page.input_value("#id_polygon")
        assert len(polygon.split()) == 4 and polygon.split()[0] == polygon.split()[-1]
        page.click("#save-submit")
        assert "待审核" in page.locator("#warning-state").inner_text()
        pk = _pk(page)
        # the author sees no approve button (two-person rule)
        assert page.locator("#approve-warning").count() == 0
        # a duty leader approves, the commander releases
        _approve_and_release(page, base, pk, leader, commander)
        assert re.fullmatch(r"65282600000000_\d{14}", page.locator("code").first.inner_text())
        # delivery counts appear (HTMX refresh): 4 SMS, one failed once, 1 loudspeaker
        page.wait_for_selector("tr.total[data-channel=sms] td.failed", timeout=15000)
        sms = page.locator("tr.total[data-channel=sms]")
        assert (
            sms.locator("td.delivered").inner_text() == "3" and sms.locator("td.failed").inner_text() == "1"
        )
        assert page.locator("tr.total[data-channel=loudspeaker] td.delivered").inner_text() == "1"
        cap = page.request.get(base + page.get_attribute("#cap-link", "href"))
        assert cap.ok and b"<polygon>" in cap.body() and b"652826100000" in cap.body()

        # update in one click (as the duty officer), raise to orange, submit; approve and release
        _login(page, base, author)
        page.goto(f"{base}/warnings/{pk}/")
        page.click("#update-warning")
        assert "/edit/" in page.url
        page.select_option("#id_severity", "Severe")
        page.fill("#id_headline", "焉耆回族自治县大风预警升级为橙色")
        page.click("#save-submit")
        update_pk = _pk(page)
        _approve_and_release(page, base, update_pk, leader, commander)
        # cancel in one click, approve and release
        _login(page, base, author)
        page.goto(f"{base}/warnings/{update_pk}/")
        page.click("#cancel-warning")
        cancel_pk = _pk(page)
        assert "待审核" in page.locator("#warning-state").inner_text()
        _approve_and_release(page, base, cancel_pk, leader, commander)
        page.wait_for_selector("tr.total[data-channel=sms] td.delivered", timeout=15000)
    first, update, cancel = (Warning.objects.get(pk=p) for p in (pk, update_pk, cancel_pk))
    assert (first.state, update.state, cancel.state) == (
        WarningState.SUPERSEDED,
        WarningState.CANCELLED,
        WarningState.RELEASED,
    )
    assert f"{first.identifier}," in cancel.cap_xml and f"{update.identifier}," in cancel.cap_xml
    assert len(gw.log.batches) >= 3
