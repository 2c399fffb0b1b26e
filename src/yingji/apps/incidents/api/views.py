"""Incidents API: intake, 续报, timeline, deadlines, reports (draft/edit/send/.docx/.pdf), map layer.

Edit conflicts answer 409 ``{"detail", "current_version"}``; a possible duplicate intake answers
409 ``{"detail", "duplicates": [{id, number, title, occurred_at}]}`` (retry with
``allow_duplicate`` or ``merge_into``); invalid input 400 with field errors; out of scope 403.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yingji.apps.core.api import RestrictedReadOnlyViewSet, RestrictedViewSetMixin
from yingji.apps.incidents import reports, selectors, services
from yingji.apps.incidents.api.serializers import (
    DeadlineSerializer,
    EditConflictSerializer,
    IncidentCreateSerializer,
    IncidentSerializer,
    IncidentTypeSerializer,
    IncidentUpdateInputSerializer,
    IncidentUpdateResultSerializer,
    IncidentUpdateSerializer,
    LogEntryInputSerializer,
    LogEntrySerializer,
    PossibleDuplicateSerializer,
    ReportDraftInputSerializer,
    ReportEditInputSerializer,
    ReportSendInputSerializer,
    ReportSerializer,
)
from yingji.apps.incidents.errors import EditConflict, PossibleDuplicate
from yingji.apps.incidents.models import Incident, IncidentReport, IncidentType, ReportDeadline

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONFLICT = OpenApiResponse(EditConflictSerializer, description="changed since `version`: reload and retry")
VERSION_PARAM = OpenApiParameter("version", int, description="an older version (default: the current one)")


def _conflict(exc: EditConflict) -> Response:
    return Response(
        {"detail": str(exc), "current_version": exc.current_version}, status=status.HTTP_409_CONFLICT
    )


class IncidentTypeViewSet(RestrictedReadOnlyViewSet):
    """Incident types (categories, subtypes, GB 6441-2025 accident types). Filter category, level."""

    queryset = (
        IncidentType.objects.filter(is_active=True).select_related("parent").order_by("sort_order", "code")
    )
    serializer_class = IncidentTypeSerializer
    lookup_field = "code"
    filterset_fields = ["category", "level"]
    required_permissions = {"list": "incidents.view_incidenttype", "retrieve": "incidents.view_incidenttype"}


class IncidentViewSet(
    RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Incidents: list (filter status, category, grade), retrieve, intake (create), and per-incident
    actions: updates (续报), timeline (批示/电话/调度/备注), deadlines, reports; the map layer."""

    queryset = Incident.objects.select_related("incident_type", "division").order_by("-reported_at", "-id")
    serializer_class = IncidentSerializer
    filterset_fields = ["status", "category", "grade", "source", "is_demo"]
    required_permissions = {
        "list": "incidents.view_incident",
        "retrieve": "incidents.view_incident",
        "create": "incidents.add_incident",
        "updates": "incidents.view_incidentupdate",
        "add_update": "incidents.add_incidentupdate",
        "timeline": "incidents.view_incidentlogentry",
        "add_log_entry": "incidents.add_incidentlogentry",
        "deadlines": "incidents.view_reportdeadline",
        "reports": "incidents.view_incidentreport",
        "draft_report": "incidents.add_incidentreport",
        "map_layer": "incidents.view_incident",
    }

    def get_serializer_class(self) -> Any:
        return IncidentCreateSerializer if self.action == "create" else IncidentSerializer

    @extend_schema(
        request=IncidentCreateSerializer,
        responses={
            201: IncidentSerializer,
            200: OpenApiResponse(IncidentUpdateSerializer, description="merged into `merge_into`"),
            409: OpenApiResponse(PossibleDuplicateSerializer, description="possible duplicate intake"),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Take in an incident (201); 409 lists possible duplicates; ``merge_into`` merges instead (200)."""
        serializer = IncidentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        kind = data.pop("incident_type")
        allow = data.pop("allow_duplicate", False)
        merge_into = data.pop("merge_into", None)
        try:
            if merge_into is not None:
                target = get_object_or_404(selectors.incidents_for(request.user), pk=merge_into)
                update = services.merge_intake(
                    target, actor=request.user, expected_version=target.version, **data
                )
                return Response(IncidentUpdateSerializer(update).data, status=status.HTTP_200_OK)
            incident = services.create_incident(
                actor=request.user, incident_type=kind, allow_duplicate=allow, **data
            )
        except PossibleDuplicate as dup:
            return Response(
                {
                    "detail": "possible duplicate: retry with allow_duplicate=true or merge_into=<id>",
                    "duplicates": [
                        {"id": c.pk, "number": c.number, "title": c.title, "occurred_at": c.occurred_at}
                        for c in dup.candidates
                    ],
                },
                status=status.HTTP_409_CONFLICT,
            )
        except EditConflict as exc:
            return _conflict(exc)
        return Response(IncidentSerializer(incident).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=IncidentUpdateSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def updates(self, request: Request, pk: str | None = None) -> Response:
        """The incident's 续报 updates, oldest first."""
        incident = self.get_object()
        return Response(
            IncidentUpdateSerializer(selectors.updates_for(request.user, incident), many=True).data
        )

    @extend_schema(
        request=IncidentUpdateInputSerializer, responses={201: IncidentUpdateResultSerializer, 409: CONFLICT}
    )
    @updates.mapping.post
    def add_update(self, request: Request, pk: str | None = None) -> Response:
        """Record a 续报: changed facts with the ``version`` read; re-grades; 409 on an edit conflict."""
        incident = self.get_object()
        serializer = IncidentUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            update = services.record_incident_update(
                incident,
                actor=request.user,
                expected_version=data.pop("version"),
                received_at=data.pop("received_at", None),
                note=data.pop("note", ""),
                stabilized=data.pop("stabilized", False),
                **data,
            )
        except EditConflict as exc:
            return _conflict(exc)
        incident.refresh_from_db()
        return Response(
            {"update": IncidentUpdateSerializer(update).data, "incident": IncidentSerializer(incident).data},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses=LogEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def timeline(self, request: Request, pk: str | None = None) -> Response:
        """The hash-chained timeline, oldest first (grade changes keep the engine record in ``payload``)."""
        incident = self.get_object()
        return Response(LogEntrySerializer(selectors.timeline_for(request.user, incident), many=True).data)

    @extend_schema(request=LogEntryInputSerializer, responses={201: LogEntrySerializer})
    @timeline.mapping.post
    def add_log_entry(self, request: Request, pk: str | None = None) -> Response:
        """Add a 批示, call, dispatch or note (``at`` not in the future, not before the incident)."""
        incident = self.get_object()
        serializer = LogEntryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.add_log_entry(incident, actor=request.user, **serializer.validated_data)
        return Response(LogEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=DeadlineSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def deadlines(self, request: Request, pk: str | None = None) -> Response:
        """The incident's statutory report clocks."""
        incident = self.get_object()
        return Response(DeadlineSerializer(selectors.deadlines_for(request.user, incident), many=True).data)

    @extend_schema(request=None, responses=ReportSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def reports(self, request: Request, pk: str | None = None) -> Response:
        """The incident's reports (首报/续报/终报)."""
        incident = self.get_object()
        return Response(ReportSerializer(selectors.reports_for(request.user, incident), many=True).data)

    @extend_schema(request=ReportDraftInputSerializer, responses={201: ReportSerializer})
    @reports.mapping.post
    def draft_report(self, request: Request, pk: str | None = None) -> Response:
        """Draft a 首报, 续报 or 终报 from the current facts."""
        incident = self.get_object()
        serializer = ReportDraftInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = reports.draft_report(incident, actor=request.user, kind=serializer.validated_data["kind"])
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["get"], url_path="map-layer", pagination_class=None, filter_backends=[])
    def map_layer(self, request: Request) -> Response:
        """Open incidents as a GeoJSON FeatureCollection coloured by grade."""
        return Response(selectors.incident_map_layer(request.user))


class IncidentReportViewSet(
    RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Reports: list/retrieve, edit a draft (PATCH title/body with ``version``), send, .docx/.pdf."""

    queryset = IncidentReport.objects.select_related("incident__division").order_by("-created_at", "-id")
    serializer_class = ReportSerializer
    filterset_fields = ["incident", "kind", "status"]
    required_permissions = {
        "list": "incidents.view_incidentreport",
        "retrieve": "incidents.view_incidentreport",
        "partial_update": "incidents.change_incidentreport",
        "send": "incidents.change_incidentreport",
        "docx": "incidents.view_incidentreport",
        "pdf": "incidents.view_incidentreport",
    }

    def get_queryset(self) -> Any:
        # edits and sends are scope-checked by the services; reading the row needs view scope
        return self.queryset.all().restrict(self.request.user, "view")

    @extend_schema(request=ReportEditInputSerializer, responses={200: ReportSerializer, 409: CONFLICT})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Edit a draft report's ``title``/``body`` with the ``version`` read; 409 on an edit conflict."""
        report = self.get_object()
        serializer = ReportSerializer(report, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "version" not in data:
            return Response({"version": ["This field is required."]}, status=status.HTTP_400_BAD_REQUEST)
        try:
            report = reports.edit_report(
                report,
                actor=request.user,
                expected_version=data["version"],
                title=data.get("title", report.title),
                body=data.get("body", report.body),
            )
        except EditConflict as exc:
            return _conflict(exc)
        return Response(ReportSerializer(report).data)

    @extend_schema(request=ReportSendInputSerializer, responses={200: ReportSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: str | None = None) -> Response:
        """Mark the report sent to ``levels``; 409 when ``version`` is stale."""
        report = self.get_object()
        serializer = ReportSendInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            report = reports.send_report(
                report,
                actor=request.user,
                levels=serializer.validated_data["levels"],
                expected_version=serializer.validated_data.get("version"),
            )
        except EditConflict as exc:
            return _conflict(exc)
        return Response(ReportSerializer(report).data)

    def _document(self, fmt: str, content_type: str) -> HttpResponse:
        report = self.get_object()
        raw = self.request.query_params.get("version", "")
        version = int(raw) if raw.isdigit() else None
        if version is not None and not report.versions.filter(version=version).exists():
            return HttpResponse(status=404)
        response = HttpResponse(
            reports.report_document(report, version=version, fmt=fmt), content_type=content_type
        )
        response["Content-Disposition"] = f'attachment; filename="report-{report.pk}.{fmt}"'
        return response

    @extend_schema(parameters=[VERSION_PARAM], responses={(200, DOCX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def docx(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The report as .docx (``?version=N`` for an older version)."""
        return self._document("docx", DOCX)

    @extend_schema(parameters=[VERSION_PARAM], responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The report as PDF (``?version=N`` for an older version)."""
        return self._document("pdf", "application/pdf")


class ReportDeadlineViewSet(RestrictedReadOnlyViewSet):
    """Report deadlines of the incidents the caller may see (filter incident, status, escalation_level)."""

    queryset = ReportDeadline.objects.select_related("incident").order_by("due_at", "id")
    serializer_class = DeadlineSerializer
    filterset_fields = ["incident", "status", "escalation_level", "rule_id"]
    required_permissions = {
        "list": "incidents.view_reportdeadline",
        "retrieve": "incidents.view_reportdeadline",
    }
