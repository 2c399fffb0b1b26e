"""Browser: a duty officer's shift - accident call (3 dead) → 较大 with 1 h / 2 h clocks → 续报 → 重大,
a deadline passes in test time and the escalation appears live → handover carries the incident →
首报 and 终报 sent → the .docx opens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document

from yingji.apps.duty.handover_items import collect_open_items
from yingji.apps.incidents import escalation
from yingji.apps.incidents.models import Incident, ReportDeadline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_duty_shift_walkthrough(live_server, browser, page, make_persona, tmp_path, settings):
    settings.YINGJI_DESK_STREAM_SECONDS = 3  # short streams: the browser reconnects with Last-Event-ID
    officer = make_persona("duty_officer", username="inc-duty")
    next_officer = make_persona("duty_officer", username="inc-duty-next")
    leader = make_persona("duty_leader", username="inc-leader")
    from yingji.apps.duty.tests.factories import RosterFactory, make_shift

    make_shift(RosterFactory(), timezone.now() - timedelta(hours=3), leader=leader, officers=[officer])
    from yingji.apps.directory.models import AdministrativeDivision
    from yingji.apps.incidents.models import IncidentType

    township = AdministrativeDivision.objects.get(code="652826100000")
    kind = IncidentType.objects.get(code="accident.01.WSA10016")

    # log in and open the desk
    page.goto(live_server.url + "/incidents/")
    page.fill("#id_username", "inc-duty")
    page.fill("#id_password", officer.test_password)
    page.click("#login-submit")
    page.wait_for_selector("#new-incident")

    # take an accident call: 3 dead
    page.click("#new-incident")
    page.fill("#id_title", "工业园区燃气爆炸")
    page.select_option("#id_incident_type", str(kind.pk))
    page.select_option("#id_source", "119")
    when = timezone.localtime(timezone.now() - timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M")
    page.fill("#id_occurred_at", when)
    page.select_option("#id_division", str(township.pk))
    page.fill("#id_lon", "86.574")
    page.fill("#id_lat", "42.059")
    page.fill("#id_deaths", "3")
    page.click("#intake-submit")
    page.wait_for_selector("#grade-box")
    assert page.locator("#grade-box .grade").inner_text().strip() == "较大"
    clocks = page.locator("#deadlines").inner_text()
    assert "1小时" in clocks and "2小时" in clocks
    page.wait_for_function("document.querySelector('time.countdown').textContent.indexOf('剩余') === 0")
    page.wait_for_selector("#desk-live[data-desk-connected=true]", state="attached", timeout=10000)

    # 续报: ten dead → 重大, and a third escalation level is now owed
    page.fill("#id_deaths", "10")
    page.fill("#id_note", "现场搜救发现新增遇难者")
    page.click("#update-submit")
    page.wait_for_selector("#grade-box .grade[data-grade='2']")
    assert "死亡10人，达到重大事故标准（10人以上）" in page.locator("#grade-box").inner_text()
    assert page.locator("tr.deadline[data-key='accident.escalation.3']").count() == 1
    page.wait_for_selector("#desk-live[data-desk-connected=true]", state="attached", timeout=10000)

    # a deadline passes in test time: the escalation appears on the open page without reload
    incident = Incident.objects.get(title="工业园区燃气爆炸")
    esc1 = ReportDeadline.objects.get(incident=incident, key="accident.escalation.1")
    escalation.escalate_overdue(now=esc1.due_at + timedelta(minutes=1))
    page.wait_for_selector(".desk-toast.severity-critical", timeout=5000)
    row = page.locator("tr.deadline[data-key='accident.escalation.1'] .deadline-escalation")
    row.filter(has_text="已提醒带班领导").wait_for(timeout=5000)
    assert "报告超时" in page.locator(".desk-toast").first.inner_text()

    # handover to the next shift: the open incident and the overdue report are carried
    refs = {item.ref for item in collect_open_items(next_officer)}
    assert f"incidents.incident:{incident.pk}" in refs
    assert f"incidents.reportdeadline:{esc1.pk}" in refs
    page.goto(live_server.url + "/duty/handovers/new/")
    assert "工业园区燃气爆炸" in page.locator("#carried-items").inner_text()
    page.select_option("#id_incoming_officer", label="inc-duty-next")
    page.fill("#id_summary", "燃气爆炸事件处置中，已续报一次，升级报告已超时提醒。")
    page.click("#handover-form button[type=submit]")
    page.wait_for_selector("#handover-status")
    handover_url = page.url
    incoming = browser.new_context(locale="zh-CN").new_page()
    incoming.goto(live_server.url + "/accounts/login/")
    incoming.fill("#id_username", "inc-duty-next")
    incoming.fill("#id_password", next_officer.test_password)
    incoming.click("#login-submit")
    incoming.goto(handover_url)
    assert "工业园区燃气爆炸" in incoming.locator("#handover-items").inner_text()
    incoming.check("input[name=all]")
    incoming.click("#ack-all")
    incoming.locator("#handover-status", has_text="已完成").wait_for(timeout=10000)
    incoming.context.close()
    page.goto(live_server.url + f"/incidents/{incident.pk}/")

    # 首报 then 终报; the 终报 closes the incident and its .docx opens
    page.click("#draft-initial")
    page.wait_for_selector("#report-send-submit")
    page.click("#report-send-submit")
    page.wait_for_selector("#draft-final")
    page.click("#draft-final")
    page.wait_for_selector("#report-send-submit")
    with page.expect_download() as download_info:
        page.click("#download-docx")
    path = tmp_path / "final.docx"
    download_info.value.save_as(path)
    page.click("#report-send-submit")
    page.wait_for_selector("#reports")
    incident.refresh_from_db()
    assert incident.status == "closed"
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "终报" in text and "工业园区燃气爆炸" in text and "10人死亡" in text
    page.goto("about:blank")  # close the event stream before the test database goes away
