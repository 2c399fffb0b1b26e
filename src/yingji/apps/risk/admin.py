from django.contrib import admin

from yingji.apps.audit.admin import AuditedModelAdmin
from yingji.apps.risk.models import ChemicalInventory


@admin.register(ChemicalInventory)
class ChemicalInventoryAdmin(AuditedModelAdmin):
    list_display = ("enterprise", "unit_name", "substance_name", "cas", "quantity_t", "is_demo")
    list_filter = ("is_demo",)
    search_fields = ("substance_name", "cas", "enterprise__name")
