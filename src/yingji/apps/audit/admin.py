"""Admin: change records are read-only; ``AuditedModelAdmin`` audits admin edits elsewhere."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from yingji.apps.audit.models import ChangeRecord
from yingji.apps.audit.services import record_change, snapshot


class AuditedModelAdmin(admin.ModelAdmin):
    """ModelAdmin whose saves and deletes write ``ChangeRecord`` rows in the same transaction."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = None
            if change and obj.pk is not None:
                original = type(obj).objects.filter(pk=obj.pk).first()
                before = snapshot(original) if original is not None else None
            super().save_model(request, obj, form, change)
            record_change(obj, "update" if change else "create", before, actor=request.user)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            before = snapshot(obj)
            record_change(obj, "delete", before, actor=request.user)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                record_change(obj, "delete", snapshot(obj), actor=request.user)
            super().delete_queryset(request, queryset)


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin):
    """Read-only view of the audit trail."""

    list_display = ("time", "actor_label", "action", "app_label", "model_name", "object_repr", "request_id")
    list_filter = ("action", "app_label", "model_name")
    search_fields = ("object_repr", "actor_label", "request_id", "object_id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
