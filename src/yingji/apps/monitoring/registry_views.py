"""Registry pages of the monitoring network: gateways (token issued or rotated, shown once),
field devices and maintenance windows.

Reads go through the restricted selectors, every write through one service (validated, audited);
every page declares its permission. A form error re-renders the page with status 400; a record
outside the user's scope is a 404.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from yingji.apps.core.views import DeclaredPermissionMixin
from yingji.apps.directory import selectors as directory_selectors
from yingji.apps.monitoring import forms, selectors, services
from yingji.apps.monitoring.models import Device, Gateway, MonitoringPoint

VIEW_GATEWAY = "monitoring.view_gateway"
ADD_GATEWAY = "monitoring.add_gateway"
CHANGE_GATEWAY = "monitoring.change_gateway"
VIEW_DEVICE = "monitoring.view_device"
ADD_DEVICE = "monitoring.add_device"
CHANGE_DEVICE = "monitoring.change_device"
VIEW_WINDOW = "monitoring.view_maintenancewindow"
ADD_WINDOW = "monitoring.add_maintenancewindow"
CHANGE_WINDOW = "monitoring.change_maintenancewindow"


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _no_store(response: HttpResponse) -> HttpResponse:
    """A page showing a gateway token must not be kept by any cache."""
    response["Cache-Control"] = "no-store"
    return response


# ---- gateways --------------------------------------------------------------------------


class GatewayListView(DeclaredPermissionMixin, TemplateView):
    """The user's gateways: enterprise, token prefix, active, last report, number of points."""

    required_permission = VIEW_GATEWAY
    template_name = "monitoring/gateway_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx.update(
            gateways=selectors.gateways_for(user).annotate(point_count=Count("points")).order_by("code"),
            can_add=user.has_perm(ADD_GATEWAY),
            can_change=user.has_perm(CHANGE_GATEWAY),
        )
        return ctx


def _gateway_page(
    request: HttpRequest, form: Any, *, gateway: Gateway | None = None, token: str = "", status: int = 200
) -> HttpResponse:
    ctx = {"form": form, "gateway": gateway, "token": token}
    return _no_store(render(request, "monitoring/gateway_form.html", ctx, status=status))


class GatewayCreateView(DeclaredPermissionMixin, View):
    """GET: the form; POST: register the gateway and show its new token once."""

    required_permission = ADD_GATEWAY

    def get(self, request: HttpRequest) -> HttpResponse:
        return _gateway_page(request, forms.GatewayForm(user=request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.GatewayForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                gateway, token = services.create_gateway(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("网关已创建。"))
                return _gateway_page(
                    request, forms.GatewayEditForm(instance=gateway), gateway=gateway, token=token
                )
        return _gateway_page(request, form, status=400)


class GatewayUpdateView(DeclaredPermissionMixin, View):
    """Rename a gateway or switch it off/on (code and enterprise are fixed)."""

    required_permission = CHANGE_GATEWAY

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        gateway = selectors.get_gateway_for(request.user, pk, "change")
        return _gateway_page(request, forms.GatewayEditForm(instance=gateway), gateway=gateway)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        gateway = selectors.get_gateway_for(request.user, pk, "change")
        form = forms.GatewayEditForm(request.POST, instance=Gateway.objects.get(pk=gateway.pk))
        if form.is_valid():
            try:
                services.update_gateway(gateway, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("网关已保存。"))
                return redirect("monitoring:gateway-list")
        return _gateway_page(request, form, gateway=gateway, status=400)


class GatewayRotateTokenView(DeclaredPermissionMixin, View):
    """POST: issue a new token (the old one stops working at once) and show it once."""

    required_permission = CHANGE_GATEWAY

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        gateway = selectors.get_gateway_for(request.user, pk, "change")
        token = services.rotate_gateway_token(gateway, actor=request.user)
        messages.success(request, _("已生成新令牌,旧令牌已失效。"))
        return _gateway_page(request, forms.GatewayEditForm(instance=gateway), gateway=gateway, token=token)


# ---- devices ---------------------------------------------------------------------------


class DeviceListView(DeclaredPermissionMixin, ListView):
    """The user's field devices with their gateway and number of points."""

    required_permission = VIEW_DEVICE
    template_name = "monitoring/device_list.html"
    context_object_name = "devices"
    paginate_by = 200

    def get_queryset(self) -> Any:
        return selectors.devices_for(self.request.user).annotate(point_count=Count("points")).order_by("code")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["can_add"] = self.request.user.has_perm(ADD_DEVICE)
        ctx["can_change"] = self.request.user.has_perm(CHANGE_DEVICE)
        return ctx


def _device_page(
    request: HttpRequest, form: Any, device: Device | None = None, status: int = 200
) -> HttpResponse:
    return render(request, "monitoring/device_form.html", {"form": form, "device": device}, status=status)


class DeviceCreateView(DeclaredPermissionMixin, View):
    """GET: the form; POST: register the device (its gateway must be of the same enterprise)."""

    required_permission = ADD_DEVICE

    def get(self, request: HttpRequest) -> HttpResponse:
        return _device_page(request, forms.DeviceForm(user=request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.DeviceForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.create_device(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("设备已登记。"))
                return redirect("monitoring:device-list")
        return _device_page(request, form, status=400)


class DeviceUpdateView(DeclaredPermissionMixin, View):
    """Change a device's name, gateway, model or serial number (code and enterprise are fixed)."""

    required_permission = CHANGE_DEVICE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        device = selectors.get_device_for(request.user, pk, "change")
        return _device_page(request, forms.DeviceEditForm(instance=device, user=request.user), device)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        device = selectors.get_device_for(request.user, pk, "change")
        form = forms.DeviceEditForm(
            request.POST, instance=Device.objects.get(pk=device.pk), user=request.user
        )
        if form.is_valid():
            try:
                services.update_device(device, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("设备已保存。"))
                return redirect("monitoring:device-list")
        return _device_page(request, form, device, status=400)


# ---- maintenance windows -----------------------------------------------------------------


def _maintenance_list(request: HttpRequest, *, error: str, status: int) -> HttpResponse:
    """The list page again with ``error`` shown (a refused end/cancel)."""
    view = MaintenanceListView()
    view.setup(request)
    view.object_list = view.get_queryset()
    ctx = view.get_context_data(action_error=error)
    return render(request, view.template_name, ctx, status=status)


class MaintenanceListView(DeclaredPermissionMixin, ListView):
    """Maintenance windows, newest first, with their phase (upcoming/active/ended); running ones
    can be ended early, upcoming ones cancelled."""

    required_permission = VIEW_WINDOW
    template_name = "monitoring/maintenance_list.html"
    context_object_name = "windows"
    paginate_by = 100

    def get_queryset(self) -> Any:
        return selectors.maintenance_windows_for(self.request.user).select_related("created_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        now = timezone.now()
        for window in ctx["windows"]:
            window.phase = selectors.maintenance_phase(window, now)
        ctx["can_add"] = self.request.user.has_perm(ADD_WINDOW)
        ctx["can_change"] = self.request.user.has_perm(CHANGE_WINDOW)
        ctx["action_error"] = kwargs.get("action_error", "")
        return ctx


def _initial_window(request: HttpRequest) -> dict[str, Any]:
    """Start now, end in two hours; ``?point=`` / ``?gateway=`` (visible ones) preselect the target."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    initial: dict[str, Any] = {"starts_at": now, "ends_at": now + timedelta(hours=2)}
    user = request.user
    raw_point, raw_gateway = request.GET.get("point", ""), request.GET.get("gateway", "")
    if raw_point.isdigit():
        point = selectors.points_for(user).filter(pk=int(raw_point)).first()
        if point is not None:
            initial.update(point=point.pk, organization=point.organization_id)
    elif raw_gateway.isdigit():
        gateway = selectors.gateways_for(user).filter(pk=int(raw_gateway)).first()
        if gateway is not None:
            initial.update(gateway=gateway.pk, organization=gateway.organization_id)
    return initial


def _window_page(request: HttpRequest, form: Any, status: int = 200) -> HttpResponse:
    return render(request, "monitoring/maintenance_form.html", {"form": form}, status=status)


class MaintenanceCreateView(DeclaredPermissionMixin, View):
    """GET: the form (``?point=``/``?gateway=`` preselect); POST: plan the window (audited)."""

    required_permission = ADD_WINDOW

    def get(self, request: HttpRequest) -> HttpResponse:
        return _window_page(
            request, forms.MaintenanceWindowForm(user=request.user, initial=_initial_window(request))
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.MaintenanceWindowForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.create_maintenance_window(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("维护窗口已计划,窗口内不产生报警。"))
                return redirect("monitoring:maintenance-list")
        return _window_page(request, form, status=400)


class MaintenanceActionView(DeclaredPermissionMixin, View):
    """POST ``end`` (a running window ends now) or ``cancel`` (an upcoming window is removed)."""

    required_permission = CHANGE_WINDOW

    def post(self, request: HttpRequest, pk: int, verb: str) -> HttpResponse:
        window = selectors.get_maintenance_window_for(request.user, pk, "change")
        try:
            if verb == "end":
                services.end_maintenance_window(window, actor=request.user)
                messages.success(request, _("维护窗口已提前结束,报警恢复。"))
            elif verb == "cancel":
                services.cancel_maintenance_window(window, actor=request.user)
                messages.success(request, _("维护窗口已取消。"))
            else:
                return HttpResponse(status=404)
        except ValidationError as exc:
            return _maintenance_list(request, error=" ".join(exc.messages), status=400)
        return redirect("monitoring:maintenance-list")


# ---- HTMX: the gateways/points of the chosen enterprise -------------------------------------


class RegistryOptionsView(DeclaredPermissionMixin, View):
    """HTMX fragment: ``<option>``s of the enterprise chosen in a form (``?organization=``).

    ``?for=device``: its gateways (target ``#id_gateway``); ``?for=maintenance``: its points
    (target ``#id_point``) plus its gateways as an out-of-band swap of ``#id_gateway``. Only
    records the user may see; an enterprise outside their scope gives empty lists.
    """

    required_permission = VIEW_GATEWAY

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        raw = request.GET.get("organization", "")
        org = (
            directory_selectors.organizations_for(user).filter(pk=int(raw)).first() if raw.isdigit() else None
        )
        gateways = list(selectors.gateways_for(user).filter(organization=org)) if org else []
        purpose = request.GET.get("for", "device")
        ctx: dict[str, Any] = {"items": gateways, "oob_gateways": None}
        if purpose == "maintenance":
            points: list[MonitoringPoint] = (
                list(MonitoringPoint.objects.restrict(user, "view").filter(organization=org).order_by("code"))
                if org
                else []
            )
            ctx = {"items": points, "oob_gateways": gateways}
        return render(request, "monitoring/_options.html", ctx)
