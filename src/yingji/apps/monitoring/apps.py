from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Monitoring points, readings and alarms (监测预警)."""

    name = "yingji.apps.monitoring"
    label = "monitoring"
    verbose_name = "监测预警"
