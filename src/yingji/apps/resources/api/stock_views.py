"""API over the catalogue, stock lots and ledger, dispatch orders, quotas and the reach search."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yingji.apps.core.api import RestrictedReadOnlyViewSet
from yingji.apps.directory.models import AdministrativeDivision
from yingji.apps.resources import selectors, services
from yingji.apps.resources.api.stock_serializers import (
    DispatchApproveSerializer,
    DispatchIssueSerializer,
    DispatchOrderSerializer,
    DispatchReasonSerializer,
    DispatchReceiveSerializer,
    DispatchReturnSerializer,
    QuotaShortfallSerializer,
    ReachSerializer,
    ReserveQuotaSerializer,
    StockBalanceSerializer,
    StockCountSerializer,
    StockExpirySerializer,
    StockIssueSerializer,
    StockLotSerializer,
    StockMovementSerializer,
    StockReceiveSerializer,
    StockTransferSerializer,
    StockWriteOffSerializer,
    SupplyClassSerializer,
    SupplyItemSerializer,
)
from yingji.apps.resources.api.views import ScopedActionsMixin, ScopedWriteViewSet, perms
from yingji.apps.resources.models import (
    Depot,
    DispatchAllocation,
    DispatchOrder,
    ReserveQuota,
    StockLot,
    StockMovement,
    SupplyClass,
    SupplyItem,
)
from yingji.apps.resources.presenters import reach_dict, shortfall_dicts

MOVE = "resources.add_stockmovement"


def _depot_in_scope(user: Any, depot: Depot, verb: str = "change") -> Depot:
    """``depot`` if ``user`` may ``verb`` it, else ``PermissionDenied`` (403)."""
    if not Depot.objects.restrict(user, verb).filter(pk=depot.pk).exists():
        raise PermissionDenied("无权操作该储备库")
    return depot


class SupplyClassViewSet(RestrictedReadOnlyViewSet):
    """Supply classes (provisional 13-class list; see ``source``)."""

    queryset = SupplyClass.objects.all()
    serializer_class = SupplyClassSerializer
    required_permissions = {"list": "resources.view_supplyclass", "retrieve": "resources.view_supplyclass"}


class SupplyItemViewSet(ScopedWriteViewSet):
    """Catalogue items: unit, shelf life (days), storage needs. Filter by supply_class.

    The catalogue is county-wide: creating or changing an item needs the permission for the
    whole county; a township- or enterprise-scoped grant gets 403 (before the body is read).
    """

    queryset = SupplyItem.objects.select_related("supply_class")
    serializer_class = SupplyItemSerializer
    filterset_fields = ["supply_class", "is_demo"]
    required_permissions = perms("supplyitem")
    create_service = staticmethod(services.create_supply_item)
    update_service = staticmethod(services.update_supply_item)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.check_catalogue_scope(request.user, action="add")
        return super().create(request, *args, **kwargs)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.check_catalogue_scope(request.user, action="change")
        return super().update(request, *args, **kwargs)


class StockLotViewSet(RestrictedReadOnlyViewSet):
    """Stock lots (balances derived from the ledger) and stock movements as actions.

    ``POST receive/`` (collection), ``POST {id}/issue/``, ``{id}/count/``, ``{id}/write-off/``,
    ``{id}/transfer/``; ``GET balances/`` per depot and item, ``GET expiring/``.
    """

    queryset = StockLot.objects.select_related("depot", "item")
    serializer_class = StockLotSerializer
    filterset_fields = ["depot", "item", "batch", "is_demo"]
    required_permissions = {
        "list": "resources.view_stocklot",
        "retrieve": "resources.view_stocklot",
        "balances": "resources.view_stocklot",
        "expiring": "resources.view_stocklot",
        "receive": MOVE,
        "issue": MOVE,
        "count": MOVE,
        "write_off": MOVE,
        "transfer": MOVE,
    }

    def get_queryset(self) -> Any:
        verb = "change" if self.action in {"issue", "count", "write_off", "transfer"} else "view"
        return self.queryset.all().restrict(self.request.user, verb)

    @extend_schema(request=StockReceiveSerializer, responses={201: StockMovementSerializer})
    @action(detail=False, methods=["post"])
    def receive(self, request: Request) -> Response:
        body = StockReceiveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        _depot_in_scope(request.user, data["depot"])
        movement = services.receive_stock(actor=request.user, **data)
        return Response(StockMovementSerializer(movement).data, status=201)

    @extend_schema(request=StockIssueSerializer, responses={201: StockMovementSerializer})
    @action(detail=True, methods=["post"])
    def issue(self, request: Request, pk: Any = None) -> Response:
        lot = self.get_object()
        body = StockIssueSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        movement = services.issue_stock(lot, actor=request.user, **body.validated_data)
        return Response(StockMovementSerializer(movement).data, status=201)

    @extend_schema(request=StockCountSerializer, responses={200: StockLotSerializer})
    @action(detail=True, methods=["post"])
    def count(self, request: Request, pk: Any = None) -> Response:
        lot = self.get_object()
        body = StockCountSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.adjust_stock(lot, actor=request.user, **body.validated_data)
        lot.refresh_from_db()
        return Response(StockLotSerializer(lot).data)

    @extend_schema(request=StockWriteOffSerializer, responses={201: StockMovementSerializer})
    @action(detail=True, methods=["post"], url_path="write-off")
    def write_off(self, request: Request, pk: Any = None) -> Response:
        lot = self.get_object()
        body = StockWriteOffSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        movement = services.write_off_stock(lot, actor=request.user, **body.validated_data)
        return Response(StockMovementSerializer(movement).data, status=201)

    @extend_schema(request=StockTransferSerializer, responses={201: StockMovementSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: Any = None) -> Response:
        lot = self.get_object()
        body = StockTransferSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        _depot_in_scope(request.user, data["to_depot"])
        out, inn = services.transfer_stock(lot, actor=request.user, **data)
        return Response(StockMovementSerializer([out, inn], many=True).data, status=201)

    @extend_schema(
        parameters=[
            OpenApiParameter("depot", OpenApiTypes.INT, description="depot id"),
            OpenApiParameter("item", OpenApiTypes.INT, description="item id"),
            OpenApiParameter("within", OpenApiTypes.STR, description="division code prefix"),
        ],
        responses=StockBalanceSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def balances(self, request: Request) -> Response:
        user = request.user
        depot = item = None
        if request.query_params.get("depot"):
            depot = get_object_or_404(selectors.depots_for(user), pk=request.query_params["depot"])
        if request.query_params.get("item"):
            item = get_object_or_404(selectors.supply_items_for(user), pk=request.query_params["item"])
        rows = selectors.stock_balances(
            user, depot=depot, item=item, prefix=request.query_params.get("within")
        )
        return Response(
            StockBalanceSerializer([{**r.__dict__, "available": r.available} for r in rows], many=True).data
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("horizons", OpenApiTypes.STR, description="days, comma-separated (30,90,180)")
        ],
        responses=StockExpirySerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def expiring(self, request: Request) -> Response:
        raw = request.query_params.get("horizons") or "30,90,180"
        try:
            horizons = tuple(int(h) for h in raw.split(",") if h.strip())
            if not horizons or min(horizons) <= 0:
                raise ValueError
        except ValueError:
            raise exceptions.ValidationError({"horizons": ["须为逗号分隔的正整数天数"]}) from None
        lines = selectors.expiry_report(request.user, horizons=horizons)
        data = [{"lot": line.lot, "bucket": line.bucket, "days_left": line.days_left} for line in lines]
        return Response(StockExpirySerializer(data, many=True).data)


class StockMovementViewSet(RestrictedReadOnlyViewSet):
    """The stock ledger (append-only). Filter by lot, depot, item, kind, dispatch_order."""

    queryset = StockMovement.objects.select_related("actor", "dispatch_order").order_by("occurred_at", "id")
    serializer_class = StockMovementSerializer
    filterset_fields = ["lot", "depot", "item", "kind", "dispatch_order"]
    required_permissions = {
        "list": "resources.view_stockmovement",
        "retrieve": "resources.view_stockmovement",
    }


class DispatchOrderViewSet(
    ScopedActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Dispatch orders: create (requested) → approve → issue → receive; reject, cancel, return."""

    queryset = DispatchOrder.objects.select_related("division", "destination_depot").prefetch_related(
        "lines__item", "lines__allocations__lot__depot"
    )
    serializer_class = DispatchOrderSerializer
    filterset_fields = ["status", "is_demo"]
    required_permissions = {
        "list": "resources.view_dispatchorder",
        "retrieve": "resources.view_dispatchorder",
        "create": "resources.add_dispatchorder",
        "approve": "resources.approve_dispatchorder",
        "reject": "resources.approve_dispatchorder",
        "issue": "resources.change_dispatchorder",
        "cancel": "resources.change_dispatchorder",
        "receive": "resources.change_dispatchorder",
        "return_goods": "resources.change_dispatchorder",
    }
    action_verbs = {
        "approve": "approve",
        "reject": "approve",
        "issue": "change",
        "cancel": "change",
        "receive": "change",
        "return_goods": "change",
    }

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = DispatchOrderSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        division = data.pop("division")
        if not AdministrativeDivision.objects.restrict(request.user, "view").filter(pk=division.pk).exists():
            raise PermissionDenied("无权为该区划申请调拨")
        lines = [(line["item"], line["quantity_requested"]) for line in data.pop("lines")]
        order = services.request_dispatch(actor=request.user, division=division, lines=lines, **data)
        return Response(DispatchOrderSerializer(self.queryset.get(pk=order.pk)).data, status=201)

    def _done(self, order: DispatchOrder) -> Response:
        return Response(DispatchOrderSerializer(self.queryset.get(pk=order.pk)).data)

    @extend_schema(request=DispatchApproveSerializer, responses=DispatchOrderSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        order = self.get_object()
        body = DispatchApproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            quantities = {int(k): Decimal(v) for k, v in (data.get("quantities") or {}).items()}
        except (ValueError, InvalidOperation):
            raise exceptions.ValidationError({"quantities": ["键须为明细 id"]}) from None
        return self._done(
            services.approve_dispatch(
                order,
                actor=request.user,
                source_depots=data.get("source_depots") or None,
                quantities=quantities or None,
                note=data.get("note", ""),
            )
        )

    @extend_schema(request=DispatchReasonSerializer, responses=DispatchOrderSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: Any = None) -> Response:
        body = DispatchReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._done(
            services.reject_dispatch(self.get_object(), actor=request.user, **body.validated_data)
        )

    @extend_schema(request=DispatchIssueSerializer, responses=DispatchOrderSerializer)
    @action(detail=True, methods=["post"])
    def issue(self, request: Request, pk: Any = None) -> Response:
        order = self.get_object()
        body = DispatchIssueSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        depot = body.validated_data.get("depot")
        if depot is not None:
            _depot_in_scope(request.user, depot)
        return self._done(services.issue_dispatch(order, actor=request.user, depot=depot))

    @extend_schema(request=DispatchReasonSerializer, responses=DispatchOrderSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        body = DispatchReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._done(
            services.cancel_dispatch(self.get_object(), actor=request.user, **body.validated_data)
        )

    @extend_schema(request=DispatchReceiveSerializer, responses=DispatchOrderSerializer)
    @action(detail=True, methods=["post"])
    def receive(self, request: Request, pk: Any = None) -> Response:
        order = self.get_object()
        body = DispatchReceiveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            received = {int(k): v for k, v in (body.validated_data.get("received") or {}).items()}
        except ValueError:
            raise exceptions.ValidationError({"received": ["键须为分配 id"]}) from None
        return self._done(services.receive_dispatch(order, actor=request.user, received=received or None))

    @extend_schema(request=DispatchReturnSerializer, responses={201: StockMovementSerializer})
    @action(detail=True, methods=["post"], url_path="return")
    def return_goods(self, request: Request, pk: Any = None) -> Response:
        order = self.get_object()
        body = DispatchReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        alloc = DispatchAllocation.objects.filter(
            pk=body.validated_data["allocation"], line__order=order
        ).first()
        if alloc is None:
            raise exceptions.ValidationError({"allocation": ["该调拨单没有这条分配记录"]})
        movement = services.return_dispatch(
            order,
            actor=request.user,
            allocation=alloc,
            quantity=body.validated_data["quantity"],
            note=body.validated_data["note"],
        )
        return Response(StockMovementSerializer(movement).data, status=201)


class QuotaViewSet(ScopedWriteViewSet):
    """Reserve quotas (储备定额) per item per division; ``GET shortfall/`` is the shortfall report."""

    queryset = ReserveQuota.objects.select_related("division", "item")
    serializer_class = ReserveQuotaSerializer
    filterset_fields = ["item", "hazard", "basis"]
    required_permissions = perms("reservequota", shortfall="resources.view_reservequota")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = ReserveQuotaSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if (
            not AdministrativeDivision.objects.restrict(request.user, "view")
            .filter(pk=data["division"].pk)
            .exists()
        ):
            raise PermissionDenied("无权为该区划设定定额")
        quota = services.set_reserve_quota(actor=request.user, **data)
        return Response(ReserveQuotaSerializer(quota).data, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        quota = self.get_object()
        body = ReserveQuotaSerializer(quota, data=request.data, partial=kwargs.get("partial", False))
        body.is_valid(raise_exception=True)
        data = {k: v for k, v in body.validated_data.items() if k in {"basis", "quantity", "note"}}
        quota = services.set_reserve_quota(
            actor=request.user, division=quota.division, item=quota.item, hazard=quota.hazard, **data
        )
        return Response(ReserveQuotaSerializer(quota).data)

    @extend_schema(
        parameters=[OpenApiParameter("division", OpenApiTypes.STR, description="12-digit division code")],
        responses=QuotaShortfallSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def shortfall(self, request: Request) -> Response:
        division = None
        if request.query_params.get("division"):
            division = selectors.get_for(
                selectors.township_choices(request.user).order_by("-edition_year"),
                code=request.query_params["division"],
            )
        rows = selectors.shortfall(request.user, division=division)
        return Response(QuotaShortfallSerializer(shortfall_dicts(rows), many=True).data)


class ReachViewSet(viewsets.ViewSet):
    """What can reach township X: nearest depots with an item, ready teams with a skill, open shelters.

    Straight-line geodesic distance (WGS84) from the township seat.
    """

    required_permissions = {"list": "resources.view_depot"}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "division", OpenApiTypes.STR, required=True, description="12-digit division code"
            ),
            OpenApiParameter("item", OpenApiTypes.STR, description="item code"),
            OpenApiParameter("min_quantity", OpenApiTypes.NUMBER),
            OpenApiParameter("skill", OpenApiTypes.STR),
            OpenApiParameter("min_free", OpenApiTypes.INT),
            OpenApiParameter("limit", OpenApiTypes.INT),
        ],
        responses=ReachSerializer,
    )
    def list(self, request: Request) -> Response:
        params = request.query_params
        if not params.get("division"):
            raise exceptions.ValidationError({"division": ["必填"]})
        division = (
            selectors.township_choices(request.user)
            .filter(code=params["division"])
            .order_by("-edition_year")
            .first()
        )
        if division is None:
            raise exceptions.NotFound("未知区划")
        item = None
        if params.get("item"):
            item = selectors.supply_items_for(request.user).filter(code=params["item"]).first()
            if item is None:
                raise exceptions.ValidationError({"item": ["未知物资编码"]})
        try:
            min_quantity = Decimal(params.get("min_quantity") or "0")
            min_free = int(params.get("min_free") or 1)
            limit = int(params.get("limit") or 5)
            if limit < 1 or min_quantity < 0:
                raise ValueError
        except (ValueError, InvalidOperation):
            raise exceptions.ValidationError(
                {"non_field_errors": ["min_quantity/min_free/limit 须为非负数字"]}
            ) from None
        reach = selectors.reach_from(
            request.user,
            division,
            item=item,
            min_quantity=min_quantity,
            skill=params.get("skill") or None,
            min_free=min_free,
            limit=limit,
        )
        if reach is None:
            raise exceptions.ValidationError({"division": ["该区划没有驻地坐标"]})
        return Response(ReachSerializer(reach_dict(division, reach)).data)
