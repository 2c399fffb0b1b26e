from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """Read-only views over other apps: overview and the map (一张图)."""

    name = "yingji.apps.dashboards"
    label = "dashboards"
    verbose_name = "总览与一张图"
