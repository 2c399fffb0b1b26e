"""Django admin for reference data (edits are audited)."""

from django.contrib import admin

from yingji.apps.audit.admin import AuditedModelAdmin
from yingji.apps.directory.models import AdministrativeDivision, HazardHistoryFeature, Organization


@admin.register(AdministrativeDivision)
class AdministrativeDivisionAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "level", "parent_code", "population", "population_year", "edition_year")
    list_filter = ("level", "edition_year")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


@admin.register(Organization)
class OrganizationAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "division", "is_demo")
    list_filter = ("kind", "is_demo")
    search_fields = ("name", "uscc")
    raw_id_fields = ("division", "parent")


@admin.register(HazardHistoryFeature)
class HazardHistoryFeatureAdmin(AuditedModelAdmin):
    list_display = ("layer", "title", "occurred_on", "magnitude", "source")
    list_filter = ("layer", "source")
    search_fields = ("title", "source_key")
