from django.apps import AppConfig


class RiskConfig(AppConfig):
    """Prevention (双重预防): enterprise safety ledgers, GB 18218 major hazards, LEC/LS risk
    grading, hidden-hazard rectification. Huey finds ``tasks.py`` by autodiscovery."""

    name = "yingji.apps.risk"
    label = "risk"
    verbose_name = "风险防控"

    def ready(self) -> None:
        # Imported here: the import target needs the models, which are not ready at module load.
        from yingji.apps.risk import imports

        imports.register()
