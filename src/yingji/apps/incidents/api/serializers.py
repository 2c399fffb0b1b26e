"""API representations of incidents, updates, deadlines, timeline entries and reports."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from yingji.apps.directory.models import AdministrativeDivision
from yingji.apps.incidents.models import (
    Incident,
    IncidentLogEntry,
    IncidentReport,
    IncidentSource,
    IncidentType,
    IncidentUpdate,
    ReportDeadline,
    ReportKind,
    SendLevel,
)
from yingji.apps.incidents.models.incident import MAX_LOSS_CNY
from yingji.apps.incidents.models.report import REPORT_BODY_MAX_CHARS
from yingji.apps.incidents.models.timeline import MANUAL_KINDS


class IncidentTypeSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", read_only=True, default=None)

    class Meta:
        model = IncidentType
        fields = [
            "code",
            "name_zh",
            "category",
            "level",
            "parent_code",
            "gb6441_code",
            "gb6441_name",
            "deadline_subtype",
            "source",
        ]
        read_only_fields = fields


class IncidentSerializer(serializers.ModelSerializer):
    """An incident as read: facts, grade with reasons, status, ``version`` for optimistic locking."""

    incident_type = serializers.CharField(source="incident_type.code", read_only=True)
    incident_type_name = serializers.CharField(source="incident_type.name_zh", read_only=True)
    division_code = serializers.CharField(source="division.code", read_only=True)
    grade_zh = serializers.SerializerMethodField()

    class Meta:
        model = Incident
        fields = [
            "id",
            "number",
            "title",
            "category",
            "incident_type",
            "incident_type_name",
            "source",
            "occurred_at",
            "reported_at",
            "division_code",
            "lon",
            "lat",
            "address",
            "description",
            "deaths",
            "missing",
            "serious_injuries",
            "injured",
            "trapped",
            "direct_loss_cny",
            "hazmat_involved",
            "hazmat_description",
            "reporter_name",
            "reporter_phone",
            "reporter_org",
            "grade",
            "grade_zh",
            "grade_reasons",
            "grade_source",
            "status",
            "stabilized_at",
            "closed_at",
            "version",
            "is_demo",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_grade_zh(self, obj: Incident) -> str | None:
        return str(obj.get_grade_display()) if obj.grade else None


class IncidentCreateSerializer(serializers.Serializer):
    """Intake input. Counts in persons (≥ 0), ``direct_loss_cny`` in CNY, ``lon``/``lat`` WGS84.

    ``allow_duplicate`` confirms a new incident despite possible duplicates; ``merge_into``
    (an incident id) merges this intake into that incident instead.
    """

    title = serializers.CharField(max_length=200)
    incident_type = serializers.SlugRelatedField(
        slug_field="code", queryset=IncidentType.objects.filter(is_active=True)
    )
    source = serializers.ChoiceField(choices=IncidentSource.choices)  # type: ignore[assignment]
    occurred_at = serializers.DateTimeField()
    reported_at = serializers.DateTimeField(required=False)
    division_code = serializers.SlugRelatedField(
        source="division", slug_field="code", queryset=AdministrativeDivision.objects.all()
    )
    lon = serializers.FloatField(required=False, allow_null=True)
    lat = serializers.FloatField(required=False, allow_null=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    deaths = serializers.IntegerField(min_value=0, required=False, default=0)
    missing = serializers.IntegerField(min_value=0, required=False, default=0)
    serious_injuries = serializers.IntegerField(min_value=0, required=False, default=0)
    injured = serializers.IntegerField(min_value=0, required=False, default=0)
    trapped = serializers.IntegerField(min_value=0, required=False, default=0)
    direct_loss_cny = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, max_value=MAX_LOSS_CNY, required=False
    )
    hazmat_involved = serializers.BooleanField(required=False, default=False)
    hazmat_description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    reporter_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    reporter_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    reporter_org = serializers.CharField(max_length=128, required=False, allow_blank=True)
    allow_duplicate = serializers.BooleanField(required=False, default=False)
    merge_into = serializers.IntegerField(required=False, min_value=1)

    def validate_division_code(self, value: AdministrativeDivision) -> AdministrativeDivision:
        # several editions of a code may exist: the newest wins
        newest = AdministrativeDivision.objects.filter(code=value.code).order_by("-edition_year").first()
        return newest or value


class IncidentUpdateInputSerializer(serializers.Serializer):
    """续报 input: ``version`` read before editing, plus any changed facts."""

    version = serializers.IntegerField(min_value=1)
    received_at = serializers.DateTimeField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    stabilized = serializers.BooleanField(required=False, default=False)
    deaths = serializers.IntegerField(min_value=0, required=False)
    missing = serializers.IntegerField(min_value=0, required=False)
    serious_injuries = serializers.IntegerField(min_value=0, required=False)
    injured = serializers.IntegerField(min_value=0, required=False)
    trapped = serializers.IntegerField(min_value=0, required=False)
    direct_loss_cny = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, max_value=MAX_LOSS_CNY, required=False
    )
    description = serializers.CharField(required=False, allow_blank=True)
    hazmat_involved = serializers.BooleanField(required=False)
    hazmat_description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)


class IncidentUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = IncidentUpdate
        fields = [
            "id",
            "sequence",
            "received_at",
            "source",
            "note",
            "changes",
            "casualties_changed",
            "merged_intake",
            "created_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(component_name="IncidentLogEntryInput")
class LogEntryInputSerializer(serializers.Serializer):
    """A hand-written timeline entry: ``kind`` 批示/电话/调度/备注, ``summary``, optional time ``at``."""

    kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in MANUAL_KINDS])
    summary = serializers.CharField(max_length=500)
    at = serializers.DateTimeField(required=False)


@extend_schema_serializer(component_name="IncidentLogEntry")
class LogEntrySerializer(serializers.ModelSerializer):
    """A timeline entry as read (hash-chained; ``payload`` keeps the structured record)."""

    class Meta:
        model = IncidentLogEntry
        fields = [
            "seq",
            "kind",
            "at",
            "recorded_at",
            "actor_label",
            "summary",
            "payload",
            "prev_hash",
            "hash",
        ]
        read_only_fields = fields


class DeadlineSerializer(serializers.ModelSerializer):
    incident = serializers.IntegerField(source="incident_id", read_only=True)

    class Meta:
        model = ReportDeadline
        fields = [
            "id",
            "incident",
            "key",
            "rule_id",
            "description_zh",
            "level",
            "due_at",
            "met_at",
            "status",
            "source",
            "escalation_level",
            "escalated_at",
        ]
        read_only_fields = fields


class ReportSerializer(serializers.ModelSerializer):
    """A report; ``title``/``body`` are writable (with ``version``) while it is a draft."""

    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    incident = serializers.IntegerField(source="incident_id", read_only=True)
    version = serializers.IntegerField(min_value=1)

    class Meta:
        model = IncidentReport
        extra_kwargs = {"body": {"max_length": REPORT_BODY_MAX_CHARS}}
        fields = [
            "id",
            "incident",
            "kind",
            "sequence",
            "label",
            "title",
            "body",
            "facts",
            "version",
            "status",
            "sent_at",
            "sent_levels",
            "sent_version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "incident",
            "kind",
            "sequence",
            "label",
            "facts",
            "status",
            "sent_at",
            "sent_levels",
            "sent_version",
            "created_at",
            "updated_at",
        ]


class ReportDraftInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportKind.choices)


class ReportSendInputSerializer(serializers.Serializer):
    levels = serializers.ListField(child=serializers.ChoiceField(choices=SendLevel.choices), min_length=1)
    version = serializers.IntegerField(min_value=1, required=False)


class IncidentUpdateResultSerializer(serializers.Serializer):
    """Answer of a 续报: the update recorded and the incident after it (re-graded)."""

    update = IncidentUpdateSerializer()  # type: ignore[assignment]
    incident = IncidentSerializer()


class ReportEditInputSerializer(serializers.Serializer):
    """PATCH of a draft report: the ``version`` read before editing, new ``title`` and/or ``body``."""

    version = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=200, required=False)
    body = serializers.CharField(max_length=REPORT_BODY_MAX_CHARS, required=False, allow_blank=True)


class EditConflictSerializer(serializers.Serializer):
    """409: the record changed since the ``version`` sent; reload and retry."""

    detail = serializers.CharField()
    current_version = serializers.IntegerField()


class DuplicateCandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_null=True)
    title = serializers.CharField()
    occurred_at = serializers.DateTimeField()


class PossibleDuplicateSerializer(serializers.Serializer):
    """409 of an intake: open incidents that may be the same event (retry with a choice)."""

    detail = serializers.CharField()
    duplicates = DuplicateCandidateSerializer(many=True)
