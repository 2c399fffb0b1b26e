"""FilterSets shared by the API (and usable by the UI lists)."""

from __future__ import annotations

import django_filters

from yingji.apps.directory.models import AdministrativeDivision, Organization


class DivisionFilter(django_filters.FilterSet):
    parent_code = django_filters.CharFilter(field_name="parent_code")
    code_prefix = django_filters.CharFilter(field_name="code", lookup_expr="startswith")
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = AdministrativeDivision
        fields = ["level", "edition_year", "code"]


class OrganizationFilter(django_filters.FilterSet):
    division_code = django_filters.CharFilter(field_name="division__code")
    within = django_filters.CharFilter(
        field_name="division__code", lookup_expr="startswith", label="division code prefix"
    )
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Organization
        fields = ["kind", "is_demo"]
