from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Monitoring points, readings and alarms (监测预警)."""

    name = "yingji.apps.monitoring"
    label = "monitoring"
    verbose_name = "监测预警"

    def ready(self) -> None:
        """Register the unacknowledged-alarm provider with the duty handover and the
        ``monitoring-points`` Excel import target."""
        from yingji.apps.monitoring import imports, integrations, selectors

        integrations.register_handover(selectors.unacknowledged_alarm_items)
        imports.register()
