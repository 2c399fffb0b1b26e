"""Duty pages: desk, header tag, HTMX duty-log entry, shift edit conflict, handover, swaps, rosters."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from yingji.apps.duty import services
from yingji.apps.duty.handover_items import HandoverItem
from yingji.apps.duty.models import DutyLogEntry, HandoverStatus, Shift, ShiftHandover, ShiftSwap
from yingji.apps.duty.tests.factories import SH, make_shift

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_desk_shows_who_is_on_duty_gaps_and_open_items(current_shift, duty_officer, open_items):
    open_items.append(HandoverItem("alarm", "monitoring.alarm:1", "液氨储罐高报未确认", severity="critical"))
    html = _login(duty_officer).get("/duty/").content.decode()
    assert 'id="on-duty-now"' in html  # the header
    assert "leader1" in html and "duty1" in html
    assert "液氨储罐高报未确认" in html
    assert "无人值班" in html  # nothing is scheduled after the current shift: a gap within 7 days


def test_header_tag_renders_nothing_for_anonymous_and_costs_two_queries(current_shift, duty_officer):
    template = Template("{% load duty_tags %}{% on_duty_now %}")
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert template.render(Context({"request": request})).strip() == ""
    request.user = duty_officer
    duty_officer._active_grants()
    with CaptureQueriesContext(connection) as ctx:
        html = template.render(Context({"request": request}))
    assert len(ctx.captured_queries) <= 2 and "leader1" in html
    assert 'id="on-duty-now"' not in Client().get("/accounts/login/").content.decode()


def test_header_on_other_pages(current_shift, duty_officer):
    assert 'id="on-duty-now"' in _login(duty_officer).get("/directory/organizations/").content.decode()


def test_htmx_log_entry_returns_fragment_and_errors(current_shift, duty_officer):
    c = _login(duty_officer)
    headers = {"HX-Request": "true"}
    r = c.post("/duty/log/new/", {"kind": "call_in", "summary": "x"}, headers=headers)
    assert r.status_code == 200 and "来电/去电须填写对方姓名或号码" in r.content.decode()
    assert not DutyLogEntry.objects.exists()
    r = c.post(
        "/duty/log/new/",
        {"kind": "call_in", "caller_name": "张三", "caller_number": "13800138000", "summary": "报告积水"},
        headers=headers,
    )
    assert r.status_code == 200 and "报告积水" in r.content.decode() and "<html" not in r.content.decode()
    assert DutyLogEntry.objects.get().shift == current_shift
    page = c.get("/duty/log/", {"shift": current_shift.pk}).content.decode()
    assert "报告积水" in page


def test_township_officer_may_log_but_not_edit_shifts(current_shift, make_persona, township):
    officer = make_persona("township_officer", division=township)
    c = _login(officer)
    assert c.get("/duty/").status_code == 200
    assert c.get(f"/duty/shifts/{current_shift.pk}/edit/").status_code == 403
    r = c.post("/duty/log/new/", {"kind": "note", "summary": "乡镇记事"})
    assert r.status_code == 403  # no rights on the county desk log
    assert c.post("/duty/swaps/1/decide/", {"decision": "approve"}).status_code == 403


def test_shift_edit_conflict_page(roster, leader, duty_officer, officer2):
    shift = make_shift(roster, datetime(2025, 3, 3, 8, tzinfo=SH), leader=leader, officers=[duty_officer])
    c = _login(leader)
    assert c.get(f"/duty/shifts/{shift.pk}/edit/").status_code == 200
    form = {
        "starts_at": "2025-03-03T08:00", "ends_at": "2025-03-04T08:00", "label": "A", "leader": leader.pk,
        "officers": [duty_officer.pk], "version": 1,
    }  # fmt: skip
    assert c.post(f"/duty/shifts/{shift.pk}/edit/", form).status_code == 302
    r = c.post(f"/duty/shifts/{shift.pk}/edit/", {**form, "label": "B", "officers": [officer2.pk]})
    assert r.status_code == 409 and "已被他人修改" in r.content.decode()
    assert Shift.objects.get(pk=shift.pk).label == "A"
    r = c.post(f"/duty/shifts/{shift.pk}/edit/", {**form, "ends_at": "2025-03-03T07:00", "version": 2})
    assert r.status_code == 400 and "结束时间须晚于开始时间" in r.content.decode()


def test_handover_pages(open_items, duty_officer, officer2, leader):
    open_items.append(HandoverItem("incident", "incidents.incident:3", "某乡镇火情未结"))
    c = _login(duty_officer)
    assert "某乡镇火情未结" in c.get("/duty/handovers/new/").content.decode()
    r = c.post("/duty/handovers/new/", {"incoming_officer": officer2.pk, "summary": "夜间接警2起"})
    assert r.status_code == 302
    handover = ShiftHandover.objects.get()
    item = handover.items.get()
    # the leader is not the incoming officer: refused
    assert _login(leader).post(f"/duty/handovers/{handover.pk}/ack/", {"item": item.pk}).status_code == 403
    incoming = _login(officer2)
    assert "确认" in incoming.get(f"/duty/handovers/{handover.pk}/").content.decode()
    r = incoming.post(
        f"/duty/handovers/{handover.pk}/ack/", {"item": item.pk}, headers={"HX-Request": "true"}
    )
    assert r.status_code == 200 and "已完成" in r.content.decode()
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.COMPLETE


def test_roster_pages_generate_and_swap(roster, leader, duty_officer, officer2, make_persona):
    c = _login(leader)
    assert c.get("/duty/rosters/").status_code == 200
    assert c.get(f"/duty/rosters/{roster.pk}/").status_code == 200
    r = c.post(
        f"/duty/rosters/{roster.pk}/generate/",
        {"starts_on": "2025-03-03", "ends_on": "2025-03-09", "pattern": "24h", "leaders": [leader.pk],
         "officers": [duty_officer.pk, officer2.pk], "officers_per_shift": 1, "weekdays": list(range(7)),
         "holiday_policy": "same", "leader_rotation": "shift", "officer_rotation": "shift",
         "coverage": "continuous"},
    )  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Shift.objects.filter(roster=roster).count() == 7
    page = c.get(f"/duty/rosters/{roster.pk}/?from=2025-03-03").content.decode()
    assert "duty2" in page
    bad = c.post(f"/duty/rosters/{roster.pk}/generate/", {"starts_on": "2025-03-09", "ends_on": "2025-03-01"})
    assert bad.status_code == 400
    shift = Shift.objects.filter(roster=roster).order_by("starts_at").first()
    person = shift.officers.get()
    other = officer2 if person == duty_officer else duty_officer
    r = _login(person).post(
        f"/duty/shifts/{shift.pk}/swap/",
        {"kind": "override", "original_person": person.pk, "replacement": other.pk, "reason": "病假"},
    )
    assert r.status_code == 302
    swap = ShiftSwap.objects.get()
    assert _login(person).post(f"/duty/swaps/{swap.pk}/decide/", {"decision": "approve"}).status_code == 403
    listing = c.get("/duty/swaps/").content.decode()
    assert "批准" in listing
    assert c.post(f"/duty/swaps/{swap.pk}/decide/", {"decision": "approve"}).status_code == 302
    assert list(Shift.objects.get(pk=shift.pk).officers.all()) == [other]


def test_calendar_page(duty_officer, roster):
    html = _login(duty_officer).get("/duty/calendar/").content.decode()
    token = services.ensure_calendar_token(actor=duty_officer).token
    assert f"/duty/ical/{token}/me.ics" in html


def test_pages_need_login(client):
    assert client.get("/duty/").status_code == 302


def test_township_officer_sees_who_is_on_duty_at_the_county_and_the_duty_phone(
    current_shift, make_persona, township, county
):
    from yingji.apps.directory.models import Organization
    from yingji.apps.duty import selectors

    Organization.objects.create(
        name="焉耆回族自治县应急管理局", kind="bureau", division=county, phone="0996-6022110"
    )
    officer = make_persona("township_officer", division=township)
    # the county roster is outside the township officer's grants: the restricted reads stay empty
    assert not Shift.objects.restrict(officer, "view").exists()
    assert selectors.on_duty_now(user=officer).shift is None
    # ...yet every page header names the county duty leader and officer and the duty phone
    html = _login(officer).get("/directory/organizations/").content.decode()
    header = html[html.index('id="on-duty-now"') :].split("</span>", 1)[0]
    assert "leader1" in header and "duty1" in header and "0996-6022110" in header
    assert "当前无人值班" not in header
    # a signed-in user without duty pages gets the names and phone, without the link
    viewer = make_persona("public_viewer")
    html = _login(viewer).get("/directory/organizations/").content.decode()
    header = html[html.index('id="on-duty-now"') :].split("</span>", 1)[0]
    assert "leader1" in header and "0996-6022110" in header and 'href="/duty/"' not in header


def test_header_says_nobody_is_on_duty_and_still_gives_the_phone(make_persona, township, county):
    from yingji.apps.directory.models import Organization

    Organization.objects.create(
        name="焉耆回族自治县应急管理局", kind="bureau", division=county, phone="0996-6022110"
    )
    officer = make_persona("township_officer", division=township)
    html = _login(officer).get("/directory/organizations/").content.decode()
    header = html[html.index('id="on-duty-now"') :].split("</span>", 1)[0]
    assert "当前无人值班" in header and "0996-6022110" in header
