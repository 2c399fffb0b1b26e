"""Pages: the duty desk (incidents:list), intake, incident detail, 续报, timeline, reports, map layer."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import ListView

from yingji.apps.core.views import DeclaredPermissionMixin
from yingji.apps.directory import selectors as directory
from yingji.apps.incidents import reports, selectors, services, timeline
from yingji.apps.incidents.errors import EditConflict, PossibleDuplicate
from yingji.apps.incidents.forms import (
    IntakeForm,
    LogEntryForm,
    ReportDraftForm,
    ReportEditForm,
    ReportSendForm,
    UpdateForm,
)
from yingji.apps.incidents.models import FACT_FIELDS, Incident, IncidentCategory, IncidentReportVersion
from yingji.apps.notifications.selectors import latest_desk_event_id

STATUS_FILTERS = ("open", "closed", "all")


def _form_errors(form: Any, exc: ValidationError) -> None:
    """Attach a service's ``ValidationError`` to the form, field by field where the field exists."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def _desk_queryset(request: HttpRequest) -> Any:
    qs = selectors.incidents_for(request.user)
    status = request.GET.get("status", "open")
    if status in ("open", "closed"):
        qs = qs.filter(status=status)
    category = request.GET.get("category")
    if category in IncidentCategory.values:
        qs = qs.filter(category=category)
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__startswith=q) | Q(address__icontains=q))
    return qs


class IncidentDeskView(DeclaredPermissionMixin, ListView):
    """``/incidents/``: the duty desk - open incidents, report countdowns, live events, search."""

    required_permission = "incidents.view_incident"
    template_name = "incidents/desk.html"
    context_object_name = "incidents"
    paginate_by = 50

    def get_queryset(self) -> Any:
        return _desk_queryset(self.request)

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False) and self.request.GET.get("partial") == "1":
            return ["incidents/_desk_body.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            now=timezone.now(),
            deadlines=selectors.pending_deadlines_for(self.request.user),
            desk_after=latest_desk_event_id(),
            status=self.request.GET.get("status", "open"),
            category=self.request.GET.get("category", ""),
            q=self.request.GET.get("q", ""),
            statuses=[("open", "处置中"), ("closed", "已终报"), ("all", "全部")],
            categories=IncidentCategory.choices,
            can_add=self.request.user.has_perm("incidents.add_incident"),
            query=self.request.GET.urlencode(),
        )
        return ctx


def _intake_form(request: HttpRequest, data: Any = None) -> IntakeForm:
    divisions = directory.divisions_for(request.user).exclude(level="village")
    initial = {"reported_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "source": "phone"}
    return IntakeForm(data, initial=initial, types=selectors.incident_types(), divisions=divisions)


class IncidentCreateView(DeclaredPermissionMixin, View):
    """``/incidents/new/``: intake form; a possible duplicate is shown for merging or confirmation."""

    required_permission = "incidents.add_incident"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "incidents/intake.html", {"form": _intake_form(request)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = _intake_form(request, request.POST)
        if not form.is_valid():
            return render(request, "incidents/intake.html", {"form": form}, status=400)
        data = dict(form.cleaned_data)
        kind = data.pop("incident_type")
        allow = bool(data.pop("allow_duplicate", False)) or request.POST.get("confirm_new") == "1"
        if not data.get("reported_at"):
            data.pop("reported_at", None)
        merge_into = request.POST.get("merge_into", "")
        try:
            if merge_into.isdigit():
                target = selectors.get_incident_for(request.user, int(merge_into))
                services.merge_intake(target, actor=request.user, expected_version=target.version, **data)
                messages.success(request, f"已合并到 {target.number}。")
                return HttpResponseRedirect(reverse("incidents:detail", args=[target.pk]))
            incident = services.create_incident(
                actor=request.user, incident_type=kind, allow_duplicate=allow, **data
            )
        except PossibleDuplicate as dup:
            return render(
                request, "incidents/intake.html", {"form": form, "duplicates": dup.candidates}, status=409
            )
        except ValidationError as exc:
            _form_errors(form, exc)
            return render(request, "incidents/intake.html", {"form": form}, status=400)
        except EditConflict as exc:
            form.add_error(None, str(exc))
            return render(request, "incidents/intake.html", {"form": form}, status=409)
        messages.success(
            request, f"已接报 {incident.number}，等级：{incident.get_grade_display() or '未定级'}。"
        )
        return HttpResponseRedirect(reverse("incidents:detail", args=[incident.pk]))


def _detail_context(request: HttpRequest, incident: Incident, **extra: Any) -> dict[str, Any]:
    entries = selectors.timeline_for(request.user, incident)
    return {
        "incident": incident,
        "now": timezone.now(),
        "deadlines": selectors.deadlines_for(request.user, incident),
        "updates": selectors.updates_for(request.user, incident),
        "reports": selectors.reports_for(request.user, incident),
        "timeline": entries,
        "chain": timeline.verify_chain(entries),
        "update_form": extra.pop("update_form", None) or UpdateForm.for_incident(incident),
        "log_form": extra.pop("log_form", None) or LogEntryForm(),
        "desk_after": latest_desk_event_id(),
        "fact_labels": FACT_FIELDS,
        **extra,
    }


class IncidentDetailView(DeclaredPermissionMixin, View):
    """``/incidents/<pk>/``: facts, grade and reasons, report clocks, 续报, reports, timeline."""

    required_permission = "incidents.view_incident"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        incident = selectors.get_incident_for(request.user, pk)
        return render(request, "incidents/detail.html", _detail_context(request, incident))


class DeadlinesPartialView(DeclaredPermissionMixin, View):
    """``/incidents/<pk>/deadlines/``: the report-clock table (refreshed by HTMX on desk events)."""

    required_permission = "incidents.view_reportdeadline"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        incident = selectors.get_incident_for(request.user, pk)
        return render(
            request,
            "incidents/_deadlines.html",
            {
                "incident": incident,
                "deadlines": selectors.deadlines_for(request.user, incident),
                "now": timezone.now(),
            },
        )


class IncidentUpdateView(DeclaredPermissionMixin, View):
    """``POST /incidents/<pk>/update/``: a 续报 of facts (409 with the form on an edit conflict)."""

    required_permission = "incidents.add_incidentupdate"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        incident = selectors.get_incident_for(request.user, pk)
        form = UpdateForm(request.POST)
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.record_incident_update(
                    incident,
                    actor=request.user,
                    expected_version=version,
                    received_at=data.pop("received_at") or None,
                    note=data.pop("note"),
                    stabilized=data.pop("stabilized"),
                    **data,
                )
            except EditConflict as exc:
                form.add_error(None, str(exc))
                status = 409
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, "续报已记录。")
                return HttpResponseRedirect(reverse("incidents:detail", args=[pk]))
        incident = selectors.get_incident_for(request.user, pk)
        return render(
            request,
            "incidents/detail.html",
            _detail_context(request, incident, update_form=form),
            status=status,
        )


class LogEntryCreateView(DeclaredPermissionMixin, View):
    """``POST /incidents/<pk>/log/``: add a 批示, call, dispatch or note to the timeline."""

    required_permission = "incidents.add_incidentlogentry"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        incident = selectors.get_incident_for(request.user, pk)
        form = LogEntryForm(request.POST)
        if form.is_valid():
            try:
                services.add_log_entry(
                    incident,
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    summary=form.cleaned_data["summary"],
                    at=form.cleaned_data.get("at"),
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                return HttpResponseRedirect(reverse("incidents:detail", args=[pk]) + "#timeline")
        return render(
            request, "incidents/detail.html", _detail_context(request, incident, log_form=form), status=400
        )


class ReportDraftView(DeclaredPermissionMixin, View):
    """``POST /incidents/<pk>/reports/new/``: draft a 首报 / 续报 / 终报 and open it for editing."""

    required_permission = "incidents.add_incidentreport"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        incident = selectors.get_incident_for(request.user, pk)
        form = ReportDraftForm(request.POST)
        if not form.is_valid():
            messages.error(request, "未知的报告类型。")
            return HttpResponseRedirect(reverse("incidents:detail", args=[pk]))
        try:
            report = reports.draft_report(incident, actor=request.user, kind=form.cleaned_data["kind"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return HttpResponseRedirect(reverse("incidents:detail", args=[pk]) + "#reports")
        return HttpResponseRedirect(reverse("incidents:report", args=[report.pk]))


def _report_context(request: HttpRequest, report: Any, **extra: Any) -> dict[str, Any]:
    return {
        "report": report,
        "incident": report.incident,
        "versions": IncidentReportVersion.objects.filter(report=report).order_by("-version"),
        "edit_form": extra.pop("edit_form", None)
        or ReportEditForm(initial={"version": report.version, "title": report.title, "body": report.body}),
        "send_form": extra.pop("send_form", None)
        or ReportSendForm(initial={"version": report.version, "levels": [1]}),
        **extra,
    }


class ReportView(DeclaredPermissionMixin, View):
    """``/incidents/reports/<pk>/``: read or edit a report (POST saves a new version)."""

    required_permission = "incidents.view_incidentreport"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = selectors.get_report_for(request.user, pk)
        return render(request, "incidents/report.html", _report_context(request, report))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = selectors.get_report_for(request.user, pk)
        form = ReportEditForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                reports.edit_report(
                    report,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                )
            except EditConflict as exc:
                form.add_error(None, str(exc))
                status = 409
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, "已保存新版本。")
                return HttpResponseRedirect(reverse("incidents:report", args=[pk]))
        report = selectors.get_report_for(request.user, pk)
        return render(
            request, "incidents/report.html", _report_context(request, report, edit_form=form), status=status
        )


class ReportSendView(DeclaredPermissionMixin, View):
    """``POST /incidents/reports/<pk>/send/``: send the report to the chosen levels."""

    required_permission = "incidents.change_incidentreport"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = selectors.get_report_for(request.user, pk)
        form = ReportSendForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                reports.send_report(
                    report,
                    actor=request.user,
                    levels=form.cleaned_data["levels"],
                    expected_version=form.cleaned_data["version"],
                )
            except EditConflict as exc:
                form.add_error(None, str(exc))
                status = 409
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, f"{report.label}已报送。")
                return HttpResponseRedirect(
                    reverse("incidents:detail", args=[report.incident_id]) + "#reports"
                )
        return render(
            request, "incidents/report.html", _report_context(request, report, send_form=form), status=status
        )


class ReportDocumentView(DeclaredPermissionMixin, View):
    """``/incidents/reports/<pk>/document.<docx|pdf>?version=N``: the report file."""

    required_permission = "incidents.view_incidentreport"
    CONTENT_TYPES = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf",
    }

    def get(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        if fmt not in self.CONTENT_TYPES:
            raise Http404("unknown document format")
        report = selectors.get_report_for(request.user, pk)
        raw = request.GET.get("version", "")
        version = int(raw) if raw.isdigit() else None
        get_object_or_404(IncidentReportVersion, report=report, version=version or report.version)
        data = reports.report_document(report, version=version, fmt=fmt)
        response = HttpResponse(data, content_type=self.CONTENT_TYPES[fmt])
        name = f"{report.incident.number}-{report.label}-v{version or report.version}.{fmt}"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response


class MapLayerView(DeclaredPermissionMixin, View):
    """``/incidents/map-layer.json``: open incidents as a GeoJSON layer coloured by grade."""

    required_permission = "incidents.view_incident"

    def get(self, request: HttpRequest) -> JsonResponse:
        return JsonResponse(
            selectors.incident_map_layer(request.user), json_dumps_params={"ensure_ascii": False}
        )
