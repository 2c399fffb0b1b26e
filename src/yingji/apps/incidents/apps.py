from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    """Incidents: intake, grading, report clocks, reports, timeline (信息接报)."""

    name = "yingji.apps.incidents"
    label = "incidents"
    verbose_name = "信息接报"
