"""Monitoring API: points (registry + trend series), gateways, devices, maintenance windows,
alarms (lifecycle actions), gateway batch ingest and history CSV upload."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import django_filters
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, permissions, viewsets
from rest_framework.authentication import BaseAuthentication
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from yingji.apps.core.api import PUBLIC, DeclaredPermission, RestrictedReadOnlyViewSet, RestrictedWriteViewSet
from yingji.apps.core.querysets import organisation_bound
from yingji.apps.directory import selectors as directory_selectors
from yingji.apps.monitoring import ingest, selectors, services
from yingji.apps.monitoring.api import serializers as s
from yingji.apps.monitoring.models import Alarm, Device, Gateway, MaintenanceWindow, MonitoringPoint
from yingji.apps.monitoring.payloads import PayloadError, readings_from_csv, readings_from_json

_VIEW_POINT = "monitoring.view_monitoringpoint"
_CHANGE_ALARM = "monitoring.change_alarm"


class PointViewSet(RestrictedWriteViewSet):
    """Monitoring points with their alarm configuration and current state."""

    queryset = MonitoringPoint.objects.select_related("state", "organization").order_by("code")
    serializer_class = s.PointSerializer
    filterset_fields = ["organization", "quantity", "site_kind", "out_of_service", "is_demo"]
    required_permissions = {
        "list": _VIEW_POINT,
        "retrieve": _VIEW_POINT,
        "create": "monitoring.add_monitoringpoint",
        "update": "monitoring.change_monitoringpoint",
        "partial_update": "monitoring.change_monitoringpoint",
        "series": _VIEW_POINT,
        "history": "monitoring.change_monitoringpoint",
    }

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _require_org_scope(request.user, serializer.validated_data["organization"], "add")
        _refuse_enterprise_suppression(request.user, None, serializer.validated_data)
        point = services.create_point(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(point).data, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        point = self.get_object()
        serializer = self.get_serializer(point, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        if "organization" in serializer.validated_data:
            _require_org_scope(request.user, serializer.validated_data["organization"], "change")
        _refuse_enterprise_suppression(request.user, point, serializer.validated_data)
        point = services.update_point(point, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(point).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, description="ISO 8601 (default: 24 h ago)"),
            OpenApiParameter("end", str, description="ISO 8601 (default: now)"),
        ],
        responses=s.SeriesSerializer,
    )
    @action(detail=True, methods=["get"])
    def series(self, request: Request, pk: str | None = None) -> Response:
        """Trend data (raw or aggregated) with the alarm limits."""
        point = self.get_object()
        end = _parse_time(request.query_params.get("end"), "end") or timezone.now()
        start = _parse_time(request.query_params.get("start"), "start") or end - timedelta(hours=24)
        if start >= end:
            raise exceptions.ValidationError({"start": "start must be before end"})
        return Response(selectors.series_for(point, start=start, end=end))

    @extend_schema(request=s.HistoryUploadSerializer, responses=s.IngestResultSerializer)
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def history(self, request: Request) -> Response:
        """Upload history as CSV (``ts,point,value``); all rows or none; points must be editable."""
        form = s.HistoryUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            readings = readings_from_csv(form.validated_data["file"].read())
        except PayloadError as exc:
            raise exceptions.ValidationError({"file": exc.errors}) from None
        allowed = set(
            MonitoringPoint.objects.restrict(request.user, "change")
            .filter(code__in={r.point for r in readings})
            .values_list("code", flat=True)
        )
        unknown = sorted({r.point for r in readings} - allowed)
        if unknown:
            raise exceptions.ValidationError(
                {"file": [f"unknown or not editable point(s): {', '.join(unknown[:20])}"]}
            )
        result = ingest.ingest_readings(readings, evaluate=form.validated_data["evaluate"])
        return Response(result.to_dict())


def _parse_time(raw: str | None, field: str) -> Any:
    if not raw:
        return None
    parsed = parse_datetime(raw)
    if parsed is None:
        raise exceptions.ValidationError({field: "bad ISO 8601 time"})
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _refuse_fixed(request: Request, obj: Any, fields: tuple[str, ...]) -> None:
    """A body changing a field fixed after registration is a 400 naming it (sending the current
    value back, as a PUT of the representation does, is fine)."""
    data: Any = request.data
    if not isinstance(data, dict):  # not an object: the serializer answers 400
        return
    errors = {}
    for name in fields:
        if name in data:
            current = getattr(obj, f"{name}_id", None) if name == "organization" else getattr(obj, name)
            if str(data[name]) != str(current):
                errors[name] = ["cannot be changed after registration (登记后不能修改)"]
    if errors:
        raise exceptions.ValidationError(errors)


def _refuse_enterprise_suppression(user: Any, point: MonitoringPoint | None, data: dict[str, Any]) -> None:
    """Taking a point out of service silences its alarms for the duty desks: a decision of the
    bureau, like a maintenance window. A user whose point permission is bound to their enterprise
    (an enterprise safety manager) gets 403 when the body would change ``out_of_service``."""
    if "out_of_service" not in data:
        return
    current = point.out_of_service if point is not None else False
    perm = "monitoring.add_monitoringpoint" if point is None else "monitoring.change_monitoringpoint"
    if bool(data["out_of_service"]) != current and organisation_bound(user, perm):
        raise exceptions.PermissionDenied(
            "测点停用须由应急管理部门决定 (enterprise users cannot take points out of service)"
        )


def _require_org_scope(user: Any, organization: Any, verb: str) -> None:
    """An enterprise outside the user's scope is a field error (never a silent cross-scope write)."""
    if not directory_selectors.organizations_for(user).filter(pk=organization.pk).exists():
        raise exceptions.ValidationError({"organization": f"enterprise not in your scope ({verb})"})


class GatewayViewSet(RestrictedWriteViewSet):
    """Data-acquisition gateways; creating one (or rotating) returns its API token once."""

    queryset = Gateway.objects.select_related("organization").order_by("code")
    serializer_class = s.GatewaySerializer
    required_permissions = {
        "list": "monitoring.view_gateway",
        "retrieve": "monitoring.view_gateway",
        "create": "monitoring.add_gateway",
        "update": "monitoring.change_gateway",
        "partial_update": "monitoring.change_gateway",
        "rotate_token": "monitoring.change_gateway",
    }

    def get_queryset(self) -> Any:
        if self.action == "rotate_token":  # a write: the change scope, not the view scope
            return self.queryset.all().restrict(self.request.user, "change")
        return super().get_queryset()

    @extend_schema(responses=s.GatewayTokenSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _require_org_scope(request.user, serializer.validated_data["organization"], "add")
        gateway, token = services.create_gateway(actor=request.user, **serializer.validated_data)
        data = dict(s.GatewaySerializer(gateway).data, token=token)
        return Response(data, status=201)

    @extend_schema(request=s.GatewayUpdateSerializer, responses=s.GatewaySerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Rename a gateway or switch it off/on; ``code`` and ``organization`` are fixed."""
        gateway = self.get_object()
        _refuse_fixed(request, gateway, ("code", "organization"))
        body = s.GatewayUpdateSerializer(data=request.data, partial=kwargs.get("partial", False))
        body.is_valid(raise_exception=True)
        gateway = services.update_gateway(gateway, actor=request.user, **body.validated_data)
        return Response(s.GatewaySerializer(gateway).data)

    @extend_schema(request=s.GatewayUpdateSerializer, responses=s.GatewaySerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Rename a gateway or switch it off/on (only the fields sent)."""
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(request=None, responses=s.GatewayTokenSerializer)
    @action(detail=True, methods=["post"], url_path="rotate-token")
    def rotate_token(self, request: Request, pk: str | None = None) -> Response:
        """Issue a new token; the old one stops working."""
        gateway = self.get_object()
        token = services.rotate_gateway_token(gateway, actor=request.user)
        return Response(dict(s.GatewaySerializer(gateway).data, token=token))


class DeviceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Field devices (传感器/探测器) carrying monitoring points; ``code`` and ``organization`` are
    fixed once registered."""

    queryset = Device.objects.select_related("organization", "gateway").order_by("code")
    serializer_class = s.DeviceSerializer
    filterset_fields = ["organization", "gateway"]
    required_permissions = {
        "list": "monitoring.view_device",
        "retrieve": "monitoring.view_device",
        "create": "monitoring.add_device",
        "update": "monitoring.change_device",
        "partial_update": "monitoring.change_device",
    }

    def get_queryset(self) -> Any:
        if self.action in ("update", "partial_update"):
            return Device.objects.restrict(self.request.user, "change").select_related(
                "organization", "gateway"
            )
        return selectors.devices_for(self.request.user)

    @extend_schema(request=s.DeviceUpdateSerializer, responses=s.DeviceSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change name, gateway (same enterprise), model, serial number."""
        device = self.get_object()
        _refuse_fixed(request, device, ("code", "organization"))
        body = s.DeviceUpdateSerializer(data=request.data, partial=kwargs.get("partial", False))
        body.is_valid(raise_exception=True)
        device = services.update_device(device, actor=request.user, **body.validated_data)
        return Response(s.DeviceSerializer(device).data)

    @extend_schema(request=s.DeviceUpdateSerializer, responses=s.DeviceSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change name, gateway (same enterprise), model, serial number (only the fields sent)."""
        return self.update(request, *args, partial=True, **kwargs)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _require_org_scope(request.user, serializer.validated_data["organization"], "add")
        device = services.create_device(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(device).data, status=201)


class MaintenanceWindowViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Maintenance windows (no alarms raised for the covered points while they last); a running
    one can be ended early (``end``), an upcoming one cancelled (``cancel``)."""

    queryset = MaintenanceWindow.objects.order_by("-starts_at")
    serializer_class = s.MaintenanceWindowSerializer
    required_permissions = {
        "list": "monitoring.view_maintenancewindow",
        "retrieve": "monitoring.view_maintenancewindow",
        "create": "monitoring.add_maintenancewindow",
        "end": "monitoring.change_maintenancewindow",
        "cancel": "monitoring.change_maintenancewindow",
    }

    def get_queryset(self) -> Any:
        if self.action in ("end", "cancel"):
            return MaintenanceWindow.objects.restrict(self.request.user, "change")
        return selectors.maintenance_windows_for(self.request.user)

    @extend_schema(request=None, responses=s.MaintenanceWindowSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        """End a running window now (400 ``ends_at`` when it has not started or has ended)."""
        window = services.end_maintenance_window(self.get_object(), actor=request.user)
        return Response(self.get_serializer(window).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel (delete, audited) a window that has not started (400 ``starts_at`` otherwise)."""
        services.cancel_maintenance_window(self.get_object(), actor=request.user)
        return Response(status=204)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _require_org_scope(request.user, serializer.validated_data["organization"], "add")
        window = services.create_maintenance_window(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(window).data, status=201)


class AlarmFilter(django_filters.FilterSet):
    """Alarm filters (plain strings, validated against the model's choices)."""

    state = django_filters.CharFilter(
        field_name="state", help_text="raised|acknowledged|handled|closed|shelved"
    )
    kind = django_filters.CharFilter(field_name="kind", help_text="limit|roc|offline")
    priority = django_filters.CharFilter(field_name="priority", help_text="critical|warning|info")

    class Meta:
        model = Alarm
        fields = ["point", "active", "is_demo"]


class AlarmViewSet(RestrictedReadOnlyViewSet):
    """Alarms; lifecycle actions acknowledge → handle → close, shelve/unshelve, notes."""

    queryset = Alarm.objects.select_related("point").order_by("-raised_at", "-id")
    filterset_class = AlarmFilter
    required_permissions = {
        "list": "monitoring.view_alarm",
        "retrieve": "monitoring.view_alarm",
        "acknowledge": _CHANGE_ALARM,
        "handle": _CHANGE_ALARM,
        "close": _CHANGE_ALARM,
        "shelve": _CHANGE_ALARM,
        "unshelve": _CHANGE_ALARM,
        "notes": "monitoring.add_alarmnote",
    }

    def get_serializer_class(self) -> Any:
        return s.AlarmDetailSerializer if self.action == "retrieve" else s.AlarmSerializer

    def _alarm(self, verb: str) -> Alarm:
        return selectors.get_alarm_for(self.request.user, int(self.kwargs["pk"]), verb)

    def _done(self, alarm: Alarm) -> Response:
        alarm.refresh_from_db()
        return Response(s.AlarmDetailSerializer(alarm).data)

    @extend_schema(request=s.NoteInputSerializer, responses=s.AlarmDetailSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        """Acknowledge a raised alarm (optional note)."""
        form = s.NoteInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        alarm = services.acknowledge_alarm(
            self._alarm("change"), actor=request.user, note=form.validated_data["note"]
        )
        return self._done(alarm)

    @extend_schema(request=s.RequiredNoteSerializer, responses=s.AlarmDetailSerializer)
    @action(detail=True, methods=["post"])
    def handle(self, request: Request, pk: str | None = None) -> Response:
        """Record the disposal (note required)."""
        form = s.RequiredNoteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        alarm = services.handle_alarm(
            self._alarm("change"), actor=request.user, note=form.validated_data["note"]
        )
        return self._done(alarm)

    @extend_schema(request=s.NoteInputSerializer, responses=s.AlarmDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Close a handled alarm (optional note)."""
        form = s.NoteInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        alarm = services.close_alarm(
            self._alarm("change"), actor=request.user, note=form.validated_data["note"]
        )
        return self._done(alarm)

    @extend_schema(request=s.ShelveInputSerializer, responses=s.AlarmDetailSerializer)
    @action(detail=True, methods=["post"])
    def shelve(self, request: Request, pk: str | None = None) -> Response:
        """Shelve an open alarm until a time, with a reason."""
        form = s.ShelveInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        alarm = services.shelve_alarm(
            self._alarm("change"),
            actor=request.user,
            until=form.validated_data["until"],
            reason=form.validated_data["reason"],
        )
        return self._done(alarm)

    @extend_schema(request=None, responses=s.AlarmDetailSerializer)
    @action(detail=True, methods=["post"])
    def unshelve(self, request: Request, pk: str | None = None) -> Response:
        """Return a shelved alarm to its former state."""
        alarm = services.unshelve_alarm(self._alarm("change"), actor=request.user)
        return self._done(alarm)

    @extend_schema(request=s.TextInputSerializer, responses=s.AlarmNoteSerializer)
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, pk: str | None = None) -> Response:
        """Add a disposal note."""
        form = s.TextInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        alarm = selectors.get_alarm_for(request.user, int(self.kwargs["pk"]), "view")
        note = services.add_alarm_note(alarm, actor=request.user, text=form.validated_data["text"])
        return Response(s.AlarmNoteSerializer(note).data, status=201)


class GatewayTokenAuthentication(BaseAuthentication):
    """``Authorization: Gateway <token>`` (or ``X-Gateway-Token``) → the gateway as ``request.auth``."""

    keyword = "Gateway"

    def authenticate(self, request: Request) -> tuple[Any, Gateway] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        token = ""
        if header.startswith(self.keyword + " "):
            token = header[len(self.keyword) + 1 :].strip()
        token = token or request.META.get("HTTP_X_GATEWAY_TOKEN", "").strip()
        if not token:
            return None
        gateway = services.gateway_for_token(token)
        if gateway is None:
            raise exceptions.AuthenticationFailed("invalid or inactive gateway token")
        return AnonymousUser(), gateway

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class GatewayTokenScheme(OpenApiAuthenticationExtension):
    """OpenAPI description of the gateway token."""

    target_class = GatewayTokenAuthentication
    name = "gatewayToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "header", "name": "Authorization", "description": "Gateway <token>"}


class HasGatewayToken(permissions.BasePermission):
    """The request authenticated as a gateway."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, Gateway)


class IngestViewSet(viewsets.GenericViewSet):
    """Gateway batch ingest: ``POST {"readings": [{"point", "ts", "value"}, ...]}`` (≤ 10,000).

    Authenticated by the gateway token (no user). Answers 200 only after the batch is
    committed (stored, alarms evaluated); readings for unknown points or points of other
    gateways are listed in ``rejected`` and not stored; a malformed body is a 400 with
    per-reading errors and nothing stored; resending a batch is harmless (duplicates skipped).
    """

    authentication_classes = [GatewayTokenAuthentication]
    permission_classes = [DeclaredPermission, HasGatewayToken]
    parser_classes = [JSONParser]
    serializer_class = s.IngestBatchSerializer
    required_permissions = {"create": PUBLIC}

    @extend_schema(request=s.IngestBatchSerializer, responses=s.IngestResultSerializer)
    def create(self, request: Request) -> Response:
        try:
            readings = readings_from_json(request.data)
        except PayloadError as exc:
            raise exceptions.ValidationError({"readings": exc.errors}) from None
        gateway = request.auth
        assert isinstance(gateway, Gateway)
        try:
            result = ingest.ingest_readings(readings, gateway=gateway)
        except DjangoValidationError as exc:  # pragma: no cover - defensive
            raise exceptions.ValidationError(exc.messages) from None
        return Response(result.to_dict())
