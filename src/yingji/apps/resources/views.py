"""Resource pages: the hub (应急资源), registry lists with filters and Excel export, team and shelter."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from openpyxl.styles import Font

from yingji.apps.core.views import DeclaredPermissionMixin
from yingji.apps.resources import selectors, services
from yingji.apps.resources.forms import ShelterStatusForm
from yingji.apps.resources.imports import REGISTER_IMPORT_KINDS
from yingji.apps.resources.models import Shelter
from yingji.apps.resources.registers import REGISTERS, Register, filtered

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Engine import kinds (shared import layer, /imports/) that feed a register.
IMPORT_KINDS = REGISTER_IMPORT_KINDS


def service_errors(exc: ValidationError) -> list[str]:
    """Flat, human-readable messages of a service ``ValidationError``."""
    if hasattr(exc, "error_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


def add_service_errors(form: Any, exc: ValidationError) -> None:
    """Put a service ``ValidationError`` on ``form``: each message on its field when the form
    has that field (``production_date``...), else as a form-wide error."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, messages_ in exc.message_dict.items():
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


class ResourceIndexView(DeclaredPermissionMixin, TemplateView):
    """The resources hub: counts, warnings (shortfall, expiry) and links to every register."""

    required_permission = "resources.view_depot"
    template_name = "resources/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["counts"] = {
            "depots": selectors.depots_for(user).count(),
            "lots": selectors.lots_for(user).filter(quantity_on_hand__gt=0).count(),
            "orders": selectors.dispatch_orders_for(user)
            .exclude(status__in=["received", "rejected", "cancelled"])
            .count(),
            "teams": selectors.rescue_teams_for(user).count(),
            "experts": selectors.experts_for(user).count(),
            "shelters": selectors.shelters_for(user).count(),
            "equipment": selectors.equipment_for(user).count(),
        }
        short = selectors.shortfall(user)
        ctx["short_lines"] = [r for r in short if r.line.shortfall > 0][:10]
        ctx["expiring"] = selectors.expiry_report(user, horizons=(30,))[:10]
        ctx["depots"] = selectors.depots_for(user)
        return ctx


class RegisterListView(DeclaredPermissionMixin, TemplateView):
    """A registry list (``register`` slug from the URL) with filters, export and import links."""

    required_permission = "resources.view_depot"
    template_name = "resources/register_list.html"
    page_size = 500

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        register = REGISTERS.get(kwargs.get("register", ""))
        if register is None:
            raise Http404
        self.register = register
        self.required_permission = register.permission
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        reg: Register = self.register
        objs = list(filtered(reg, self.request.user, self.request.GET)[: self.page_size])
        ctx.update(
            register=reg,
            headers=[label for label, _fn in reg.columns],
            rows=[(obj, [fn(obj) for _label, fn in reg.columns]) for obj in objs],
            filters=[
                (param, label, choices, self.request.GET.get(param, ""))
                for param, label, choices, _ in reg.filters
            ],
            import_kind=IMPORT_KINDS.get(reg.slug),
            query=self.request.GET.urlencode(),
        )
        return ctx


class RegisterExportView(RegisterListView):
    """The same list as an Excel workbook (.xlsx, openpyxl), filters applied, no row limit."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        reg: Register = self.register
        wb = openpyxl.Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = str(reg.title)[:31]
        ws.append([str(label) for label, _fn in reg.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for obj in filtered(reg, request.user, request.GET).iterator(chunk_size=2000):
            ws.append([_cell(fn(obj)) for _label, fn in reg.columns])
        ws.freeze_panes = "A2"
        buf = io.BytesIO()
        wb.save(buf)
        resp = HttpResponse(buf.getvalue(), content_type=XLSX)
        name = f"{reg.slug}-{timezone.localdate():%Y%m%d}.xlsx"
        resp["Content-Disposition"] = f'attachment; filename="{name}"'
        return resp


def _cell(value: Any) -> Any:
    """Excel cell value: numbers and dates as such, everything else as text."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) or hasattr(value, "isoformat"):
        return value
    if hasattr(value, "as_tuple"):  # Decimal: keep exact text when it has more digits than a float holds
        return float(value) if len(value.as_tuple().digits) <= 15 else str(value)
    return str(value)


class TeamDetailView(DeclaredPermissionMixin, TemplateView):
    """A rescue team: members with skills and certificates, equipment, base, readiness."""

    required_permission = "resources.view_rescueteam"
    template_name = "resources/team_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        team = selectors.get_for(selectors.rescue_teams_for(user), pk=kwargs["pk"])
        ctx.update(
            team=team,
            skills=sorted(selectors.team_skills(team)),
            members=selectors.members_for(user).filter(team=team).prefetch_related("certificates"),
            equipment=selectors.equipment_for(user).filter(team=team),
        )
        return ctx


class ShelterDetailView(DeclaredPermissionMixin, TemplateView):
    """A shelter with its status form (open/close, occupancy)."""

    required_permission = "resources.view_shelter"
    template_name = "resources/shelter_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        shelter = selectors.get_for(selectors.shelters_for(self.request.user), pk=kwargs["pk"])
        ctx.setdefault(
            "form",
            ShelterStatusForm(
                initial={
                    "status": "open" if shelter.status == "full" else shelter.status,
                    "occupancy": shelter.occupancy,
                }
            ),
        )
        ctx["shelter"] = shelter
        ctx["can_change"] = self.request.user.has_perm("resources.change_shelter")
        return ctx


class ShelterStatusView(DeclaredPermissionMixin, View):
    """POST: open/close a shelter and record occupancy (form errors re-render the page)."""

    required_permission = "resources.change_shelter"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        from_scope = selectors.get_for(Shelter.objects.restrict(request.user, "change"), pk=pk)
        form = ShelterStatusForm(request.POST)
        if form.is_valid():
            try:
                services.set_shelter_status(from_scope, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for msg in service_errors(exc):
                    form.add_error(None, msg)
            else:
                messages.success(request, _("避难场所状态已更新"))
                return HttpResponseRedirect(reverse("resources:shelter-detail", args=[pk]))
        view = ShelterDetailView()
        view.setup(request, pk=pk)
        return view.render_to_response(view.get_context_data(pk=pk, form=form))
