from django.apps import AppConfig


class RiskConfig(AppConfig):
    """Prevention: enterprise hazardous-chemical inventories (ledgers, GB 18218 to follow)."""

    name = "yingji.apps.risk"
    label = "risk"
    verbose_name = "风险防控"
