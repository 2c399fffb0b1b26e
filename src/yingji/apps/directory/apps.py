from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """Administrative divisions, organisations and hazard-history reference layers."""

    name = "yingji.apps.directory"
    label = "directory"
    verbose_name = "基础目录"

    def ready(self) -> None:
        """Register the ``enterprises`` import target (models are loaded now)."""
        from yingji.apps.directory import imports

        imports.register()
