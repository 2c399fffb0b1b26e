"""Write use cases of reports (首报 / 续报 / 终报): draft, edit (versioned), send.

Sending a report records the receiving levels, meets the matching report deadlines
(``clocks.reports_made``), and a sent 终报 closes the incident.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from yingji.apps.audit.services import record_change, snapshot
from yingji.apps.incidents import deadlines, documents, tasks
from yingji.apps.incidents.errors import EditConflict
from yingji.apps.incidents.models import (
    Incident,
    IncidentReport,
    IncidentReportVersion,
    IncidentStatus,
    LogKind,
    ReportKind,
    ReportStatus,
    SendLevel,
)
from yingji.apps.incidents.models.incident import FUTURE_TOLERANCE
from yingji.apps.incidents.models.report import REPORT_BODY_MAX_CHARS
from yingji.apps.incidents.services import require_scope
from yingji.apps.incidents.timeline import append_entry
from yingji.apps.notifications.services import publish_desk_event


def _user(actor: Any) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def draft_report(incident: Incident, *, actor: Any, kind: str) -> IncidentReport:
    """Draft a 首报, the next 续报 or the 终报 from the incident's current facts (version 1).

    Raises:
        ValidationError: unknown kind, incident closed, a second 首报/终报, a 续报/终报
            before any 首报.
        PermissionDenied: outside the actor's ``incidents.add_incidentreport`` scope.
    """
    if kind not in ReportKind.values:
        raise ValidationError({"kind": f"unknown report kind {kind!r}"})
    with transaction.atomic():
        current = (
            Incident.objects.select_for_update(of=("self",))
            .select_related("incident_type", "division")
            .get(pk=incident.pk)
        )
        require_scope(actor, "incidents.add_incidentreport", current.division)
        if current.status != IncidentStatus.OPEN:
            raise ValidationError({"kind": "事件已办结，不能再起草报告。"})
        existing = IncidentReport.objects.filter(incident=current)
        if kind == ReportKind.INITIAL and existing.filter(kind=ReportKind.INITIAL).exists():
            raise ValidationError({"kind": "首报已存在，请起草续报。"})
        if kind != ReportKind.INITIAL and not existing.filter(kind=ReportKind.INITIAL).exists():
            raise ValidationError({"kind": "请先起草首报。"})
        if kind == ReportKind.FINAL and existing.filter(kind=ReportKind.FINAL).exists():
            raise ValidationError({"kind": "终报已存在。"})
        sequence = 0
        if kind == ReportKind.UPDATE:
            sequence = (existing.filter(kind=ReportKind.UPDATE).aggregate(m=Max("sequence"))["m"] or 0) + 1
        facts = documents.facts_snapshot(current)
        last_sent = existing.filter(status=ReportStatus.SENT).order_by("-sent_at", "-id").first()
        title = documents.report_title(current, kind, sequence)
        body = documents.draft_body(kind, facts, last_sent.facts if last_sent else None, sequence)
        report = IncidentReport(
            incident=current,
            kind=kind,
            sequence=sequence,
            title=title[:200],
            body=body,
            facts=facts,
            created_by=_user(actor),
        )
        report.full_clean()
        report.save()
        IncidentReportVersion.objects.create(
            report=report, version=1, title=report.title, body=body, facts=facts, created_by=_user(actor)
        )
        append_entry(
            current,
            kind=LogKind.REPORT_DRAFTED,
            actor=actor,
            summary=f"起草{report.label}：{report.title}",
            payload={"report": report.pk, "kind": kind, "sequence": sequence},
        )
        record_change(report, "create", None, actor=actor)
    return report


def edit_report(
    report: IncidentReport, *, actor: Any, expected_version: int, title: str, body: str
) -> IncidentReport:
    """Save a new version of a draft report's title and body.

    Raises:
        EditConflict: the report was saved by someone else since ``expected_version``.
        ValidationError: already sent, empty title/body.
        PermissionDenied: outside the actor's ``incidents.change_incidentreport`` scope.
    """
    with transaction.atomic():
        current = (
            IncidentReport.objects.select_for_update(of=("self",))
            .select_related("incident__division")
            .get(pk=report.pk)
        )
        require_scope(actor, "incidents.change_incidentreport", current.incident.division)
        if current.version != expected_version:
            raise EditConflict(current.version)
        if current.status != ReportStatus.DRAFT:
            raise ValidationError({"__all__": "报告已报送，不能修改。"})
        if len(body) > REPORT_BODY_MAX_CHARS:
            raise ValidationError({"body": [f"正文最多{REPORT_BODY_MAX_CHARS}字。"]})
        if not title.strip() or not body.strip():
            raise ValidationError({"body": "标题和正文不能为空。"})
        if title.strip() == current.title and body.strip() == current.body.strip():
            return current
        before = snapshot(current)
        current.title = title.strip()[:200]
        current.body = body.strip()
        current.version += 1
        current.full_clean()
        current.save()
        IncidentReportVersion.objects.create(
            report=current,
            version=current.version,
            title=current.title,
            body=current.body,
            facts=current.facts,
            created_by=_user(actor),
        )
        incident = Incident.objects.select_for_update().get(pk=current.incident_id)
        append_entry(
            incident,
            kind=LogKind.REPORT_EDITED,
            actor=actor,
            summary=f"修改{current.label}（第{current.version}版）",
            payload={"report": current.pk, "version": current.version},
        )
        record_change(current, "update", before, actor=actor)
    return current


def send_report(
    report: IncidentReport,
    *,
    actor: Any,
    levels: list[int],
    expected_version: int | None = None,
    sent_at: datetime | None = None,
) -> IncidentReport:
    """Send (报送) a draft report to the given levels; a 终报 closes the incident.

    Args:
        report: a draft report.
        actor: the officer.
        levels: receiving levels, a non-empty subset of 1 (州级), 2 (自治区级), 3 (应急管理部).
        expected_version: the report version the officer reviewed (None: no check).
        sent_at: when it was sent (default now; not in the future).

    Raises:
        EditConflict: the report changed since ``expected_version``.
        ValidationError: already sent, bad levels, a time in the future.
        PermissionDenied: outside the actor's ``incidents.change_incidentreport`` scope.
    """
    clean_levels = sorted({int(x) for x in levels if str(x).strip().isdigit()})
    if not clean_levels or any(level not in SendLevel.values for level in clean_levels):
        raise ValidationError({"levels": "请选择报送层级（州级、自治区级或应急管理部）。"})
    sent_at = sent_at or timezone.now()
    if sent_at > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({"sent_at": "报送时间不能晚于当前时间。"})
    with transaction.atomic():
        incident = (
            Incident.objects.select_for_update(of=("self",))
            .select_related("incident_type__parent__parent", "division")
            .get(pk=report.incident_id)
        )
        current = IncidentReport.objects.select_for_update().get(pk=report.pk)
        require_scope(actor, "incidents.change_incidentreport", incident.division)
        if expected_version is not None and current.version != expected_version:
            raise EditConflict(current.version)
        if current.status != ReportStatus.DRAFT:
            raise ValidationError({"__all__": "报告已报送。"})
        before = snapshot(current)
        current.status = ReportStatus.SENT
        current.sent_at = sent_at
        current.sent_levels = clean_levels
        current.sent_version = current.version
        current.sent_by = _user(actor)
        current.save()
        names = "、".join(str(SendLevel(level).label) for level in clean_levels)
        append_entry(
            incident,
            kind=LogKind.REPORT_SENT,
            actor=actor,
            at=sent_at,
            summary=f"{current.label}已报送{names}（第{current.version}版）",
            payload={"report": current.pk, "levels": clean_levels, "version": current.version},
        )
        record_change(current, "update", before, actor=actor)
        if current.kind == ReportKind.FINAL:
            inc_before = snapshot(incident)
            incident.status = IncidentStatus.CLOSED
            incident.closed_at = sent_at
            incident.version += 1
            incident.save(update_fields=["status", "closed_at", "version", "updated_at"])
            append_entry(
                incident, kind=LogKind.CLOSED, actor=actor, at=sent_at, summary="终报已报送，事件办结"
            )
            record_change(incident, "update", inc_before, actor=actor)
        timers = deadlines.sync_deadlines(incident)
        publish_desk_event(
            kind="report.sent",
            title=f"{current.label}已报送：{incident.title}",
            url=reverse("incidents:detail", args=[incident.pk]),
            severity="info",
            division=incident.division,
        )
        if timers:
            transaction.on_commit(lambda: tasks.schedule_deadline_timers(timers))
    return current


def report_document(report: IncidentReport, *, version: int | None = None, fmt: str = "docx") -> bytes:
    """Render ``report`` (a given version, default the current one) as ``docx`` or ``pdf`` bytes.

    Raises:
        IncidentReportVersion.DoesNotExist: no such version. ValueError: unknown format.
    """
    number = version or report.version
    saved = IncidentReportVersion.objects.get(report=report, version=number)
    if fmt == "docx":
        return documents.render_docx(report, saved.title, saved.body, version=number)
    if fmt == "pdf":
        return documents.render_pdf(report, saved.title, saved.body, version=number)
    raise ValueError(f"unknown document format {fmt!r}")
