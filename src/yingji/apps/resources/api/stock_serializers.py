"""API representations of the catalogue, stock lots, the ledger, dispatch orders and quotas."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from yingji.apps.resources.api.serializers import DivisionCodeField, inline_choice
from yingji.apps.resources.models import (
    Depot,
    DispatchAllocation,
    DispatchLine,
    DispatchOrder,
    ReserveQuota,
    StockLot,
    StockMovement,
    SupplyClass,
    SupplyItem,
)

# No depot holds 10^9 units of anything; the cap also keeps values far from the column's limits.
MAX_QUANTITY = Decimal("1000000000")


def qty(**kwargs: Any) -> serializers.DecimalField:
    """A quantity field: exact decimal, 18 digits, 4 decimal places, at most 10^9 units."""
    kwargs.setdefault("max_value", MAX_QUANTITY)
    return serializers.DecimalField(max_digits=18, decimal_places=4, **kwargs)


class SupplyClassSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupplyClass
        fields = ["id", "code", "name", "source", "provisional"]


class SupplyItemSerializer(serializers.ModelSerializer):
    supply_class = serializers.SlugRelatedField(slug_field="code", queryset=SupplyClass.objects.all())

    class Meta:
        model = SupplyItem
        fields = [
            "id",
            "code",
            "name",
            "supply_class",
            "unit",
            "specification",
            "shelf_life_days",
            "storage_requirements",
            "is_demo",
        ]
        read_only_fields = ["is_demo"]
        validators: list[Any] = []


class StockLotSerializer(serializers.ModelSerializer):
    depot_code = serializers.CharField(source="depot.code", read_only=True)
    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    unit = serializers.CharField(source="item.unit", read_only=True)
    quantity_available = qty(read_only=True)

    class Meta:
        model = StockLot
        fields = [
            "id",
            "depot",
            "depot_code",
            "item",
            "item_code",
            "item_name",
            "unit",
            "batch",
            "production_date",
            "expiry_date",
            "location",
            "quantity_on_hand",
            "quantity_reserved",
            "quantity_available",
            "is_demo",
        ]


class StockMovementSerializer(serializers.ModelSerializer):
    kind = inline_choice(StockMovement.Kind.choices, read_only=True)
    actor = serializers.CharField(source="actor.username", read_only=True, default="")
    dispatch_order = serializers.CharField(source="dispatch_order.code", read_only=True, default="")

    class Meta:
        model = StockMovement
        fields = [
            "id",
            "lot",
            "depot",
            "item",
            "kind",
            "quantity",
            "balance_after",
            "occurred_at",
            "actor",
            "dispatch_order",
            "reference",
            "note",
        ]


class StockReceiveSerializer(serializers.Serializer):
    """Receive stock into a depot (a lot is keyed by depot, item and batch)."""

    depot = serializers.SlugRelatedField(slug_field="code", queryset=Depot.objects.all())
    item = serializers.SlugRelatedField(slug_field="code", queryset=SupplyItem.objects.all())
    quantity = qty()
    batch = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")
    production_date = serializers.DateField(required=False, allow_null=True, default=None)
    expiry_date = serializers.DateField(required=False, allow_null=True, default=None)
    location = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")
    reference = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class StockIssueSerializer(serializers.Serializer):
    """Issue from a lot: quantity (> 0) and an optional document number and note."""

    quantity = qty()
    reference = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class StockWriteOffSerializer(serializers.Serializer):
    quantity = qty()
    reason = serializers.CharField(max_length=200)


class StockCountSerializer(serializers.Serializer):
    counted_quantity = qty()
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class StockTransferSerializer(serializers.Serializer):
    to_depot = serializers.SlugRelatedField(slug_field="code", queryset=Depot.objects.all())
    quantity = qty()
    location = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class StockBalanceSerializer(serializers.Serializer):
    depot_id = serializers.IntegerField()
    depot_code = serializers.CharField()
    depot_name = serializers.CharField()
    item_id = serializers.IntegerField()
    item_code = serializers.CharField()
    item_name = serializers.CharField()
    unit = serializers.CharField()
    on_hand = qty()
    reserved = qty()
    available = qty()
    lots = serializers.IntegerField()


class StockExpirySerializer(serializers.Serializer):
    lot = StockLotSerializer()
    bucket = serializers.CharField()
    days_left = serializers.IntegerField()


class DispatchAllocationSerializer(serializers.ModelSerializer):
    depot_code = serializers.CharField(source="lot.depot.code", read_only=True)
    batch = serializers.CharField(source="lot.batch", read_only=True)

    class Meta:
        model = DispatchAllocation
        fields = [
            "id",
            "lot",
            "depot_code",
            "batch",
            "quantity_reserved",
            "quantity_issued",
            "quantity_received",
            "quantity_returned",
        ]


class DispatchLineSerializer(serializers.ModelSerializer):
    item = serializers.SlugRelatedField(slug_field="code", queryset=SupplyItem.objects.all())
    allocations = DispatchAllocationSerializer(many=True, read_only=True)

    class Meta:
        model = DispatchLine
        fields = ["id", "item", "quantity_requested", "quantity_approved", "allocations"]
        read_only_fields = ["quantity_approved"]


class DispatchOrderSerializer(serializers.ModelSerializer):
    status = inline_choice(DispatchOrder.Status.choices, read_only=True)
    division_code = DivisionCodeField(source="division")
    destination_depot = serializers.SlugRelatedField(
        slug_field="code", queryset=Depot.objects.all(), required=False, allow_null=True
    )
    lines = DispatchLineSerializer(many=True)

    class Meta:
        model = DispatchOrder
        fields = [
            "id",
            "code",
            "division_code",
            "destination",
            "destination_depot",
            "purpose",
            "status",
            "requested_at",
            "approved_at",
            "issued_at",
            "received_at",
            "note",
            "lines",
            "is_demo",
        ]
        read_only_fields = [
            "code",
            "status",
            "requested_at",
            "approved_at",
            "issued_at",
            "received_at",
            "is_demo",
        ]


class DispatchApproveSerializer(serializers.Serializer):
    """Approve: optional source depots (codes) and per-line quantities below the request."""

    source_depots = serializers.SlugRelatedField(
        slug_field="code", queryset=Depot.objects.all(), many=True, required=False
    )
    quantities = serializers.DictField(child=qty(), required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class DispatchReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class DispatchIssueSerializer(serializers.Serializer):
    depot = serializers.SlugRelatedField(slug_field="code", queryset=Depot.objects.all(), required=False)


class DispatchReceiveSerializer(serializers.Serializer):
    received = serializers.DictField(child=qty(), required=False)


class DispatchReturnSerializer(serializers.Serializer):
    allocation = serializers.IntegerField()
    quantity = qty()
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class ReserveQuotaSerializer(serializers.ModelSerializer):
    hazard = inline_choice(ReserveQuota.Hazard.choices, required=False, allow_blank=True)
    basis = inline_choice(ReserveQuota.Basis.choices)
    division_code = DivisionCodeField(source="division")
    item = serializers.SlugRelatedField(slug_field="code", queryset=SupplyItem.objects.all())

    class Meta:
        model = ReserveQuota
        fields = ["id", "division_code", "item", "hazard", "basis", "quantity", "note", "is_demo"]
        read_only_fields = ["is_demo"]
        validators: list[Any] = []


class QuotaShortfallSerializer(serializers.Serializer):
    division_code = serializers.CharField()
    division_name = serializers.CharField()
    item_code = serializers.CharField()
    item_name = serializers.CharField()
    unit = serializers.CharField()
    hazard = serializers.CharField()
    population = serializers.IntegerField(allow_null=True)
    required = qty()  # type: ignore[assignment]  # DRF pops declared fields from the class
    held = qty()
    shortfall = qty()
    coverage = serializers.DecimalField(max_digits=12, decimal_places=4, allow_null=True)


class ReachCandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    distance_m = serializers.FloatField(allow_null=True)
    detail = serializers.DictField()


class ReachSerializer(serializers.Serializer):
    division_code = serializers.CharField()
    origin = serializers.ListField(child=serializers.FloatField())
    depots = ReachCandidateSerializer(many=True)
    teams = ReachCandidateSerializer(many=True)
    shelters = ReachCandidateSerializer(many=True)
