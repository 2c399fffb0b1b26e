from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared framework: restricted querysets, request ids, API and view bases."""

    name = "yingji.apps.core"
    label = "core"
    verbose_name = "核心"
