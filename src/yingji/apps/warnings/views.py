"""Pages of 预警发布: list, authoring, approval workflow, upstream messages, statistics, public page,
plus the public CAP documents, the Atom feed and the push endpoint."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _t
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView, FormView, ListView, TemplateView

from yingji.apps.core.permissions import PUBLIC
from yingji.apps.core.views import DeclaredPermissionMixin
from yingji.apps.warnings import ingest, selectors, services
from yingji.apps.warnings.channels import gateway_url
from yingji.apps.warnings.feed import atom_feed
from yingji.apps.warnings.forms import RejectForm, UploadForm, WarningForm
from yingji.apps.warnings.mapdata import map_context
from yingji.apps.warnings.models import (
    Channel,
    FeedSource,
    MsgType,
    Severity,
    SourceKind,
    UpstreamState,
    WarningState,
    WarningTemplate,
)
from yingji.engines.warnings.xmlsafe import DEFAULT_MAX_BYTES


def _error_text(exc: ValidationError | PermissionDenied) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc) or _t("无权执行此操作")


class WarningListView(DeclaredPermissionMixin, ListView):
    required_permission = "warnings.view_warning"
    template_name = "warnings/list.html"
    context_object_name = "warnings"
    paginate_by = 50

    def get_queryset(self) -> Any:
        qs = selectors.warnings_for(self.request.user)
        state = self.request.GET.get("state")
        return qs.filter(state=state) if state in WarningState.values else qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["states"] = WarningState.choices
        ctx["current_state"] = self.request.GET.get("state", "")
        ctx["templates"] = selectors.templates_for(self.request.user)
        ctx["upstream_active"] = selectors.upstream_for(self.request.user, state=UpstreamState.ACTIVE)[:10]
        ctx["quarantined"] = selectors.upstream_for(
            self.request.user, state=UpstreamState.QUARANTINED
        ).count()
        return ctx


class _WarningFormMixin(DeclaredPermissionMixin, FormView):
    template_name = "warnings/form.html"
    form_class = WarningForm
    warning: Any = None

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["area_queryset"] = selectors.area_choices()
        if self.warning is not None:
            kwargs["instance"] = self.warning
            kwargs.setdefault("initial", {})["areas"] = list(self.warning.areas.all())
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["warning"] = self.warning
        ctx["templates"] = selectors.templates_for(self.request.user)
        ctx["severities"] = Severity.choices
        ctx["map"] = map_context(self.request.user, polygon=self.warning.polygon if self.warning else "")
        return ctx

    def save(self, form: WarningForm) -> Any:
        raise NotImplementedError

    def form_valid(self, form: WarningForm) -> HttpResponse:
        try:
            warning = self.save(form)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
            return self.form_invalid(form)
        if self.request.POST.get("submit_now"):
            try:
                services.submit_warning(warning, actor=self.request.user)
                messages.success(self.request, _t("已提交审核"))
            except (ValidationError, PermissionDenied) as exc:
                messages.error(self.request, _error_text(exc))
        else:
            messages.success(self.request, _t("已保存"))
        return redirect("warnings:detail", pk=warning.pk)


class WarningCreateView(_WarningFormMixin):
    required_permission = "warnings.add_warning"

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        key = self.request.GET.get("template")
        template = WarningTemplate.objects.filter(key=key).first() if key else None
        if template is not None:
            severity = self.request.GET.get("severity") or template.default_severity
            if severity not in Severity.values:
                severity = template.default_severity
            fields = services.template_fields(template, severity)
            fields["expires"] = timezone.localtime(fields["expires"]).strftime("%Y-%m-%dT%H:%M")
            initial.update(fields)
        else:
            initial["expires"] = timezone.localtime(timezone.now() + timedelta(hours=24)).strftime(
                "%Y-%m-%dT%H:%M"
            )
        initial.setdefault("areas", [services.county_division()])
        return initial

    def save(self, form: WarningForm) -> Any:
        return services.create_warning(
            actor=self.request.user, areas=form.cleaned_data["areas"], **form.service_fields()
        )


class WarningEditView(_WarningFormMixin):
    required_permission = "warnings.change_warning"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and request.user.has_perm(self.required_permission):
            self.warning = selectors.get_warning_for(request.user, kwargs["pk"])
            if not self.warning.is_editable:
                messages.error(request, _t("该预警当前状态不能修改"))
                return redirect("warnings:detail", pk=self.warning.pk)
        return super().dispatch(request, *args, **kwargs)

    def save(self, form: WarningForm) -> Any:
        return services.edit_warning(
            self.warning, actor=self.request.user, areas=form.cleaned_data["areas"], **form.service_fields()
        )


class WarningDetailView(DeclaredPermissionMixin, DetailView):
    required_permission = "warnings.view_warning"
    template_name = "warnings/detail.html"
    context_object_name = "warning"

    def get_object(self, queryset: Any = None) -> Any:
        return selectors.get_warning_for(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        w = self.object
        user = self.request.user
        ctx["areas"] = w.areas.order_by("code")
        ctx["log"] = w.log.select_related("actor")
        ctx["stats"] = selectors.delivery_stats(user, w)
        ctx["simulated"] = not gateway_url()
        ctx["reject_form"] = RejectForm()
        ctx["followers"] = w.followers.order_by("created_at")
        ctx["can_approve"] = (
            w.state == WarningState.PENDING
            and user.has_perm("warnings.approve_warning")
            and user.pk not in (w.author_id, w.submitted_by_id)
        )
        ctx["own_pending"] = w.state == WarningState.PENDING and user.pk in (w.author_id, w.submitted_by_id)
        ctx["can_release"] = w.state == WarningState.APPROVED and user.has_perm("warnings.release_warning")
        ctx["can_follow_up"] = (
            w.state == WarningState.RELEASED
            and w.msg_type != MsgType.CANCEL
            and user.has_perm("warnings.add_warning")
        )
        ctx["map"] = map_context(user, polygon=w.polygon, area_codes=[a.code for a in ctx["areas"]])
        return ctx


class _ActionView(DeclaredPermissionMixin, View):
    """POST-only workflow action on one warning; errors come back as messages."""

    def act(self, warning: Any) -> Any:
        raise NotImplementedError

    success_message = ""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        warning = selectors.get_warning_for(request.user, pk)
        try:
            result = self.act(warning)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _error_text(exc))
            return redirect("warnings:detail", pk=warning.pk)
        messages.success(request, self.success_message)
        target = result if result is not None else warning
        if target.is_editable and target.pk != warning.pk:
            return redirect("warnings:edit", pk=target.pk)
        return redirect("warnings:detail", pk=target.pk)


class SubmitView(_ActionView):
    required_permission = "warnings.change_warning"
    success_message = "已提交审核"

    def act(self, warning: Any) -> Any:
        return services.submit_warning(warning, actor=self.request.user)


class ApproveView(_ActionView):
    required_permission = "warnings.approve_warning"
    success_message = "审核通过"

    def act(self, warning: Any) -> Any:
        return services.approve_warning(
            warning, actor=self.request.user, note=self.request.POST.get("note", "")
        )


class RejectView(_ActionView):
    required_permission = "warnings.approve_warning"
    success_message = "已退回"

    def act(self, warning: Any) -> Any:
        return services.reject_warning(
            warning, actor=self.request.user, reason=self.request.POST.get("reason", "")
        )


class ReleaseView(_ActionView):
    required_permission = "warnings.release_warning"
    success_message = "已发布"

    def act(self, warning: Any) -> Any:
        return services.release_warning(warning, actor=self.request.user)


class StartUpdateView(_ActionView):
    required_permission = "warnings.add_warning"
    success_message = "已生成更新稿，请修改后提交审核"

    def act(self, warning: Any) -> Any:
        return services.start_update(warning, actor=self.request.user)


class StartCancelView(_ActionView):
    required_permission = "warnings.add_warning"
    success_message = "已生成解除报文并提交审核"

    def act(self, warning: Any) -> Any:
        return services.start_cancel(warning, actor=self.request.user)


class DeliveriesPartialView(DeclaredPermissionMixin, TemplateView):
    """HTMX partial: delivery counts, refreshed while deliveries are queued."""

    required_permission = "warnings.view_warning"
    template_name = "warnings/_deliveries.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        warning = selectors.get_warning_for(self.request.user, kwargs["pk"])
        ctx["warning"] = warning
        ctx["stats"] = selectors.delivery_stats(self.request.user, warning)
        ctx["simulated"] = not gateway_url()
        return ctx

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        stats = context["stats"]
        fanned_out = len(stats.totals) + len(set(stats.blocked)) >= len(Channel.values)
        if fanned_out and stats.all_done:
            response.status_code = 286  # htmx: stop polling, nothing is queued any more
        return response


class UpstreamListView(DeclaredPermissionMixin, ListView):
    required_permission = "warnings.view_upstreamalert"
    template_name = "warnings/upstream_list.html"
    context_object_name = "alerts"
    paginate_by = 50

    def get_queryset(self) -> Any:
        state = self.request.GET.get("state")
        return selectors.upstream_for(
            self.request.user, state=state if state in UpstreamState.values else None
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["states"] = UpstreamState.choices
        ctx["current_state"] = self.request.GET.get("state", "")
        ctx["upload_form"] = UploadForm()
        ctx["sources"] = selectors.feed_sources_for(self.request.user)
        return ctx


class UpstreamDetailView(DeclaredPermissionMixin, DetailView):
    required_permission = "warnings.view_upstreamalert"
    template_name = "warnings/upstream_detail.html"
    context_object_name = "alert"

    def get_object(self, queryset: Any = None) -> Any:
        return selectors.get_upstream_for(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        a = self.object
        affected = a.assessment.get("affected_divisions", [])
        ctx["affected"] = affected
        ctx["templates"] = selectors.templates_for(self.request.user)
        ctx["derived"] = a.derived.order_by("-created_at")
        ctx["map"] = map_context(
            self.request.user,
            cap_xml=a.raw if a.state != UpstreamState.QUARANTINED else "",
            area_codes=[d["code"] for d in affected],
        )
        return ctx


class UpstreamUploadView(DeclaredPermissionMixin, View):
    required_permission = "warnings.add_upstreamalert"

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _t("请选择 CAP 文件"))
            return redirect("warnings:upstream-list")
        upload = form.cleaned_data["file"]
        if upload.size > DEFAULT_MAX_BYTES:
            messages.error(request, _t("文件超过 1 MiB"))
            return redirect("warnings:upstream-list")
        outcome = ingest.ingest_cap(
            upload.read(), source=ingest.manual_source(), origin=upload.name, actor=request.user
        )
        if not outcome.created:
            messages.info(request, _t("该消息已接收过（标识三元组相同）"))
        elif outcome.alert.state == UpstreamState.QUARANTINED:
            messages.error(request, _t("消息未通过校验，已隔离"))
        else:
            messages.success(request, _t("已接收并完成研判"))
        return redirect("warnings:upstream-detail", pk=outcome.alert.pk)


class DeriveView(DeclaredPermissionMixin, View):
    """A duty officer derives a county draft from an upstream message."""

    required_permission = "warnings.add_warning"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        upstream = selectors.get_upstream_for(request.user, pk)
        key = request.POST.get("template", "")
        template = selectors.templates_for(request.user).filter(key=key).first() if key else None
        try:
            warning = ingest.derive_warning_from_upstream(upstream, actor=request.user, template=template)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            return redirect("warnings:upstream-detail", pk=upstream.pk)
        messages.success(request, _t("已生成县级预警草稿，请核定区域和内容"))
        return redirect("warnings:edit", pk=warning.pk)


class RulesView(DeclaredPermissionMixin, TemplateView):
    required_permission = "warnings.view_triggerrule"
    template_name = "warnings/rules.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["rules"] = selectors.rules_for(user)
        ctx["templates"] = selectors.templates_for(user)
        ctx["sources"] = selectors.feed_sources_for(user)
        return ctx


class StatsView(DeclaredPermissionMixin, TemplateView):
    required_permission = "warnings.view_warning"
    template_name = "warnings/stats.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["s"] = selectors.warning_statistics(self.request.user)
        ctx["state_labels"] = dict(WarningState.choices)
        ctx["severity_labels"] = dict(Severity.choices)
        return ctx


class PublicWarningListView(DeclaredPermissionMixin, ListView):
    """Released, active warnings for the public viewer role (no operational permissions needed)."""

    required_permission = "warnings.view_publicwarning"
    template_name = "warnings/public.html"
    context_object_name = "warnings"

    def get_queryset(self) -> Any:
        return selectors.public_warnings_for(self.request.user)


class CapDocumentView(DeclaredPermissionMixin, View):
    """The CAP XML of a released message at a stable URL (public, no login)."""

    required_permission = PUBLIC

    def get(self, request: HttpRequest, identifier: str) -> HttpResponse:
        warning = selectors.released_by_identifier(identifier)
        return HttpResponse(
            warning.cap_xml.encode("utf-8"), content_type="application/cap+xml; charset=utf-8"
        )


class AtomFeedView(DeclaredPermissionMixin, View):
    """Atom index of the current released messages, linking each CAP document (public, no login)."""

    required_permission = PUBLIC

    def get(self, request: HttpRequest) -> HttpResponse:
        items = selectors.feed_warnings()
        body = atom_feed(
            items,
            feed_url=request.build_absolute_uri(reverse("warnings:feed")),
            cap_url=lambda w: request.build_absolute_uri(reverse("warnings:cap", args=[w.identifier])),
        )
        return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")


@method_decorator(csrf_exempt, name="dispatch")
class PushView(DeclaredPermissionMixin, View):
    """HTTP push of one CAP message by an upstream system: ``Authorization: Bearer <source token>``.

    Public URL; the per-source token is the authentication. 201 new, 200 duplicate,
    422 quarantined (with the defect list), 401 bad token, 413 too large.
    """

    required_permission = PUBLIC

    def post(self, request: HttpRequest, source_id: int) -> HttpResponse:
        source = get_object_or_404(FeedSource, pk=source_id, kind=SourceKind.PUSH, enabled=True)
        header = request.headers.get("Authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        if not source.check_token(token):
            return JsonResponse({"detail": "invalid token"}, status=401)
        if len(request.body) > DEFAULT_MAX_BYTES:
            return JsonResponse({"detail": "message larger than 1 MiB"}, status=413)
        outcome = ingest.ingest_cap(request.body, source=source, origin=f"push:{source.name}")
        alert = outcome.alert
        status = 200 if not outcome.created else (422 if alert.state == UpstreamState.QUARANTINED else 201)
        return JsonResponse(
            {
                "id": alert.pk,
                "identity": alert.identity,
                "state": alert.state,
                "created": outcome.created,
                "defects": alert.defects,
            },
            status=status,
        )
