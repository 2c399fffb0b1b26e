from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    """Emergency resources: depots, rescue teams, experts, shelters."""

    name = "yingji.apps.resources"
    label = "resources"
    verbose_name = "应急资源"

    def ready(self) -> None:
        """Register the import targets of every registry (``resources.imports``); models are loaded now."""
        from yingji.apps.resources import imports

        imports.register()
