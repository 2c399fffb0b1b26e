"""API representations of import jobs and the upload/override inputs."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from yingji.apps.core.imports.models import ImportJob
from yingji.apps.core.imports.registry import NoImportTarget, UnknownImportKind, get_import_kind


class UploadSerializer(serializers.Serializer):
    """multipart/form-data: ``kind``, ``file``, optional ``crs`` and ``context_year``."""

    kind = serializers.CharField(max_length=32)
    file = serializers.FileField()
    crs = serializers.ChoiceField(choices=["wgs84", "gcj02", "bd09"], required=False, allow_blank=True)
    context_year = serializers.IntegerField(required=False, allow_null=True, min_value=1900, max_value=2199)

    def validate_kind(self, value: str) -> str:
        """Only engine kinds with a registered target."""
        try:
            get_import_kind(value)
        except (UnknownImportKind, NoImportTarget) as exc:
            raise serializers.ValidationError(str(exc)) from exc
        return value


class OverrideSerializer(serializers.Serializer):
    """``{"row": int, "column": str, "reason": str}``."""

    row = serializers.IntegerField(min_value=1)
    column = serializers.CharField(max_length=64)
    reason = serializers.CharField(max_length=500)


class ImportJobSerializer(serializers.ModelSerializer):
    """A job with its counts; ``preview`` is the engine's preview dict (detail views)."""

    created_by = serializers.CharField(source="created_by.get_username", read_only=True)
    imported_by = serializers.SerializerMethodField()
    preview = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "original_name",
            "sha256",
            "size_bytes",
            "encoding",
            "sheet",
            "status",
            "progress",
            "options",
            "overrides",
            "valid_rows",
            "rejected_rows",
            "warning_count",
            "duplicate_rows",
            "imported_rows",
            "result",
            "error",
            "created_by",
            "created_at",
            "previewed_at",
            "imported_by",
            "imported_at",
            "preview",
        ]
        read_only_fields = fields

    def get_imported_by(self, job: ImportJob) -> str | None:
        return job.imported_by.get_username() if job.imported_by else None

    def get_preview(self, job: ImportJob) -> dict[str, Any] | None:
        """``{"encoding", "sheet", "ignored_sheets", "header", "imported", "rejected",
        "warnings", "duplicates"}`` or null (queued, or in lists)."""
        if not self.context.get("with_preview", True):
            return None
        preview = getattr(job, "preview", None) if job.status != "queued" else None
        return preview.data if preview is not None else None
