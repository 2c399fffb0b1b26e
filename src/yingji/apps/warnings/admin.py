"""Django admin for warning configuration (sources, rules, templates, recipients); edits audited."""

from django.contrib import admin

from yingji.apps.audit.admin import AuditedModelAdmin
from yingji.apps.warnings.models import (
    FeedSource,
    Recipient,
    TriggerRule,
    UpstreamAlert,
    Warning,
    WarningTemplate,
)


@admin.register(FeedSource)
class FeedSourceAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "url", "folder", "enabled", "last_polled_at", "last_status")
    list_filter = ("kind", "enabled")


@admin.register(TriggerRule)
class TriggerRuleAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "event_contains", "min_severity", "template", "enabled")
    list_filter = ("kind", "enabled")


@admin.register(WarningTemplate)
class WarningTemplateAdmin(AuditedModelAdmin):
    list_display = ("key", "name", "event_zh", "default_severity", "expires_hours")


@admin.register(Recipient)
class RecipientAdmin(AuditedModelAdmin):
    list_display = ("name", "channel", "address", "division", "active", "is_demo")
    list_filter = ("channel", "active", "is_demo")
    search_fields = ("name", "address")
    raw_id_fields = ("division",)


@admin.register(UpstreamAlert)
class UpstreamAlertAdmin(AuditedModelAdmin):
    """Read-only: upstream messages are written by ingest only."""

    list_display = ("identity", "state", "intersects_county", "received_at")
    list_filter = ("state", "intersects_county")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Warning)
class WarningAdmin(AuditedModelAdmin):
    """Read-only: warnings change through the workflow (two-person rule), never in the admin."""

    list_display = ("headline", "msg_type", "state", "severity", "identifier", "sent")
    list_filter = ("state", "msg_type", "severity")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
