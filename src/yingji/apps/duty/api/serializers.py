"""API representations of duty records: rosters, shifts, swaps, holidays, handovers, duty log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yingji.apps.directory.models import AdministrativeDivision, Organization
from yingji.apps.duty.models import (
    DutyLogEntry,
    DutyRoster,
    HandoverItemAck,
    HandoverStatus,
    Holiday,
    HolidayKind,
    LogKind,
    Shift,
    ShiftHandover,
    ShiftSwap,
    SwapKind,
    SwapStatus,
)
from yingji.engines.duty import CoverageMode, HolidayPolicy, RotationUnit, ShiftSlot

User = get_user_model()


def enum_field(choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    """A ChoiceField documented with an inline enum (no shared enum component to collide by name)."""
    values = [value for value, _label in choices]

    @extend_schema_field({"type": "string", "enum": values})
    class _Choice(serializers.ChoiceField):
        pass

    return _Choice(choices=choices, **kwargs)


def _active_users() -> Any:
    return User.objects.filter(is_active=True)


class DutyPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class DutyRosterSerializer(serializers.ModelSerializer):
    division_code = serializers.SlugRelatedField(
        source="division", slug_field="code", queryset=AdministrativeDivision.objects.all()
    )
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = DutyRoster
        fields = [
            "id",
            "name",
            "division_code",
            "organization",
            "officers_required",
            "description",
            "is_demo",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["is_demo", "created_at", "updated_at"]
        validators: list[Any] = []


class DutyShiftSerializer(serializers.ModelSerializer):
    roster = serializers.PrimaryKeyRelatedField(queryset=DutyRoster.objects.all())
    leader = serializers.PrimaryKeyRelatedField(queryset=_active_users(), allow_null=True, required=False)
    officers = serializers.PrimaryKeyRelatedField(queryset=_active_users(), many=True, required=False)
    leader_name = serializers.SerializerMethodField()
    officer_names = serializers.SerializerMethodField()
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version this edit is based on (required on update)."
    )

    class Meta:
        model = Shift
        fields = [
            "id",
            "roster",
            "starts_at",
            "ends_at",
            "label",
            "leader",
            "leader_name",
            "officers",
            "officer_names",
            "note",
            "version",
            "is_demo",
            "updated_at",
        ]
        read_only_fields = ["is_demo", "updated_at"]

    def get_leader_name(self, obj: Shift) -> str:
        return str(obj.leader) if obj.leader else ""

    def get_officer_names(self, obj: Shift) -> list[str]:
        return [str(o) for o in obj.officers.all()]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and "version" not in attrs:
            raise serializers.ValidationError({"version": "更新班次须提供读取时的版本号 (version)。"})
        start = attrs.get("starts_at", getattr(self.instance, "starts_at", None))
        end = attrs.get("ends_at", getattr(self.instance, "ends_at", None))
        if start and end and end <= start:
            raise serializers.ValidationError({"ends_at": "结束时间须晚于开始时间。"})
        return attrs


class DutySlotSerializer(serializers.Serializer):
    start = serializers.TimeField(help_text="wall-clock start, Asia/Shanghai, e.g. 08:00")
    hours = serializers.FloatField(min_value=0.5, max_value=48)
    label = serializers.CharField(  # type: ignore[assignment]
        max_length=40, required=False, default="", allow_blank=True
    )

    def to_slot(self, data: dict[str, Any]) -> ShiftSlot:
        return ShiftSlot(data["start"], timedelta(hours=data["hours"]), data.get("label", ""))


class DutyGenerateRotationSerializer(serializers.Serializer):
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    slots = DutySlotSerializer(many=True, allow_empty=False)
    leaders = serializers.PrimaryKeyRelatedField(queryset=_active_users(), many=True)
    officers = serializers.PrimaryKeyRelatedField(queryset=_active_users(), many=True)
    officers_per_shift = serializers.IntegerField(min_value=0, max_value=20, required=False, allow_null=True)
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6), required=False, default=list(range(7))
    )
    holiday_policy = enum_field([(p.value, p.value) for p in HolidayPolicy], default="same")
    holiday_slots = DutySlotSerializer(many=True, required=False, default=list)
    leader_rotation = enum_field([(u.value, u.value) for u in RotationUnit], default="shift")
    officer_rotation = serializers.RegexField(
        r"^(shift|day|week)$",
        default="shift",
        help_text="shift | day | week (same values as leader_rotation)",
    )
    coverage = enum_field([(c.value, c.value) for c in CoverageMode], default="continuous")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["ends_on"] < attrs["starts_on"]:
            raise serializers.ValidationError({"ends_on": "结束日期早于开始日期。"})
        return attrs


class DutyGapSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    reasons = serializers.ListField(child=serializers.CharField())
    officers = serializers.IntegerField()
    officers_required = serializers.IntegerField()


class DutyRosterGapsSerializer(serializers.Serializer):
    roster = serializers.IntegerField(source="roster.pk")
    roster_name = serializers.CharField(source="roster.name")
    gaps = DutyGapSerializer(many=True)


class DutyLoadSerializer(serializers.Serializer):
    person = serializers.CharField()
    leader_shifts = serializers.IntegerField()
    officer_shifts = serializers.IntegerField()
    hours = serializers.FloatField()


class DutyGeneratedRotationSerializer(serializers.Serializer):
    shifts = DutyShiftSerializer(many=True)
    gaps = DutyGapSerializer(many=True, source="plan.gaps")
    load = DutyLoadSerializer(many=True, source="plan.load")


class DutySwapSerializer(serializers.ModelSerializer):
    kind = enum_field(SwapKind.choices, default=SwapKind.OVERRIDE)
    status = enum_field(SwapStatus.choices, read_only=True)
    shift = serializers.PrimaryKeyRelatedField(queryset=Shift.objects.all())
    counterpart_shift = serializers.PrimaryKeyRelatedField(
        queryset=Shift.objects.all(), allow_null=True, required=False
    )
    original_person = serializers.PrimaryKeyRelatedField(queryset=_active_users())
    replacement = serializers.PrimaryKeyRelatedField(queryset=_active_users())

    class Meta:
        model = ShiftSwap
        fields = [
            "id",
            "kind",
            "shift",
            "counterpart_shift",
            "original_person",
            "replacement",
            "reason",
            "status",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = [
            "status",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]


class DutyDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class DutyHolidaySerializer(serializers.ModelSerializer):
    kind = enum_field(HolidayKind.choices, default=HolidayKind.HOLIDAY)

    class Meta:
        model = Holiday
        fields = ["id", "day", "name", "kind", "source", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class DutyHandoverItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = HandoverItemAck
        fields = [
            "id",
            "position",
            "kind",
            "ref",
            "title",
            "url",
            "severity",
            "acknowledged_at",
            "acknowledged_by",
        ]
        read_only_fields = fields


class DutyHandoverSerializer(serializers.ModelSerializer):
    division_code = serializers.CharField(source="division.code", read_only=True)
    from_shift = serializers.PrimaryKeyRelatedField(
        queryset=Shift.objects.all(), allow_null=True, required=False
    )
    to_shift = serializers.PrimaryKeyRelatedField(
        queryset=Shift.objects.all(), allow_null=True, required=False
    )
    incoming_officer = serializers.PrimaryKeyRelatedField(queryset=_active_users())
    items = DutyHandoverItemSerializer(many=True, read_only=True)
    status = enum_field(HandoverStatus.choices, read_only=True)

    class Meta:
        model = ShiftHandover
        fields = [
            "id",
            "division_code",
            "from_shift",
            "to_shift",
            "outgoing_officer",
            "incoming_officer",
            "summary",
            "status",
            "created_at",
            "completed_at",
            "items",
            "is_demo",
        ]
        read_only_fields = ["outgoing_officer", "status", "created_at", "completed_at", "is_demo"]


class DutyAcknowledgeSerializer(serializers.Serializer):
    item_ids = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    all = serializers.BooleanField(
        required=False, default=False, help_text="acknowledge every item explicitly"
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs["item_ids"] and not attrs["all"]:
            raise serializers.ValidationError(
                {"item_ids": "请选择要确认的交接事项,或明确选择全部确认 (all)。"}
            )
        return attrs


class DutyLogEntrySerializer(serializers.ModelSerializer):
    division_code = serializers.SlugRelatedField(
        source="division",
        slug_field="code",
        queryset=AdministrativeDivision.objects.all(),
        required=False,
        help_text="defaults to the shift's division, else the county",
    )
    shift = serializers.PrimaryKeyRelatedField(queryset=Shift.objects.all(), allow_null=True, required=False)
    occurred_at = serializers.DateTimeField(required=False, help_text="defaults to now")
    author_name = serializers.CharField(source="author.__str__", read_only=True)
    kind = enum_field(LogKind.choices)

    class Meta:
        model = DutyLogEntry
        fields = [
            "id",
            "division_code",
            "shift",
            "kind",
            "occurred_at",
            "caller_name",
            "caller_number",
            "instructed_by",
            "summary",
            "author",
            "author_name",
            "created_at",
            "is_demo",
        ]
        read_only_fields = ["author", "created_at", "is_demo"]


class DutyOnDutySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    shift = serializers.IntegerField(allow_null=True)
    roster = serializers.CharField(allow_null=True)
    starts_at = serializers.DateTimeField(allow_null=True)
    ends_at = serializers.DateTimeField(allow_null=True)
    leader = DutyPersonSerializer(allow_null=True)
    officers = DutyPersonSerializer(many=True)
