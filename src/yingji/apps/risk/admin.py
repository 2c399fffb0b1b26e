"""Admin for the prevention app; every edit is audited (``AuditedModelAdmin``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yingji.apps.audit.admin import AuditedModelAdmin
from yingji.apps.risk.models import (
    ChemicalInventory,
    EnterpriseProfile,
    HiddenHazard,
    Licence,
    ProductionUnit,
    RiskPoint,
    RiskSettings,
    SafetyManager,
    SpecialEquipment,
)


@admin.register(ChemicalInventory)
class ChemicalInventoryAdmin(AuditedModelAdmin):
    list_display = ("enterprise", "unit_name", "substance_name", "cas", "quantity_t", "table1_seq", "is_demo")
    list_filter = ("is_demo",)
    search_fields = ("substance_name", "cas", "enterprise__name")
    readonly_fields = ("table1_seq", "match_note")


@admin.register(RiskSettings)
class RiskSettingsAdmin(AuditedModelAdmin):
    """The county's grading settings: one row (pk=1), never deleted."""

    list_display = ("lec_boundary_rule", "ls_variant", "escalate_after_days", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not RiskSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.pk = 1
        super().save_model(request, obj, form, change)


@admin.register(EnterpriseProfile)
class EnterpriseProfileAdmin(AuditedModelAdmin):
    list_display = ("enterprise", "industry_code", "legal_representative", "employees", "is_demo")
    search_fields = ("enterprise__name", "industry_code")


@admin.register(ProductionUnit)
class ProductionUnitAdmin(AuditedModelAdmin):
    """Assessment fields are computed by the services (read-only here)."""

    list_display = ("enterprise", "name", "kind", "is_major_hazard", "major_hazard_level", "is_demo")
    list_filter = ("is_major_hazard", "major_hazard_level", "is_demo")
    readonly_fields = (
        "is_major_hazard",
        "identification_s",
        "grading_r",
        "major_hazard_level",
        "assessment",
        "assessment_error",
        "assessed_at",
    )


@admin.register(RiskPoint)
class RiskPointAdmin(AuditedModelAdmin):
    list_display = ("enterprise", "name", "method", "grade", "colour", "residual_colour", "is_demo")
    list_filter = ("grade", "method")
    readonly_fields = ("result", "grade", "colour", "residual_result", "residual_grade", "residual_colour")


@admin.register(HiddenHazard)
class HiddenHazardAdmin(AuditedModelAdmin):
    """Read-only in admin: the lifecycle goes through the services (pages/API)."""

    list_display = ("enterprise", "title", "grade", "status", "deadline", "supervision_level", "is_demo")
    list_filter = ("status", "grade", "supervision_level")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.register(SafetyManager, AuditedModelAdmin)
admin.site.register(Licence, AuditedModelAdmin)
admin.site.register(SpecialEquipment, AuditedModelAdmin)
