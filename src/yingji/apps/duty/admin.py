"""Django admin for duty records (edits audited). Holidays are maintained here by administrators."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yingji.apps.audit.admin import AuditedModelAdmin
from yingji.apps.duty.models import (
    DutyLogEntry,
    DutyRoster,
    HandoverItemAck,
    Holiday,
    Shift,
    ShiftHandover,
    ShiftSwap,
)


@admin.register(DutyRoster)
class DutyRosterAdmin(AuditedModelAdmin):
    list_display = ("name", "division", "officers_required", "is_demo")
    list_filter = ("is_demo",)
    search_fields = ("name",)
    raw_id_fields = ("division", "organization")


@admin.register(Shift)
class ShiftAdmin(AuditedModelAdmin):
    list_display = ("roster", "starts_at", "ends_at", "label", "leader", "version", "is_demo")
    list_filter = ("roster", "is_demo")
    date_hierarchy = "starts_at"
    raw_id_fields = ("leader",)
    filter_horizontal = ("officers",)
    readonly_fields = ("version",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            obj.version += 1  # an admin edit is a change other editors must notice
        super().save_model(request, obj, form, change)


@admin.register(ShiftSwap)
class ShiftSwapAdmin(AuditedModelAdmin):
    list_display = ("kind", "shift", "original_person", "replacement", "status", "requested_by", "decided_by")
    list_filter = ("status", "kind")
    raw_id_fields = (
        "shift",
        "counterpart_shift",
        "original_person",
        "replacement",
        "requested_by",
        "decided_by",
    )


@admin.register(Holiday)
class HolidayAdmin(AuditedModelAdmin):
    list_display = ("day", "name", "kind", "source")
    list_filter = ("kind",)
    search_fields = ("name", "source")
    date_hierarchy = "day"


class HandoverItemInline(admin.TabularInline):
    model = HandoverItemAck
    extra = 0
    readonly_fields = (
        "position",
        "kind",
        "ref",
        "title",
        "url",
        "severity",
        "acknowledged_at",
        "acknowledged_by",
    )
    can_delete = False


@admin.register(ShiftHandover)
class ShiftHandoverAdmin(AuditedModelAdmin):
    list_display = ("created_at", "outgoing_officer", "incoming_officer", "status", "is_demo")
    list_filter = ("status", "is_demo")
    raw_id_fields = ("division", "from_shift", "to_shift", "outgoing_officer", "incoming_officer")
    inlines = [HandoverItemInline]


@admin.register(DutyLogEntry)
class DutyLogEntryAdmin(AuditedModelAdmin):
    list_display = ("occurred_at", "kind", "caller_name", "caller_number", "author", "division", "is_demo")
    list_filter = ("kind", "is_demo")
    search_fields = ("summary", "caller_name", "caller_number", "instructed_by")
    date_hierarchy = "occurred_at"
    raw_id_fields = ("division", "shift", "author")
