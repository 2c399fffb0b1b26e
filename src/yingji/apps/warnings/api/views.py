"""API of 预警发布: county warnings with workflow actions, upstream messages, configuration, public list."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yingji.apps.core.api import RestrictedReadOnlyViewSet, RestrictedWriteViewSet
from yingji.apps.warnings import ingest, selectors, services
from yingji.apps.warnings.api.serializers import (
    ApproveSerializer,
    DeliveryStatsSerializer,
    DeriveSerializer,
    FeedSourceSerializer,
    PublicWarningSerializer,
    RecipientSerializer,
    RejectSerializer,
    TriggerRuleSerializer,
    UpstreamAlertSerializer,
    WarningDetailSerializer,
    WarningSerializer,
    WarningTemplateSerializer,
)
from yingji.apps.warnings.models import (
    FeedSource,
    PublicWarning,
    Recipient,
    TriggerRule,
    UpstreamAlert,
    Warning,
    WarningTemplate,
)

_W = "warnings.view_warning"


class WarningViewSet(RestrictedWriteViewSet):
    """County warnings (CAP 1.2). Create/update drafts; workflow through the actions (two-person rule)."""

    queryset = Warning.objects.select_related("template").prefetch_related("areas").order_by("-created_at")
    filterset_fields = ["state", "msg_type", "severity", "status"]
    lookup_value_regex = r"\d+"
    required_permissions = {
        "list": _W,
        "retrieve": _W,
        "create": "warnings.add_warning",
        "update": "warnings.change_warning",
        "partial_update": "warnings.change_warning",
        "submit": "warnings.change_warning",
        "approve": "warnings.approve_warning",
        "reject": "warnings.approve_warning",
        "release": "warnings.release_warning",
        "start_update": "warnings.add_warning",
        "start_cancel": "warnings.add_warning",
        "deliveries": _W,
    }

    def get_serializer_class(self) -> Any:
        return WarningDetailSerializer if self.action == "retrieve" else WarningSerializer

    def _fields(self, data: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        data = dict(data)
        areas = data.pop("areas", None)
        return areas, data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        areas, fields = self._fields(serializer.validated_data)
        warning = services.create_warning(actor=request.user, areas=areas or [], **fields)
        return Response(WarningSerializer(warning, context={"request": request}).data, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        warning = self.get_object()
        serializer = self.get_serializer(warning, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        areas, fields = self._fields(serializer.validated_data)
        warning = services.edit_warning(warning, actor=request.user, areas=areas, **fields)
        return Response(WarningSerializer(warning, context={"request": request}).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def _done(self, request: Request, warning: Warning, status: int = 200) -> Response:
        return Response(WarningSerializer(warning, context={"request": request}).data, status=status)

    @extend_schema(request=None, responses=WarningSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """Send a draft for approval (checks the CAP output first)."""
        return self._done(request, services.submit_warning(self.get_object(), actor=request.user))

    @extend_schema(request=ApproveSerializer, responses=WarningSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve (second person only: the author or submitter gets 403)."""
        s = ApproveSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        warning = services.approve_warning(
            self.get_object(), actor=request.user, note=s.validated_data.get("note", "")
        )
        return self._done(request, warning)

    @extend_schema(request=RejectSerializer, responses=WarningSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Return to the author with a reason."""
        s = RejectSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        return self._done(
            request, services.reject_warning(self.get_object(), actor=request.user, **s.validated_data)
        )

    @extend_schema(request=None, responses=WarningSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str | None = None) -> Response:
        """Release: CAP XML at its stable URL, Atom feed, dissemination queued."""
        return self._done(request, services.release_warning(self.get_object(), actor=request.user))

    @extend_schema(request=None, responses=WarningSerializer)
    @action(detail=True, methods=["post"], url_path="update-message")
    def start_update(self, request: Request, pk: str | None = None) -> Response:
        """Create a draft Update of a released warning (references set)."""
        return self._done(request, services.start_update(self.get_object(), actor=request.user), 201)

    @extend_schema(request=None, responses=WarningSerializer)
    @action(detail=True, methods=["post"], url_path="cancel-message")
    def start_cancel(self, request: Request, pk: str | None = None) -> Response:
        """Create and submit a Cancel of a released warning (references set)."""
        return self._done(request, services.start_cancel(self.get_object(), actor=request.user), 201)

    @extend_schema(request=None, responses=DeliveryStatsSerializer)
    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, pk: str | None = None) -> Response:
        """Queued/sent/delivered/failed/retried per channel (totals) and per channel × division (rows)."""
        stats = selectors.delivery_stats(request.user, self.get_object())
        return Response(DeliveryStatsSerializer(stats).data)


class UpstreamAlertViewSet(RestrictedReadOnlyViewSet):
    """Received upstream CAP messages with verdict, defect list, lineage state and assessment."""

    queryset = UpstreamAlert.objects.select_related("source")
    serializer_class = UpstreamAlertSerializer
    filterset_fields = ["state", "intersects_county", "msg_type", "sender"]
    required_permissions = {
        "list": "warnings.view_upstreamalert",
        "retrieve": "warnings.view_upstreamalert",
        "ingest": "warnings.add_upstreamalert",
        "derive": "warnings.add_warning",
    }

    @extend_schema(request={"application/cap+xml": bytes}, responses=UpstreamAlertSerializer)
    @action(detail=False, methods=["post"], parser_classes=[], url_path="ingest")
    def ingest(self, request: Request) -> Response:
        """Upload one CAP document as the request body (manual source). 201 new, 200 duplicate."""
        outcome = ingest.ingest_cap(
            request.body, source=ingest.manual_source(), origin="api", actor=request.user
        )
        return Response(UpstreamAlertSerializer(outcome.alert).data, status=201 if outcome.created else 200)

    @extend_schema(request=DeriveSerializer, responses=WarningSerializer)
    @action(detail=True, methods=["post"])
    def derive(self, request: Request, pk: str | None = None) -> Response:
        """A duty officer derives a county draft from this message."""
        s = DeriveSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        warning = ingest.derive_warning_from_upstream(
            self.get_object(), actor=request.user, template=s.validated_data.get("template")
        )
        return Response(WarningSerializer(warning, context={"request": request}).data, status=201)


class FeedSourceViewSet(RestrictedWriteViewSet):
    """Upstream sources. Creating a push source returns its token once (``token``)."""

    queryset = FeedSource.objects.all()
    serializer_class = FeedSourceSerializer
    required_permissions = {
        "list": "warnings.view_feedsource",
        "retrieve": "warnings.view_feedsource",
        "create": "warnings.add_feedsource",
        "update": "warnings.change_feedsource",
        "partial_update": "warnings.change_feedsource",
    }

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        source, token = ingest.create_feed_source(actor=request.user, **s.validated_data)
        data = dict(self.get_serializer(source).data)
        if token:
            data["token"] = token
        return Response(data, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        source = self.get_object()
        s = self.get_serializer(source, data=request.data, partial=kwargs.get("partial", False))
        s.is_valid(raise_exception=True)
        return Response(
            self.get_serializer(
                ingest.update_feed_source(source, actor=request.user, **s.validated_data)
            ).data
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)


class _ConfigViewSet(RestrictedWriteViewSet):
    create_service: Any = None
    update_service: Any = None

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        obj = type(self).create_service(actor=request.user, **s.validated_data)
        return Response(self.get_serializer(obj).data, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        s = self.get_serializer(obj, data=request.data, partial=kwargs.get("partial", False))
        s.is_valid(raise_exception=True)
        return Response(
            self.get_serializer(type(self).update_service(obj, actor=request.user, **s.validated_data)).data
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)


def _perms(model: str) -> dict[str, str]:
    return {
        "list": f"warnings.view_{model}",
        "retrieve": f"warnings.view_{model}",
        "create": f"warnings.add_{model}",
        "update": f"warnings.change_{model}",
        "partial_update": f"warnings.change_{model}",
    }


class TriggerRuleViewSet(_ConfigViewSet):
    """Trigger rules (data, editable): upstream event/level, alarm or incident → proposed draft."""

    queryset = TriggerRule.objects.select_related("template")
    serializer_class = TriggerRuleSerializer
    required_permissions = _perms("triggerrule")
    create_service = staticmethod(services.create_rule)
    update_service = staticmethod(services.update_rule)


class WarningTemplateViewSet(_ConfigViewSet):
    """Bilingual templates per hazard."""

    queryset = WarningTemplate.objects.all()
    serializer_class = WarningTemplateSerializer
    required_permissions = _perms("warningtemplate")
    create_service = staticmethod(services.create_template)
    update_service = staticmethod(services.update_template)


class RecipientViewSet(_ConfigViewSet):
    """Recipients per division and channel (restricted to the caller's divisions)."""

    queryset = Recipient.objects.select_related("division")
    serializer_class = RecipientSerializer
    filterset_fields = ["channel", "is_demo", "active"]
    required_permissions = _perms("recipient")
    create_service = staticmethod(services.create_recipient)
    update_service = staticmethod(services.update_recipient)


class PublicWarningViewSet(RestrictedReadOnlyViewSet):
    """Released, active Actual warnings (public viewer role)."""

    queryset = PublicWarning.objects.all()
    serializer_class = PublicWarningSerializer
    lookup_field = "identifier"
    required_permissions = {"list": "warnings.view_publicwarning", "retrieve": "warnings.view_publicwarning"}

    def get_queryset(self) -> Any:
        return selectors.public_warnings_for(self.request.user)
