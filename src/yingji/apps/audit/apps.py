from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Generic change records (actor, time, request id, before/after)."""

    name = "yingji.apps.audit"
    label = "audit"
    verbose_name = "审计"
