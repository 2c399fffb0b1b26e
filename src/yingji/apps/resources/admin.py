"""Admin of the resources app: registries editable (audited); stock, ledger and orders read-only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yingji.apps.audit.admin import AuditedModelAdmin
from yingji.apps.resources.models import (
    Depot,
    DispatchOrder,
    Equipment,
    Expert,
    RescueTeam,
    ReserveQuota,
    Shelter,
    StockLot,
    StockMovement,
    SupplyClass,
    SupplyItem,
    TeamMember,
)


@admin.register(Depot)
class DepotAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "owner_kind", "division", "is_demo")
    list_filter = ("owner_kind", "is_demo")
    search_fields = ("code", "name")


@admin.register(RescueTeam)
class RescueTeamAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "specialty", "member_count", "readiness", "is_demo")
    list_filter = ("kind", "readiness", "is_demo")
    search_fields = ("name",)


@admin.register(Expert)
class ExpertAdmin(AuditedModelAdmin):
    list_display = ("name", "specialty", "title", "available", "is_demo")
    list_filter = ("specialty", "available", "is_demo")
    search_fields = ("name",)


@admin.register(Shelter)
class ShelterAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "kind", "capacity_persons", "status", "occupancy", "is_demo")
    list_filter = ("kind", "status", "is_demo")
    search_fields = ("code", "name")


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Ledger-derived records: visible in the admin, changed only through the services."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SupplyClass)
class SupplyClassAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "provisional")


@admin.register(SupplyItem)
class SupplyItemAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "supply_class", "unit", "shelf_life_days", "is_demo")
    list_filter = ("supply_class", "is_demo")
    search_fields = ("code", "name")


@admin.register(StockLot)
class StockLotAdmin(_ReadOnlyAdmin):
    list_display = ("depot", "item", "batch", "expiry_date", "quantity_on_hand", "quantity_reserved")
    list_filter = ("depot",)
    search_fields = ("batch", "item__name", "depot__name")


@admin.register(StockMovement)
class StockMovementAdmin(_ReadOnlyAdmin):
    list_display = ("occurred_at", "depot", "item", "kind", "quantity", "balance_after", "reference")
    list_filter = ("kind", "depot")


@admin.register(DispatchOrder)
class DispatchOrderAdmin(_ReadOnlyAdmin):
    list_display = ("code", "division", "destination", "status", "requested_at")
    list_filter = ("status",)


@admin.register(ReserveQuota)
class ReserveQuotaAdmin(AuditedModelAdmin):
    list_display = ("division", "item", "hazard", "basis", "quantity", "is_demo")
    list_filter = ("basis", "hazard")


@admin.register(TeamMember)
class TeamMemberAdmin(AuditedModelAdmin):
    list_display = ("name", "team", "position", "skills", "is_demo")
    search_fields = ("name",)
    exclude = ("id_number",)


@admin.register(Equipment)
class EquipmentAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "kind", "quantity", "status", "team", "depot", "is_demo")
    list_filter = ("kind", "status")
