from django.apps import AppConfig


class WarningsConfig(AppConfig):
    """Public warnings: CAP ingest, assessment, approval, release, statistics (预警发布)."""

    name = "yingji.apps.warnings"
    label = "warnings"
    verbose_name = "预警发布"
