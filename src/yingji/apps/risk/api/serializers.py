"""API representations of the prevention app (writes go through services, never ``save()``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yingji.apps.directory.models import Organization
from yingji.apps.risk import selectors
from yingji.apps.risk.models import (
    ChemicalInventory,
    EnterpriseProfile,
    HazardGrade,
    HiddenHazard,
    HiddenHazardEvent,
    HiddenHazardPhoto,
    Licence,
    PhotoStage,
    ProductionUnit,
    RiskMethod,
    RiskPoint,
    SafetyManager,
    SpecialEquipment,
)


class EnterpriseField(serializers.PrimaryKeyRelatedField):
    """An enterprise the requesting user can see (others read as "does not exist")."""

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return selectors.enterprises_for(user) if user is not None else Organization.objects.none()


class UnitField(serializers.PrimaryKeyRelatedField):
    """A production/storage unit the requesting user can see."""

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return selectors.units_for(user) if user is not None else ProductionUnit.objects.none()


class OrganizationAttrField(serializers.Field):
    """A registry field kept on the enterprise ``Organization`` (read from it, written flat)."""

    def __init__(self, attr: str, inner: serializers.Field, **kwargs: Any) -> None:
        self.attr, self.inner = attr, inner
        super().__init__(source="*", required=False, **kwargs)

    def to_representation(self, value: Any) -> Any:
        return getattr(value.enterprise, self.attr)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if data in (None, "") and self.attr in ("lon", "lat"):
            return {self.attr: None}
        return {self.attr: self.inner.run_validation(data)}


@extend_schema_field(OpenApiTypes.STR)
class OrganizationTextField(OrganizationAttrField):
    """Text registry field (USCC, address)."""


@extend_schema_field(OpenApiTypes.DOUBLE)
class OrganizationCoordinateField(OrganizationAttrField):
    """WGS84 coordinate (decimal degrees) or null."""


class EnterpriseProfileSerializer(serializers.ModelSerializer):
    """Ledger header plus the registry fields kept on the organisation (USCC, address, location)."""

    enterprise = EnterpriseField()
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    uscc = OrganizationTextField("uscc", serializers.CharField(allow_blank=True, max_length=30))
    address = OrganizationTextField("address", serializers.CharField(allow_blank=True, max_length=200))
    lon = OrganizationCoordinateField("lon", serializers.FloatField(), allow_null=True)
    lat = OrganizationCoordinateField("lat", serializers.FloatField(), allow_null=True)

    class Meta:
        model = EnterpriseProfile
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "uscc",
            "address",
            "lon",
            "lat",
            "industry_code",
            "industry_name",
            "legal_representative",
            "legal_representative_phone",
            "employees",
            "is_demo",
            "updated_at",
        ]
        validators: list[Any] = []

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not selectors.can_see_contacts(request.user, instance.enterprise):
            data["legal_representative_phone"] = None
        return data


class SafetyManagerSerializer(serializers.ModelSerializer):
    """Safety manager; ``phone`` and ``certificate_no`` are null for users who may not see contacts."""

    enterprise = EnterpriseField()

    class Meta:
        model = SafetyManager
        fields = ["id", "enterprise", "name", "post", "phone", "certificate_no", "is_demo"]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not selectors.can_see_contacts(request.user, instance.enterprise):
            data["phone"] = None
            data["certificate_no"] = None
        return data


class LicenceSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseField()
    status = serializers.SerializerMethodField()

    class Meta:
        model = Licence
        fields = [
            "id",
            "enterprise",
            "kind",
            "number",
            "issuer",
            "issued_on",
            "valid_until",
            "status",
            "is_demo",
        ]

    def get_status(self, obj: Licence) -> str:
        """``valid``, ``expiring`` (≤ 90 days) or ``expired``."""
        return obj.status()


class SpecialEquipmentSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseField()
    unit = UnitField(required=False, allow_null=True)

    class Meta:
        model = SpecialEquipment
        fields = [
            "id",
            "enterprise",
            "unit",
            "kind",
            "name",
            "registration_no",
            "next_inspection_due",
            "is_demo",
        ]


class ProductionUnitSerializer(serializers.ModelSerializer):
    """A unit with its GB 18218-2018 assessment (read-only, recomputed by the server)."""

    enterprise = EnterpriseField()
    level_zh = serializers.CharField(read_only=True)
    colour = serializers.CharField(read_only=True, allow_null=True)
    monitoring_priority = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = ProductionUnit
        fields = [
            "id",
            "enterprise",
            "name",
            "kind",
            "description",
            "exposed_population",
            "exposed_population_source",
            "exposed_population_date",
            "is_major_hazard",
            "identification_s",
            "grading_r",
            "major_hazard_level",
            "level_zh",
            "colour",
            "monitoring_priority",
            "assessment",
            "assessment_error",
            "assessed_at",
            "is_demo",
        ]
        read_only_fields = [
            "is_major_hazard",
            "identification_s",
            "grading_r",
            "major_hazard_level",
            "assessment",
            "assessment_error",
            "assessed_at",
        ]
        validators: list[Any] = []


class ChemicalInventorySerializer(serializers.ModelSerializer):
    """Inventory line; give ``unit`` (id) or, for compatibility, ``unit_name``."""

    enterprise = EnterpriseField()
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    unit = UnitField(required=False)
    unit_name = serializers.CharField(required=False, allow_blank=True, max_length=64)

    class Meta:
        model = ChemicalInventory
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "unit",
            "unit_name",
            "substance_name",
            "cas",
            "hazard_class",
            "quantity_t",
            "table1_seq",
            "match_note",
            "is_demo",
            "updated_at",
        ]
        read_only_fields = ["table1_seq", "match_note"]
        validators: list[Any] = []


def _factor() -> serializers.DecimalField:
    """An optional LEC/LS factor (decimal text, exact)."""
    return serializers.DecimalField(
        write_only=True, required=False, allow_null=True, max_digits=6, decimal_places=2
    )


class RiskPointSerializer(serializers.ModelSerializer):
    """Risk point; write factors ``L``/``E``/``C`` (LEC) or ``L``/``S`` (LS);
    residual risk after controls with ``residual_L`` etc."""

    enterprise = EnterpriseField()
    unit = UnitField(required=False, allow_null=True)
    method = serializers.ChoiceField(choices=RiskMethod.choices)
    L = _factor()
    E = _factor()
    C = _factor()
    S = _factor()
    residual_L = _factor()
    residual_E = _factor()
    residual_C = _factor()
    residual_S = _factor()

    class Meta:
        model = RiskPoint
        fields = [
            "id",
            "enterprise",
            "unit",
            "name",
            "hazards",
            "controls",
            "responsible_person",
            "method",
            "L",
            "E",
            "C",
            "S",
            "residual_L",
            "residual_E",
            "residual_C",
            "residual_S",
            "inputs",
            "result",
            "grade",
            "colour",
            "residual_inputs",
            "residual_result",
            "residual_grade",
            "residual_colour",
            "is_demo",
        ]
        read_only_fields = [
            "inputs",
            "result",
            "grade",
            "colour",
            "residual_inputs",
            "residual_result",
            "residual_grade",
            "residual_colour",
        ]
        validators: list[Any] = []


def split_factors(data: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Pop ``L/E/C/S`` and ``residual_*`` from validated data: ``(factors or None, residual or None)``."""
    factors: dict[str, Any] = {k: data.pop(k) for k in ("L", "E", "C", "S") if k in data}
    residual = {
        k[9:]: data.pop(k) for k in ("residual_L", "residual_E", "residual_C", "residual_S") if k in data
    }
    return (factors or None), (residual or None)


class HiddenHazardPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = HiddenHazardPhoto
        fields = ["id", "stage", "content_type", "uploaded_at", "url"]

    def get_url(self, obj: HiddenHazardPhoto) -> str:
        """Restricted download address (``risk:hazard-photo``)."""
        return f"/risk/hazards/photos/{obj.pk}/"


class HiddenHazardEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = HiddenHazardEvent
        fields = ["id", "action", "from_status", "to_status", "actor_label", "note", "at"]


class HiddenHazardSerializer(serializers.ModelSerializer):
    """Hidden hazard; only the report fields are writable here, the lifecycle goes through actions."""

    enterprise = EnterpriseField()
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    unit = UnitField(required=False, allow_null=True)
    checklist_items = serializers.ListField(child=serializers.IntegerField(), required=False)
    photos = HiddenHazardPhotoSerializer(many=True, read_only=True)
    events = HiddenHazardEventSerializer(many=True, read_only=True)

    class Meta:
        model = HiddenHazard
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "unit",
            "title",
            "description",
            "category",
            "source",
            "reporter_name",
            "checklist_items",
            "proposed_grade",
            "status",
            "grade",
            "responsible_person",
            "deadline",
            "funding_cny",
            "measures",
            "progress",
            "verification_note",
            "reported_at",
            "graded_at",
            "assigned_at",
            "rectified_at",
            "verified_at",
            "closed_at",
            "supervision_level",
            "listed_at",
            "listed_reason",
            "is_demo",
            "photos",
            "events",
        ]
        read_only_fields = [
            "proposed_grade",
            "status",
            "grade",
            "responsible_person",
            "deadline",
            "funding_cny",
            "measures",
            "progress",
            "verification_note",
            "reported_at",
            "graded_at",
            "assigned_at",
            "rectified_at",
            "verified_at",
            "closed_at",
            "supervision_level",
            "listed_at",
            "listed_reason",
        ]


class GradeSerializer(serializers.Serializer):
    grade = serializers.ChoiceField(choices=HazardGrade.choices)
    checklist_items = serializers.ListField(child=serializers.IntegerField(), required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AssignSerializer(serializers.Serializer):
    responsible_person = serializers.CharField(max_length=32)
    deadline = serializers.DateField()
    funding_cny = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    measures = serializers.CharField(required=False, allow_blank=True, default="")


class ProgressSerializer(serializers.Serializer):
    progress = serializers.CharField()


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class VerifySerializer(NoteSerializer):
    passed = serializers.BooleanField()


class SuperviseSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)


class PhotoUploadSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=PhotoStage.choices)
    image = serializers.FileField()
