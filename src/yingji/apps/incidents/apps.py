from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_incident_types(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """After migrate (and test flushes): make sure the incident type table is loaded (idempotent)."""
    from yingji.apps.incidents.services import sync_incident_types

    if using == "default":
        sync_incident_types()


class IncidentsConfig(AppConfig):
    """Incidents: intake, grading, report clocks, reports, timeline (信息接报)."""

    name = "yingji.apps.incidents"
    label = "incidents"
    verbose_name = "信息接报"

    def ready(self) -> None:
        """Register the handover providers, the warnings-assessment map layer and the type-table loader."""
        from yingji.apps.duty.handover_items import register_provider
        from yingji.apps.incidents import providers
        from yingji.apps.incidents.selectors import incident_map_layer
        from yingji.apps.warnings.selectors import register_assessment_layer

        register_provider("incidents.open_incidents", providers.open_incident_items)
        register_assessment_layer(
            lambda user: incident_map_layer(user) if user.has_perm("incidents.view_incident") else None
        )
        register_provider("incidents.overdue_reports", providers.overdue_report_items)
        post_migrate.connect(_load_incident_types, sender=self, dispatch_uid="incidents.load_types")
