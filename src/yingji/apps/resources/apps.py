from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    """Emergency resources: depots, rescue teams, experts, shelters."""

    name = "yingji.apps.resources"
    label = "resources"
    verbose_name = "应急资源"
