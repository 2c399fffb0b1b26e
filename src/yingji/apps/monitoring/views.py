"""Pages: overview with live alarms, points (trend chart), alarms (lifecycle), noise report,
history upload. Gateways, devices and maintenance windows: ``registry_views``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from yingji.apps.core.views import DeclaredPermissionMixin
from yingji.apps.monitoring import forms, ingest, selectors, services
from yingji.apps.monitoring.models import AlarmKind, AlarmState, MonitoringPoint, Quantity
from yingji.apps.monitoring.payloads import PayloadError, readings_from_csv

VIEW_POINT = "monitoring.view_monitoringpoint"
VIEW_ALARM = "monitoring.view_alarm"
CHANGE_ALARM = "monitoring.change_alarm"


class IndexView(DeclaredPermissionMixin, TemplateView):
    """监测预警 overview: counts, live open alarms (HTMX polling), points by state, dam roll-up."""

    required_permission = VIEW_POINT
    template_name = "monitoring/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        points = list(selectors.points_for(user).order_by("organization__name", "code")[:500])
        for p in points:
            p.colour = selectors.point_colour(p)  # type: ignore[attr-defined]
            p.status = selectors.point_status(p)  # type: ignore[attr-defined]
        ctx.update(
            points=points,
            dams=selectors.dam_states_for(user),
            can_add=user.has_perm("monitoring.add_monitoringpoint"),
            can_import=user.has_perm("monitoring.add_monitoringpoint")
            and user.has_perm("core.add_importjob"),
            import_kind="monitoring-points",
            can_upload=user.has_perm("monitoring.change_monitoringpoint"),
            **_live_context(user),
        )
        return ctx


def _live_context(user: Any) -> dict[str, Any]:
    open_alarms = list(selectors.alarms_for(user, open_only=True).order_by("-raised_at", "-id")[:50])
    return {
        "open_alarms": open_alarms,
        "unacknowledged": sum(1 for a in open_alarms if a.state == AlarmState.RAISED),
        # a fire detector going offline is a device fault (shown in the table), not a fire
        "fire_alarms": [
            a
            for a in open_alarms
            if a.point.quantity == Quantity.FIRE
            and a.state == AlarmState.RAISED
            and a.kind != AlarmKind.OFFLINE
        ],
        "refreshed_at": timezone.now(),
    }


class LiveAlarmsView(DeclaredPermissionMixin, TemplateView):
    """HTMX fragment polled by the overview every few seconds: the open alarms table."""

    required_permission = VIEW_POINT
    template_name = "monitoring/_live_alarms.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.update(_live_context(self.request.user))
        return ctx


class PointDetailView(DeclaredPermissionMixin, DetailView):
    """One point: configuration, state, trend chart (ECharts) with limits, its alarms."""

    required_permission = VIEW_POINT
    template_name = "monitoring/point_detail.html"
    context_object_name = "point"

    def get_object(self, queryset: Any = None) -> Any:
        return selectors.get_point_for(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["alarms"] = selectors.alarms_for(self.request.user).filter(point=self.object)[:50]
        ctx["can_change"] = self.request.user.has_perm("monitoring.change_monitoringpoint")
        ctx["has_data"] = selectors.has_data(self.object)
        ctx["status"] = selectors.point_status(self.object)
        return ctx


class PointSeriesView(DeclaredPermissionMixin, View):
    """JSON trend data for the chart: ``?hours=N`` (default 6)."""

    required_permission = VIEW_POINT

    def get(self, request: HttpRequest, pk: int) -> JsonResponse:
        point = selectors.get_point_for(request.user, pk)
        try:
            hours = min(max(float(request.GET.get("hours", "6")), 0.01), 24 * 366)
        except ValueError:
            return JsonResponse({"hours": ["须为数字"]}, status=400)
        end = timezone.now()
        return JsonResponse(selectors.series_for(point, start=end - timedelta(hours=hours), end=end))


class PointCreateView(DeclaredPermissionMixin, View):
    required_permission = "monitoring.add_monitoringpoint"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "monitoring/point_form.html", {"form": forms.PointForm(user=request.user)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.PointForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                point = services.create_point(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("监测点已创建。"))
                return redirect("monitoring:point-detail", pk=point.pk)
        return render(request, "monitoring/point_form.html", {"form": form}, status=400)


class PointUpdateView(DeclaredPermissionMixin, View):
    required_permission = "monitoring.change_monitoringpoint"

    def _point(self, request: HttpRequest, pk: int) -> MonitoringPoint:
        return selectors.get_point_for(request.user, pk, "change")

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        point = self._point(request, pk)
        form = forms.PointForm(instance=point, user=request.user)
        return render(request, "monitoring/point_form.html", {"form": form, "point": point})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        point = self._point(request, pk)
        form = forms.PointForm(
            request.POST, instance=MonitoringPoint.objects.get(pk=point.pk), user=request.user
        )
        if form.is_valid():
            try:
                services.update_point(point, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("监测点已保存。"))
                return redirect("monitoring:point-detail", pk=point.pk)
        return render(request, "monitoring/point_form.html", {"form": form, "point": point}, status=400)


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class AlarmListView(DeclaredPermissionMixin, ListView):
    required_permission = VIEW_ALARM
    template_name = "monitoring/alarm_list.html"
    context_object_name = "alarms"
    paginate_by = 100

    def get_queryset(self) -> Any:
        state = self.request.GET.get("state", "")
        if state == "open":
            return selectors.alarms_for(self.request.user, open_only=True)
        return selectors.alarms_for(self.request.user, state=state if state in AlarmState.values else None)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["states"] = AlarmState.choices
        ctx["current_state"] = self.request.GET.get("state", "")
        return ctx


def _alarm_page(request: HttpRequest, alarm: Any, status: int = 200, **forms_in: Any) -> HttpResponse:
    user = request.user
    ctx = {
        "alarm": alarm,
        "timeline": selectors.alarm_timeline(alarm),
        "notes": alarm.notes.select_related("author"),
        "can_change": user.has_perm(CHANGE_ALARM),
        "can_note": user.has_perm("monitoring.add_alarmnote"),
        "ack_form": forms_in.get("acknowledge") or _action_form("acknowledge"),
        "handle_form": forms_in.get("handle") or _action_form("handle"),
        "close_form": forms_in.get("close") or _action_form("close"),
        "shelve_form": forms_in.get("shelve")
        or _action_form(
            "shelve",
            initial={"until": (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")},
        ),
        "note_form": forms_in.get("note") or forms.TextForm(auto_id="id_addnote_%s"),
        "intake_blocker": services.incident_intake_blocker(alarm),
        "action_error": forms_in.get("error"),
    }
    return render(request, "monitoring/alarm_detail.html", ctx, status=status)


class AlarmDetailView(DeclaredPermissionMixin, View):
    required_permission = VIEW_ALARM

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _alarm_page(request, selectors.get_alarm_for(request.user, pk))


_ACTION_FORMS: dict[str, Any] = {
    "acknowledge": forms.NoteForm,
    "handle": forms.RequiredNoteForm,
    "close": forms.NoteForm,
    "shelve": forms.ShelveForm,
}


def _action_form(verb: str, data: Any = None, **kwargs: Any) -> Any:
    """The form of an alarm action; element ids carry the verb (``id_acknowledge_note``,
    ``id_close_note``), as several forms with a ``note`` field share the alarm page. Field
    names are unchanged (``note``), so posts and the API are unaffected."""
    return _ACTION_FORMS[verb](data, auto_id=f"id_{verb}_%s", **kwargs)


class AlarmActionView(DeclaredPermissionMixin, View):
    """POST acknowledge / handle / close / shelve / unshelve / intake on an alarm."""

    required_permission = CHANGE_ALARM

    def post(self, request: HttpRequest, pk: int, verb: str) -> HttpResponse:
        alarm = selectors.get_alarm_for(request.user, pk, "change")
        form_class = _ACTION_FORMS.get(verb)
        form = _action_form(verb, request.POST) if form_class else None
        if verb not in (*_ACTION_FORMS, "unshelve", "intake"):
            return HttpResponse(status=404)
        if form is not None and not form.is_valid():
            return _alarm_page(request, alarm, status=400, **{verb: form})
        data = form.cleaned_data if form is not None else {}
        try:
            if verb == "acknowledge":
                services.acknowledge_alarm(alarm, actor=request.user, note=data["note"])
            elif verb == "handle":
                services.handle_alarm(alarm, actor=request.user, note=data["note"])
            elif verb == "close":
                services.close_alarm(alarm, actor=request.user, note=data["note"])
            elif verb == "shelve":
                services.shelve_alarm(alarm, actor=request.user, until=data["until"], reason=data["reason"])
            elif verb == "unshelve":
                services.unshelve_alarm(alarm, actor=request.user)
            else:
                services.intake_incident(alarm, actor=request.user)
        except ValidationError as exc:
            alarm.refresh_from_db()
            return _alarm_page(request, alarm, status=400, error=" ".join(exc.messages))
        messages.success(request, _("操作已完成。"))
        return redirect("monitoring:alarm-detail", pk=alarm.pk)


class AlarmNoteView(DeclaredPermissionMixin, View):
    required_permission = "monitoring.add_alarmnote"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        alarm = selectors.get_alarm_for(request.user, pk)
        form = forms.TextForm(request.POST, auto_id="id_addnote_%s")
        if not form.is_valid():
            return _alarm_page(request, alarm, status=400, note=form)
        services.add_alarm_note(alarm, actor=request.user, text=form.cleaned_data["text"])
        return redirect("monitoring:alarm-detail", pk=alarm.pk)


class NoiseReportView(DeclaredPermissionMixin, TemplateView):
    required_permission = VIEW_ALARM
    template_name = "monitoring/noise.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        try:
            days = min(max(int(self.request.GET.get("days", "7")), 1), 90)
        except ValueError:
            days = 7
        ctx["report"] = selectors.noise_report_for(self.request.user, days=days)
        return ctx


class HistoryUploadView(DeclaredPermissionMixin, View):
    """Upload a history CSV (all rows or none) for points the user may change."""

    required_permission = "monitoring.change_monitoringpoint"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "monitoring/history_upload.html", {"form": forms.HistoryUploadForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.HistoryUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                readings = readings_from_csv(form.cleaned_data["file"].read())
            except PayloadError as exc:
                for e in exc.errors[:20]:
                    form.add_error(
                        "file",
                        _("第%(row)s行 %(field)s: %(msg)s")
                        % {"row": e.get("row"), "field": e["field"], "msg": e["message"]},
                    )
            else:
                codes = {r.point for r in readings}
                allowed = set(
                    MonitoringPoint.objects.restrict(request.user, "change")
                    .filter(code__in=codes)
                    .values_list("code", flat=True)
                )
                unknown = sorted(codes - allowed)
                if unknown:
                    form.add_error("file", _("未知或无权修改的测点: %(c)s") % {"c": ", ".join(unknown[:20])})
                else:
                    result = ingest.ingest_readings(readings, evaluate=form.cleaned_data["evaluate"])
                    return render(
                        request,
                        "monitoring/history_upload.html",
                        {"form": forms.HistoryUploadForm(), "result": result},
                    )
        return render(request, "monitoring/history_upload.html", {"form": form}, status=400)
