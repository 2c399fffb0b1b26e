"""Admin: the outbox (read-mostly), in-app notifications and desk events."""

from __future__ import annotations

from django.contrib import admin

from yingji.apps.audit.admin import AuditedModelAdmin
from yingji.apps.notifications.models import DeskEvent, OutboxMessage, UserNotification


@admin.register(OutboxMessage)
class OutboxMessageAdmin(AuditedModelAdmin):
    list_display = ["id", "channel", "recipient", "address", "subject", "status", "attempts", "created_at"]
    list_filter = ["channel", "status"]
    search_fields = ["subject", "address", "dedupe_key"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(UserNotification)
class UserNotificationAdmin(AuditedModelAdmin):
    list_display = ["id", "user", "title", "severity", "created_at", "read_at"]
    list_filter = ["severity"]
    readonly_fields = [f.name for f in UserNotification._meta.fields]


@admin.register(DeskEvent)
class DeskEventAdmin(AuditedModelAdmin):
    list_display = ["id", "kind", "title", "severity", "division", "created_at"]
    list_filter = ["kind", "severity"]
    readonly_fields = [f.name for f in DeskEvent._meta.fields]
