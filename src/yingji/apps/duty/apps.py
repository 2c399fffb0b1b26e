from django.apps import AppConfig


class DutyConfig(AppConfig):
    """Duty: rosters, shifts, handover, duty log (值班值守)."""

    name = "yingji.apps.duty"
    label = "duty"
    verbose_name = "值班值守"
