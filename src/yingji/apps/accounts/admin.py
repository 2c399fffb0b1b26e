from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from yingji.apps.accounts.models import Grant, User
from yingji.apps.audit.admin import AuditedModelAdmin


class GrantInline(admin.TabularInline):
    model = Grant
    extra = 0
    raw_id_fields = ("division", "organization")


@admin.register(User)
class UserAdmin(DjangoUserAdmin, AuditedModelAdmin):
    list_display = ("username", "display_name", "is_active", "is_superuser", "is_demo")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("yingji", {"fields": ("display_name", "phone", "is_demo")}),
    )
    inlines = [GrantInline]
