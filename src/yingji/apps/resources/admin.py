from django.contrib import admin

from yingji.apps.audit.admin import AuditedModelAdmin
from yingji.apps.resources.models import Depot, Expert, RescueTeam, Shelter


@admin.register(Depot)
class DepotAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "owner_kind", "division", "is_demo")
    list_filter = ("owner_kind", "is_demo")
    search_fields = ("code", "name")


@admin.register(RescueTeam)
class RescueTeamAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "specialty", "member_count", "readiness", "is_demo")
    list_filter = ("kind", "readiness", "is_demo")
    search_fields = ("name",)


@admin.register(Expert)
class ExpertAdmin(AuditedModelAdmin):
    list_display = ("name", "specialty", "title", "available", "is_demo")
    list_filter = ("specialty", "available", "is_demo")
    search_fields = ("name",)


@admin.register(Shelter)
class ShelterAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "kind", "capacity_persons", "status", "occupancy", "is_demo")
    list_filter = ("kind", "status", "is_demo")
    search_fields = ("code", "name")
