"""API representations of resource registries (depots, teams, experts, shelters, equipment, members)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yingji.apps.directory.models import AdministrativeDivision, Organization
from yingji.apps.resources.models import (
    Depot,
    Equipment,
    Expert,
    RescueTeam,
    Shelter,
    TeamMember,
)


def inline_choice(choices: list[tuple[str, Any]], **kwargs: Any) -> serializers.ChoiceField:
    """A ChoiceField documented inline (no shared enum component, so no enum-name collisions)."""
    schema = {
        "type": "string",
        "enum": [value for value, _label in choices],
        "description": "; ".join(f"`{value}` {label}" for value, label in choices),
    }
    field_cls = extend_schema_field(schema)(type("InlineChoiceField", (serializers.ChoiceField,), {}))
    return field_cls(choices=choices, **kwargs)


_COMMON = [
    "id",
    "division_code",
    "organization",
    "address",
    "lon",
    "lat",
    "phone",
    "is_demo",
]


class DivisionCodeField(serializers.SlugRelatedField):
    """A division by its 12-digit code (newest edition)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="code", queryset=AdministrativeDivision.objects.all(), **kwargs)

    def to_internal_value(self, data: Any) -> AdministrativeDivision:
        obj = AdministrativeDivision.objects.filter(code=str(data)).order_by("-edition_year").first()
        if obj is None:
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data))
        return obj


class _Base(serializers.ModelSerializer):
    division_code = DivisionCodeField(source="division")
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )

    def validate_lon(self, value: float | None) -> float | None:
        if value is not None and not -180 <= value <= 180:
            raise serializers.ValidationError("经度须在 -180..180 之间")
        return value

    def validate_lat(self, value: float | None) -> float | None:
        if value is not None and not -90 <= value <= 90:
            raise serializers.ValidationError("纬度须在 -90..90 之间")
        return value


class DepotSerializer(_Base):
    class Meta:
        model = Depot
        fields = ["code", "name", "owner_kind", "floor_area_m2", *_COMMON]
        read_only_fields = ["is_demo"]
        validators: list[Any] = []


class RescueTeamSerializer(_Base):
    kind = inline_choice(RescueTeam.Kind.choices)
    readiness = inline_choice(RescueTeam.Readiness.choices, required=False)
    registered_members = serializers.IntegerField(read_only=True, source="members.count")

    class Meta:
        model = RescueTeam
        fields = [
            "name",
            "kind",
            "specialty",
            "skills",
            "member_count",
            "registered_members",
            "readiness",
            "contact_name",
            *_COMMON,
        ]
        read_only_fields = ["is_demo"]


class ExpertSerializer(_Base):
    class Meta:
        model = Expert
        fields = ["name", "specialty", "title", "available", "availability_note", *_COMMON]
        read_only_fields = ["is_demo"]


class ShelterSerializer(_Base):
    free_capacity = serializers.SerializerMethodField()
    kind = inline_choice(Shelter.Kind.choices)
    status = inline_choice(Shelter.Status.choices, read_only=True)

    class Meta:
        model = Shelter
        fields = [
            "code",
            "name",
            "kind",
            "capacity_persons",
            "area_m2",
            "status",
            "occupancy",
            "free_capacity",
            "facilities",
            "accessibility",
            *_COMMON,
        ]
        read_only_fields = ["is_demo", "status", "occupancy"]
        validators: list[Any] = []

    def get_free_capacity(self, obj: Shelter) -> int:
        """Capacity minus occupancy (persons, never negative)."""
        return max(obj.capacity_persons - obj.occupancy, 0)


class ShelterStatusSerializer(serializers.Serializer):
    """Open/close a shelter and record its occupancy (persons); at capacity it becomes ``full``."""

    status = inline_choice([c for c in Shelter.Status.choices if c[0] != Shelter.Status.FULL])
    occupancy = serializers.IntegerField(min_value=0, required=False)


class EquipmentSerializer(_Base):
    kind = inline_choice(Equipment.Kind.choices)
    status = inline_choice(Equipment.Status.choices, required=False)
    team = serializers.PrimaryKeyRelatedField(
        queryset=RescueTeam.objects.all(), required=False, allow_null=True
    )
    depot = serializers.PrimaryKeyRelatedField(queryset=Depot.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Equipment
        fields = ["code", "name", "kind", "model_spec", "quantity", "status", "team", "depot", *_COMMON]
        read_only_fields = ["is_demo"]
        validators: list[Any] = []


class TeamMemberSerializer(serializers.ModelSerializer):
    team = serializers.PrimaryKeyRelatedField(queryset=RescueTeam.objects.all())
    id_number = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=18)
    id_number_masked = serializers.CharField(source="masked_id", read_only=True)

    class Meta:
        model = TeamMember
        fields = [
            "id",
            "team",
            "name",
            "id_number",
            "id_number_masked",
            "sex",
            "birth_date",
            "phone",
            "position",
            "skills",
            "is_demo",
        ]
        read_only_fields = ["is_demo"]
        validators: list[Any] = []
