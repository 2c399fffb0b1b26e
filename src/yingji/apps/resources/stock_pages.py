"""Stock pages: depot stock with the receive form, lot movements, the printable stock card and
depot inventory report, and dispatch orders (list, request, detail with workflow actions)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from yingji.apps.core.views import DeclaredPermissionMixin
from yingji.apps.resources import selectors, services
from yingji.apps.resources.forms import DispatchRequestForm, LotMovementForm, ReceiveForm
from yingji.apps.resources.models import Depot, DispatchAllocation, DispatchOrder, StockLot
from yingji.apps.resources.views import add_service_errors, service_errors

MOVE = "resources.add_stockmovement"


def _render(view_cls: type[TemplateView], request: HttpRequest, **kwargs: Any) -> HttpResponse:
    view = view_cls()
    view.setup(request, **kwargs)
    return view.render_to_response(view.get_context_data(**kwargs))


class DepotDetailView(DeclaredPermissionMixin, TemplateView):
    """A depot: balances per item, lots, receive form, links to stock cards and the inventory report."""

    required_permission = "resources.view_depot"
    template_name = "resources/depot_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        depot = selectors.get_for(selectors.depots_for(user), pk=kwargs["pk"])
        ctx.update(
            depot=depot,
            balances=selectors.stock_balances(user, depot=depot),
            lots=selectors.lots_for(user)
            .filter(depot=depot, quantity_on_hand__gt=0)
            .order_by("item__code", "expiry_date"),
            can_move=user.has_perm(MOVE)
            and Depot.objects.restrict(user, "change").filter(pk=depot.pk).exists(),
        )
        ctx.setdefault("form", ReceiveForm())
        ctx["form"].fields["item"].queryset = selectors.supply_items_for(user)
        return ctx


class DepotReceiveView(DeclaredPermissionMixin, View):
    """POST: receive stock into the depot (errors re-render the depot page)."""

    required_permission = MOVE

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        depot = selectors.get_for(Depot.objects.restrict(request.user, "change"), pk=pk)
        form = ReceiveForm(request.POST)
        form.fields["item"].queryset = selectors.supply_items_for(request.user)  # type: ignore[attr-defined]
        if form.is_valid():
            try:
                services.receive_stock(actor=request.user, depot=depot, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已入库"))
                return HttpResponseRedirect(reverse("resources:depot-detail", args=[pk]))
        return _render(DepotDetailView, request, pk=pk, form=form)


class LotDetailView(DeclaredPermissionMixin, TemplateView):
    """A lot: its ledger rows (balance after each) and the movement form."""

    required_permission = "resources.view_stocklot"
    template_name = "resources/lot_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        lot = selectors.get_for(selectors.lots_for(user), pk=kwargs["pk"])
        ctx.update(
            lot=lot,
            movements=selectors.movements_for(user).filter(lot=lot).order_by("occurred_at", "id"),
            can_move=user.has_perm(MOVE),
        )
        ctx.setdefault("form", LotMovementForm())
        ctx["form"].fields["to_depot"].queryset = selectors.depots_for(user).exclude(pk=lot.depot_id)
        return ctx


class LotMoveView(DeclaredPermissionMixin, View):
    """POST: issue / count / write off / transfer a lot."""

    required_permission = MOVE

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        lot = selectors.get_for(
            StockLot.objects.restrict(request.user, "change").select_related("item", "depot"), pk=pk
        )
        form = LotMovementForm(request.POST)
        form.fields["to_depot"].queryset = selectors.depots_for(request.user)  # type: ignore[attr-defined]
        if form.is_valid():
            data = form.cleaned_data
            try:
                op = data["operation"]
                if op == "issue":
                    services.issue_stock(
                        lot, actor=request.user, quantity=data["quantity"], note=data["note"]
                    )
                elif op == "count":
                    services.adjust_stock(
                        lot, actor=request.user, counted_quantity=data["quantity"], note=data["note"]
                    )
                elif op == "write_off":
                    services.write_off_stock(
                        lot, actor=request.user, quantity=data["quantity"], reason=data["note"]
                    )
                else:
                    if data["to_depot"] is None:
                        raise ValidationError({"to_depot": [_("请选择调入库")]})
                    services.transfer_stock(
                        lot,
                        actor=request.user,
                        to_depot=data["to_depot"],
                        quantity=data["quantity"],
                        note=data["note"],
                    )
            except ValidationError as exc:
                for msg in service_errors(exc):
                    form.add_error(None, msg)
            else:
                messages.success(request, _("已记账"))
                return HttpResponseRedirect(reverse("resources:lot-detail", args=[pk]))
        return _render(LotDetailView, request, pk=pk, form=form)


class StockCardView(DeclaredPermissionMixin, TemplateView):
    """Printable stock card (库存卡) of one item in one depot, recomputed from the ledger."""

    required_permission = "resources.view_stocklot"
    template_name = "resources/stock_card.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        depot = selectors.get_for(selectors.depots_for(user), pk=kwargs["depot"])
        item = selectors.get_for(selectors.supply_items_for(user), pk=kwargs["item"])
        opening, lines = selectors.stock_card(user, depot=depot, item=item)
        ctx.update(depot=depot, item=item, opening=opening, lines=lines, printed_at=timezone.now())
        return ctx


class InventoryReportView(DeclaredPermissionMixin, TemplateView):
    """Printable depot inventory report (库存盘点表): every lot with stock, totals per item."""

    required_permission = "resources.view_stocklot"
    template_name = "resources/inventory_report.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        depot = selectors.get_for(selectors.depots_for(user), pk=kwargs["pk"])
        ctx.update(
            depot=depot,
            balances=selectors.stock_balances(user, depot=depot),
            lots=selectors.lots_for(user)
            .filter(depot=depot, quantity_on_hand__gt=0)
            .order_by("item__code", "expiry_date"),
            printed_at=timezone.now(),
            today=timezone.localdate(),
        )
        return ctx


class DispatchListView(DeclaredPermissionMixin, TemplateView):
    """Dispatch orders, newest first, filter by status."""

    required_permission = "resources.view_dispatchorder"
    template_name = "resources/dispatch_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        qs = selectors.dispatch_orders_for(self.request.user)
        status = self.request.GET.get("status", "")
        if status in DispatchOrder.Status.values:
            qs = qs.filter(status=status)
        ctx.update(orders=qs[:300], statuses=DispatchOrder.Status.choices, current=status)
        return ctx


class DispatchCreateView(DeclaredPermissionMixin, TemplateView):
    """Request a dispatch order (GET form, POST create)."""

    required_permission = "resources.add_dispatchorder"
    template_name = "resources/dispatch_form.html"

    def _form(self, data: Any = None) -> DispatchRequestForm:
        user = self.request.user
        form = DispatchRequestForm(
            data, divisions=selectors.township_choices(user), items=selectors.supply_items_for(user)
        )
        form.fields["destination_depot"].queryset = selectors.depots_for(user)  # type: ignore[attr-defined]
        return form

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", self._form())
        return ctx

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request.POST)
        if form.is_valid():
            lines = form.lines()
            if form.is_valid():
                data = form.cleaned_data
                try:
                    order = services.request_dispatch(
                        actor=request.user,
                        division=data["division"],
                        destination=data["destination"],
                        destination_depot=data["destination_depot"],
                        purpose=data["purpose"],
                        lines=lines,
                    )
                except ValidationError as exc:
                    for msg in service_errors(exc):
                        form.add_error(None, msg)
                else:
                    messages.success(request, _("调拨单已提交"))
                    return HttpResponseRedirect(reverse("resources:dispatch-detail", args=[order.pk]))
        return self.render_to_response(self.get_context_data(form=form))


class DispatchDetailView(DeclaredPermissionMixin, TemplateView):
    """A dispatch order: lines, allocations per depot and lot, and the allowed workflow actions."""

    required_permission = "resources.view_dispatchorder"
    template_name = "resources/dispatch_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        order = selectors.get_for(
            selectors.dispatch_orders_for(user).prefetch_related(
                "lines__item",
                Prefetch("lines__allocations", DispatchAllocation.objects.select_related("lot__depot")),
            ),
            pk=kwargs["pk"],
        )
        depots = {
            a.lot.depot for line in order.lines.all() for a in line.allocations.all() if a.outstanding > 0
        }
        ctx.update(
            order=order,
            issue_depots=sorted(depots, key=lambda d: d.code),
            can_approve=user.has_perm("resources.approve_dispatchorder"),
            can_change=user.has_perm("resources.change_dispatchorder"),
            source_depots=selectors.depots_for(user),
        )
        return ctx


class DispatchActionView(DeclaredPermissionMixin, View):
    """POST ``action``: approve, reject, issue (optionally one depot), cancel, receive."""

    required_permission = "resources.view_dispatchorder"
    VERBS = {
        "approve": ("approve", "resources.approve_dispatchorder"),
        "reject": ("approve", "resources.approve_dispatchorder"),
        "issue": ("change", "resources.change_dispatchorder"),
        "cancel": ("change", "resources.change_dispatchorder"),
        "receive": ("change", "resources.change_dispatchorder"),
    }

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        act = request.POST.get("action", "")
        if act not in self.VERBS:
            messages.error(request, _("未知操作"))
            return HttpResponseRedirect(reverse("resources:dispatch-detail", args=[pk]))
        verb, perm = self.VERBS[act]
        if not request.user.has_perm(perm):
            raise PermissionDenied
        order = selectors.get_for(DispatchOrder.objects.restrict(request.user, verb), pk=pk)
        user = request.user
        try:
            if act == "approve":
                ids = [i for i in request.POST.getlist("source_depots") if i.isdigit()]
                sources = list(selectors.depots_for(user).filter(pk__in=ids)) if ids else None
                services.approve_dispatch(order, actor=user, source_depots=sources)
            elif act == "reject":
                services.reject_dispatch(order, actor=user, reason=request.POST.get("reason", ""))
            elif act == "issue":
                depot_id = request.POST.get("depot", "")
                depot = None
                if depot_id.isdigit():
                    depot = selectors.get_for(Depot.objects.restrict(user, "change"), pk=int(depot_id))
                services.issue_dispatch(order, actor=user, depot=depot)
            elif act == "cancel":
                services.cancel_dispatch(order, actor=user, reason=request.POST.get("reason", ""))
            else:
                services.receive_dispatch(order, actor=user)
        except ValidationError as exc:
            for msg in service_errors(exc):
                messages.error(request, msg)
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("无权操作"))
        else:
            messages.success(request, _("操作成功"))
        return HttpResponseRedirect(reverse("resources:dispatch-detail", args=[pk]))
