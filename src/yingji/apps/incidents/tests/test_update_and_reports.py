"""续报 (regrade, conflicts), reports (首报/续报一/终报, versions, .docx/.pdf), timeline hash chain."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from yingji.apps.incidents import reports, services
from yingji.apps.incidents.errors import EditConflict
from yingji.apps.incidents.models import IncidentLogEntry, IncidentStatus, ReportDeadline
from yingji.apps.incidents.models.timeline import TimelineTampered
from yingji.apps.incidents.tests.factories import make_incident
from yingji.apps.incidents.timeline import verify_chain

pytestmark = pytest.mark.django_db


def test_update_regrades_logs_reason_and_moves_clocks(duty_officer):
    # given a 一般 accident (one dead): one escalation level
    incident = make_incident(duty_officer, deaths=1)
    assert incident.grade == 4
    assert not ReportDeadline.objects.filter(incident=incident, key="accident.escalation.2").exists()
    # when a 续报 raises serious injuries to 10
    update = services.record_incident_update(
        incident, actor=duty_officer, expected_version=incident.version, serious_injuries=10, note="医院通报"
    )
    incident.refresh_from_db()
    # then it is 较大, the change is logged with its reason, and level-2 escalation is now owed
    assert update.sequence == 1 and update.casualties_changed
    assert incident.grade == 3 and incident.version == 2
    change = incident.timeline.filter(kind="grade_change").last()
    assert "一般 → 较大 (upgrade)" in change.summary and "serious injuries 10 ≥ 10 → 较大" in change.summary
    assert ReportDeadline.objects.filter(incident=incident, key="accident.escalation.2").exists()


def test_second_editor_gets_a_conflict_not_a_lost_update(duty_officer, make_persona):
    other = make_persona("duty_officer")
    incident = make_incident(duty_officer, deaths=1)
    version = incident.version
    services.record_incident_update(incident, actor=duty_officer, expected_version=version, deaths=2)
    with pytest.raises(EditConflict) as err:
        services.record_incident_update(incident, actor=other, expected_version=version, deaths=5)
    assert err.value.current_version == version + 1
    incident.refresh_from_db()
    assert incident.deaths == 2


def test_negative_update_is_refused_and_nothing_changes(duty_officer):
    incident = make_incident(duty_officer, deaths=1)
    with pytest.raises(ValidationError):
        services.record_incident_update(incident, actor=duty_officer, expected_version=1, deaths=-3)
    incident.refresh_from_db()
    assert incident.deaths == 1 and incident.version == 1 and incident.updates.count() == 0


def test_reports_numbered_versioned_sent_and_final_closes(duty_officer):
    incident = make_incident(duty_officer, deaths=3)
    initial = reports.draft_report(incident, actor=duty_officer, kind="initial")
    assert initial.label == "首报" and "3人死亡" in initial.body and "较大" in initial.body
    with pytest.raises(ValidationError):
        reports.draft_report(incident, actor=duty_officer, kind="initial")
    edited = reports.edit_report(
        initial, actor=duty_officer, expected_version=1, title=initial.title, body=initial.body + "\n\n补充。"
    )
    assert edited.version == 2 and edited.versions.count() == 2
    with pytest.raises(EditConflict):
        reports.edit_report(initial, actor=duty_officer, expected_version=1, title="x", body="y")
    reports.send_report(edited, actor=duty_officer, levels=[1, 2])
    esc = {d.key: d for d in ReportDeadline.objects.filter(incident=incident)}
    assert esc["accident.escalation.1"].status == "met" and esc["accident.escalation.2"].status == "met"
    with pytest.raises(ValidationError):
        reports.edit_report(edited, actor=duty_officer, expected_version=2, title="x", body="y")
    services.record_incident_update(incident, actor=duty_officer, expected_version=1, deaths=4)
    first_update = reports.draft_report(incident, actor=duty_officer, kind="update")
    second_update = reports.draft_report(incident, actor=duty_officer, kind="update")
    assert (first_update.label, second_update.label) == ("续报一", "续报二")
    assert "死亡由3人变为4人" in first_update.body
    final = reports.draft_report(incident, actor=duty_officer, kind="final")
    reports.send_report(final, actor=duty_officer, levels=[1])
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED and incident.closed_at is not None
    # the .docx is a real Word file with the title; the PDF starts with %PDF
    docx = reports.report_document(final, fmt="docx")
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert final.title in xml and "终报" in xml
    assert reports.report_document(final, fmt="pdf").startswith(b"%PDF")


def test_timeline_is_append_only_and_tampering_shows(duty_officer):
    incident = make_incident(duty_officer, deaths=3)
    services.add_log_entry(incident, actor=duty_officer, kind="instruction", summary="县长批示：全力救治")
    entries = list(IncidentLogEntry.objects.filter(incident=incident).order_by("seq"))
    assert verify_chain(entries).ok and verify_chain(entries).checked == 3
    entry = entries[1]
    entry.summary = "改过"
    with pytest.raises(TimelineTampered):
        entry.save()
    with pytest.raises(TimelineTampered):
        entry.delete()
    # a direct database edit breaks the chain at that entry
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {IncidentLogEntry._meta.db_table} SET summary = %s WHERE id = %s",
            ["篡改", entries[0].pk],
        )
    check = verify_chain(list(IncidentLogEntry.objects.filter(incident=incident).order_by("seq")))
    assert not check.ok and check.broken_seq == 1


def test_manual_entry_kinds_are_limited(duty_officer):
    incident = make_incident(duty_officer)
    with pytest.raises(ValidationError):
        services.add_log_entry(incident, actor=duty_officer, kind="grade_change", summary="x")
