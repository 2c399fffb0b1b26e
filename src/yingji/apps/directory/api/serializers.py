"""API representations of divisions, organisations and hazard-history features."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from yingji.apps.directory.models import AdministrativeDivision, HazardHistoryFeature, Organization


class DivisionSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(read_only=True)

    class Meta:
        model = AdministrativeDivision
        fields = [
            "id",
            "code",
            "edition_year",
            "name",
            "level",
            "parent_code",
            "urban_rural_code",
            "population",
            "population_year",
            "population_source",
            "point_lon",
            "point_lat",
            "note",
        ]


class DivisionGeoSerializer(DivisionSerializer):
    class Meta(DivisionSerializer.Meta):
        fields = [*DivisionSerializer.Meta.fields, "boundary", "boundary_source"]


class OrganizationSerializer(serializers.ModelSerializer):
    division_code = serializers.SlugRelatedField(
        source="division", slug_field="code", queryset=AdministrativeDivision.objects.all()
    )

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "division_code",
            "uscc",
            "address",
            "phone",
            "lon",
            "lat",
            "is_demo",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["is_demo", "created_at", "updated_at"]
        validators: list[Any] = []

    def validate_lon(self, value: float | None) -> float | None:
        if value is not None and not -180 <= value <= 180:
            raise serializers.ValidationError("经度须在 -180..180 之间")
        return value

    def validate_lat(self, value: float | None) -> float | None:
        if value is not None and not -90 <= value <= 90:
            raise serializers.ValidationError("纬度须在 -90..90 之间")
        return value


class HazardFeatureSerializer(serializers.ModelSerializer):
    class Meta:
        model = HazardHistoryFeature
        fields = [
            "id",
            "layer",
            "source_key",
            "title",
            "occurred_on",
            "magnitude",
            "geometry",
            "properties",
            "source",
            "licence",
        ]
