"""Import jobs over the API: ``POST /api/imports/`` (upload → preview), ``GET`` a job,
``POST /api/imports/{id}/commit/``, ``POST /api/imports/{id}/override/``, ``GET /api/imports/kinds/``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from yingji.apps.core.imports import selectors, services
from yingji.apps.core.imports.api.serializers import ImportJobSerializer, OverrideSerializer, UploadSerializer
from yingji.apps.core.imports.models import ImportJob, ImportStatus
from yingji.apps.core.imports.registry import NoImportTarget, UnknownImportKind, kinds_for


class ImportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Registry imports: upload a file (dry-run preview), read the preview, commit the valid rows."""

    queryset = ImportJob.objects.all()
    serializer_class = ImportJobSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    required_permissions = {
        "list": services.VIEW_PERMISSION,
        "retrieve": services.VIEW_PERMISSION,
        "kinds": services.VIEW_PERMISSION,
        "create": services.ADD_PERMISSION,
        "commit": services.ADD_PERMISSION,
        "override": services.OVERRIDE_PERMISSION,
    }

    def get_queryset(self) -> Any:
        return selectors.jobs_for(self.request.user).select_related("preview")

    def get_serializer_context(self) -> dict[str, Any]:
        ctx = dict(super().get_serializer_context())
        ctx["with_preview"] = getattr(self, "action", None) != "list"
        return ctx

    def _job(self, job: ImportJob, code: int = 200) -> Response:
        job = selectors.get_job_for(self.request.user, job.pk)
        return Response(ImportJobSerializer(job, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request={"multipart/form-data": UploadSerializer}, responses={201: ImportJobSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Upload a file and preview it (nothing imported). 201 with the preview; 202 when
        a large file is previewed in the background (poll the job's ``status``/``progress``)."""
        form = UploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        try:
            job = services.preview_upload(
                actor=request.user,
                kind=form.validated_data["kind"],
                data=upload.read(),
                filename=upload.name or "upload",
                crs=form.validated_data.get("crs") or None,
                context_year=form.validated_data.get("context_year"),
            )
        except (UnknownImportKind, NoImportTarget) as exc:
            return Response({"kind": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
        return self._job(job, 202 if job.status == ImportStatus.QUEUED else 201)

    @extend_schema(request=None, responses={200: ImportJobSerializer})
    @action(detail=True, methods=["post"])
    def commit(self, request: Request, pk: str | None = None) -> Response:
        """Import every valid row in one transaction (or nothing). 200 imported; 202 when a
        large job is imported in the background (poll ``status``); 400 when refused or failed
        (``non_field_errors``); 409 when the data changed since the preview (body: the job
        with its fresh preview)."""
        job = self.get_object()
        try:
            job = services.request_import(job, actor=request.user)
        except services.StalePreview as exc:
            body = ImportJobSerializer(selectors.get_job_for(request.user, job.pk)).data
            return Response({"non_field_errors": [str(exc)], "job": body}, status=status.HTTP_409_CONFLICT)
        except (services.ImportRefused, UnknownImportKind, NoImportTarget) as exc:
            return Response({"non_field_errors": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
        return self._job(job, 202 if job.status == ImportStatus.IMPORTING else 200)

    @extend_schema(request=OverrideSerializer, responses={200: ImportJobSerializer})
    @action(detail=True, methods=["post"])
    def override(self, request: Request, pk: str | None = None) -> Response:
        """Accept an overridable rejection (USCC check character) of ``row``/``column``
        with a ``reason``; returns the job with the new preview."""
        job = self.get_object()
        form = OverrideSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            job = services.override_import_error(job, actor=request.user, **form.validated_data)
        except (services.ImportRefused, UnknownImportKind, NoImportTarget) as exc:
            return Response({"non_field_errors": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
        return self._job(job)

    @extend_schema(request=None, responses={200: dict})
    @action(detail=False, methods=["get"])
    def kinds(self, request: Request) -> Response:
        """The kinds the caller may import: ``[{"kind", "label", "registered", "permission"}]``
        (registered kinds whose permission the caller holds; kinds without a target too,
        except for users bound to one organisation)."""
        return Response(kinds_for(request.user))
