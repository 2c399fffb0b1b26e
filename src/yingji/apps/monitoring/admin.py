"""Django admin of the monitoring registry (edits audited); alarms and readings are read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yingji.apps.audit.admin import AuditedModelAdmin
from yingji.apps.monitoring.models import Alarm, Device, Gateway, MaintenanceWindow, MonitoringPoint


@admin.register(MonitoringPoint)
class MonitoringPointAdmin(AuditedModelAdmin):
    list_display = (
        "code",
        "name",
        "organization",
        "quantity",
        "unit",
        "h",
        "hh",
        "out_of_service",
        "is_demo",
    )
    list_filter = ("quantity", "site_kind", "out_of_service", "is_demo")
    search_fields = ("code", "name", "site_name")
    raw_id_fields = ("organization", "device", "gateway")


@admin.register(Gateway)
class GatewayAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "organization", "token_prefix", "is_active", "last_seen_at")
    search_fields = ("code", "name")
    raw_id_fields = ("organization",)
    readonly_fields = ("token_prefix", "last_seen_at")


@admin.register(Device)
class DeviceAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "organization", "gateway", "model_name")
    search_fields = ("code", "name", "serial_number")
    raw_id_fields = ("organization", "gateway")


@admin.register(MaintenanceWindow)
class MaintenanceWindowAdmin(AuditedModelAdmin):
    list_display = ("organization", "point", "gateway", "starts_at", "ends_at", "reason")
    raw_id_fields = ("organization", "point", "gateway")


@admin.register(Alarm)
class AlarmAdmin(admin.ModelAdmin):
    """Read-only: the lifecycle goes through the services (pages and API)."""

    list_display = ("point", "kind", "level", "state", "priority", "raised_at", "active")
    list_filter = ("state", "kind", "priority")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
