"""API representations of monitoring points, gateways, maintenance windows, alarms and ingest batches."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from yingji.apps.directory.models import Organization, OrganizationKind
from yingji.apps.monitoring.models import (
    Alarm,
    AlarmEvent,
    AlarmNote,
    Device,
    Gateway,
    MaintenanceWindow,
    MonitoringPoint,
)


class PointSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(kind=OrganizationKind.ENTERPRISE)
    )
    level = serializers.CharField(source="state.level", read_only=True, default="N")
    last_value = serializers.FloatField(source="state.last_value", read_only=True, default=None)
    last_ts = serializers.DateTimeField(source="state.last_ts", read_only=True, default=None)
    offline = serializers.BooleanField(source="state.offline", read_only=True, default=False)

    class Meta:
        model = MonitoringPoint
        fields = [
            "id",
            "code",
            "name",
            "organization",
            "site_kind",
            "site_name",
            "installation_ref",
            "major_hazard_level",
            "quantity",
            "unit",
            "sampling_period_s",
            "device",
            "gateway",
            "hh",
            "h",
            "l",
            "ll",
            "deadband",
            "on_delay_s",
            "off_delay_s",
            "offline_s",
            "roc_per_s",
            "out_of_service",
            "out_of_service_reason",
            "lon",
            "lat",
            "is_demo",
            "level",
            "last_value",
            "last_ts",
            "offline",
        ]
        read_only_fields = ["is_demo"]
        validators: list[Any] = []


class SeriesSerializer(serializers.Serializer):
    resolution = serializers.CharField()
    points = serializers.ListField(child=serializers.ListField(child=serializers.FloatField()))
    limits = serializers.DictField(child=serializers.FloatField())
    unit = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()


class GatewaySerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(kind=OrganizationKind.ENTERPRISE)
    )

    class Meta:
        model = Gateway
        fields = [
            "id",
            "code",
            "name",
            "organization",
            "token_prefix",
            "is_active",
            "last_seen_at",
            "is_demo",
        ]
        read_only_fields = ["token_prefix", "last_seen_at", "is_demo"]
        validators: list[Any] = []


class GatewayTokenSerializer(GatewaySerializer):
    token = serializers.CharField(read_only=True, help_text="shown once; only its SHA-256 is stored")

    class Meta(GatewaySerializer.Meta):
        fields = [*GatewaySerializer.Meta.fields, "token"]


class GatewayUpdateSerializer(serializers.ModelSerializer):
    """What may change on a registered gateway."""

    class Meta:
        model = Gateway
        fields = ["name", "is_active"]


class DeviceSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(kind=OrganizationKind.ENTERPRISE)
    )

    class Meta:
        model = Device
        fields = ["id", "code", "name", "organization", "gateway", "model_name", "serial_number", "is_demo"]
        read_only_fields = ["is_demo"]
        validators: list[Any] = []


class DeviceUpdateSerializer(serializers.ModelSerializer):
    """What may change on a registered device (the gateway must be of the device's enterprise)."""

    class Meta:
        model = Device
        fields = ["name", "gateway", "model_name", "serial_number"]


class MaintenanceWindowSerializer(serializers.ModelSerializer):
    class Meta:
        model = MaintenanceWindow
        fields = ["id", "organization", "point", "gateway", "starts_at", "ends_at", "reason", "created_at"]
        read_only_fields = ["created_at"]


class AlarmNoteSerializer(serializers.ModelSerializer):
    author: serializers.StringRelatedField = serializers.StringRelatedField()

    class Meta:
        model = AlarmNote
        fields = ["id", "action", "text", "author", "created_at"]


class AlarmEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AlarmEvent
        fields = ["at", "event", "from_level", "to_level", "value", "detail"]


class AlarmSerializer(serializers.ModelSerializer):
    # plain strings (not enums) in the schema: values are listed in docs/apps/monitoring.md
    kind = serializers.CharField(read_only=True, help_text="limit | roc | offline")
    state = serializers.CharField(
        read_only=True, help_text="raised | acknowledged | handled | closed | shelved"
    )
    priority = serializers.CharField(read_only=True, help_text="critical | warning | info")
    point_code = serializers.CharField(source="point.code", read_only=True)
    point_name = serializers.CharField(source="point.name", read_only=True)
    organization = serializers.IntegerField(source="point.organization_id", read_only=True)

    class Meta:
        model = Alarm
        fields = [
            "id",
            "point",
            "point_code",
            "point_name",
            "organization",
            "kind",
            "state",
            "level",
            "peak_level",
            "priority",
            "active",
            "inhibited",
            "occurrences",
            "raised_at",
            "value",
            "cleared_at",
            "acknowledged_at",
            "handled_at",
            "closed_at",
            "shelved_until",
            "escalation_stage",
            "incident_ref",
            "is_demo",
        ]
        read_only_fields = fields


class AlarmDetailSerializer(AlarmSerializer):
    notes = AlarmNoteSerializer(many=True, read_only=True)
    events = AlarmEventSerializer(many=True, read_only=True)

    class Meta(AlarmSerializer.Meta):
        fields = [*AlarmSerializer.Meta.fields, "notes", "events"]
        read_only_fields = fields


class NoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class RequiredNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class TextInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)


class ShelveInputSerializer(serializers.Serializer):
    until = serializers.DateTimeField()
    reason = serializers.CharField(max_length=2000)


class ReadingInputSerializer(serializers.Serializer):
    point = serializers.CharField(max_length=64)
    ts = serializers.JSONField(help_text="epoch seconds (number) or ISO 8601 with UTC offset")
    value = serializers.FloatField()


class IngestBatchSerializer(serializers.Serializer):
    readings = ReadingInputSerializer(many=True)


class IngestResultSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    stored = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    rejected = serializers.ListField(child=serializers.DictField())
    out_of_order = serializers.IntegerField()
    events = serializers.IntegerField()
    alarms_opened = serializers.IntegerField()


class HistoryUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    evaluate = serializers.BooleanField(required=False, default=False)
