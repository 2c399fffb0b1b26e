"""API representations of warnings, upstream messages, sources, rules, templates, recipients."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from yingji.apps.directory.models import AdministrativeDivision
from yingji.apps.warnings.models import (
    Channel,
    FeedSource,
    PublicWarning,
    Recipient,
    TriggerRule,
    UpstreamAlert,
    Warning,
    WarningLogEntry,
    WarningTemplate,
)


class DivisionCodeField(serializers.SlugRelatedField):
    """A division by its 12-digit code (newest edition)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("queryset", AdministrativeDivision.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        obj = AdministrativeDivision.objects.filter(code=str(data)).order_by("-edition_year").first()
        if obj is None:
            self.fail("does_not_exist", slug_name="code", value=str(data))
        return obj


class LogEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = WarningLogEntry
        fields = ["at", "action", "actor_label", "note", "details"]


class WarningSerializer(serializers.ModelSerializer):
    """Read/write form of a county warning; workflow fields are read-only (use the actions)."""

    areas = DivisionCodeField(many=True, required=False)
    template = serializers.SlugRelatedField(
        slug_field="key", queryset=WarningTemplate.objects.all(), required=False, allow_null=True
    )
    blocked_channels = serializers.ListField(
        child=serializers.ChoiceField(choices=Channel.choices), required=False
    )
    colour = serializers.CharField(read_only=True)
    cap_url = serializers.SerializerMethodField()

    class Meta:
        model = Warning
        fields = [
            "id",
            "state",
            "msg_type",
            "status",
            "identifier",
            "sent",
            "replaces",
            "upstream",
            "trigger_kind",
            "trigger_ref",
            "template",
            "category",
            "event",
            "event_en",
            "severity",
            "colour",
            "urgency",
            "certainty",
            "response_type",
            "onset",
            "expires",
            "headline",
            "description",
            "instruction",
            "second_language",
            "headline_2",
            "description_2",
            "instruction_2",
            "areas",
            "polygon",
            "sms_text",
            "broadcast_text",
            "loudspeaker_text",
            "blocked_channels",
            "note",
            "author",
            "submitted_by",
            "approved_by",
            "released_by",
            "reach",
            "reach_basis",
            "cap_url",
            "is_demo",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "state",
            "msg_type",
            "identifier",
            "sent",
            "replaces",
            "upstream",
            "trigger_kind",
            "trigger_ref",
            "author",
            "submitted_by",
            "approved_by",
            "released_by",
            "reach",
            "reach_basis",
            "is_demo",
            "created_at",
            "updated_at",
        ]

    def get_cap_url(self, obj: Warning) -> str | None:
        if not obj.identifier or not obj.cap_xml:
            return None
        request = self.context.get("request")
        path = f"/warnings/cap/{obj.identifier}.xml"
        return request.build_absolute_uri(path) if request is not None else path


class WarningDetailSerializer(WarningSerializer):
    log = LogEntrySerializer(many=True, read_only=True)

    class Meta(WarningSerializer.Meta):
        fields = [*WarningSerializer.Meta.fields, "cap_xml", "log"]
        read_only_fields = [*WarningSerializer.Meta.read_only_fields, "cap_xml"]


class PublicWarningSerializer(serializers.ModelSerializer):
    colour = serializers.CharField(read_only=True)

    class Meta:
        model = PublicWarning
        fields = [
            "identifier",
            "msg_type",
            "sent",
            "event",
            "severity",
            "colour",
            "headline",
            "description",
            "instruction",
            "expires",
        ]


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class ApproveSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class UpstreamAlertSerializer(serializers.ModelSerializer):
    source_name = serializers.CharField(source="source.name", read_only=True)

    class Meta:
        model = UpstreamAlert
        fields = [
            "id",
            "identity",
            "source_name",
            "origin",
            "sender",
            "identifier",
            "sent",
            "msg_type",
            "status",
            "event",
            "severity",
            "headline",
            "expires_at",
            "state",
            "retired_by",
            "valid",
            "signature",
            "defects",
            "intersects_county",
            "population",
            "assessment",
            "received_at",
            "is_demo",
        ]
        read_only_fields = fields


class DeriveSerializer(serializers.Serializer):
    template = serializers.SlugRelatedField(
        slug_field="key", queryset=WarningTemplate.objects.all(), required=False, allow_null=True
    )


class FeedSourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeedSource
        fields = [
            "id",
            "name",
            "kind",
            "url",
            "folder",
            "poll_interval_s",
            "enabled",
            "last_polled_at",
            "last_status",
            "is_demo",
        ]
        read_only_fields = ["last_polled_at", "last_status", "is_demo"]


class TriggerRuleSerializer(serializers.ModelSerializer):
    template = serializers.SlugRelatedField(slug_field="key", queryset=WarningTemplate.objects.all())

    class Meta:
        model = TriggerRule
        fields = ["id", "name", "kind", "event_contains", "min_severity", "template", "enabled", "is_demo"]
        read_only_fields = ["is_demo"]


class WarningTemplateSerializer(serializers.ModelSerializer):
    class Meta:
        model = WarningTemplate
        fields = [
            "id",
            "key",
            "name",
            "category",
            "event_zh",
            "event_en",
            "default_severity",
            "headline_zh",
            "headline_en",
            "description_zh",
            "description_en",
            "instruction_zh",
            "instruction_en",
            "loudspeaker_zh",
            "expires_hours",
            "is_demo",
        ]
        read_only_fields = ["is_demo"]


class RecipientSerializer(serializers.ModelSerializer):
    division = DivisionCodeField()

    class Meta:
        model = Recipient
        fields = ["id", "name", "channel", "address", "division", "active", "is_demo", "created_at"]
        read_only_fields = ["is_demo", "created_at"]
        validators: list[Any] = []


class DeliveryRowSerializer(serializers.Serializer):
    channel = serializers.CharField()
    division = serializers.CharField()
    queued = serializers.IntegerField()
    sent = serializers.IntegerField()
    delivered = serializers.IntegerField()
    failed = serializers.IntegerField()
    retried = serializers.IntegerField()
    total = serializers.IntegerField()


class DeliveryStatsSerializer(serializers.Serializer):
    totals = DeliveryRowSerializer(many=True)
    rows = DeliveryRowSerializer(many=True)
    blocked = serializers.ListField(child=serializers.CharField())
