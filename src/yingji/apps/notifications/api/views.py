"""Notifications API: the caller's inbox, recent desk events, the outbox (administrators)."""

from __future__ import annotations

from typing import Any

from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yingji.apps.core.api import AUTHENTICATED, RestrictedReadOnlyViewSet
from yingji.apps.notifications import selectors, services
from yingji.apps.notifications.api.serializers import (
    DeskEventSerializer,
    OutboxMessageSerializer,
    UserNotificationSerializer,
)
from yingji.apps.notifications.models import DeskEvent, OutboxMessage


class UserNotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's own in-app notifications (``?unread=1`` for unread only); mark one or all read."""

    serializer_class = UserNotificationSerializer
    required_permissions = {
        "list": AUTHENTICATED,
        "retrieve": AUTHENTICATED,
        "read": AUTHENTICATED,
        "read_all": AUTHENTICATED,
    }

    def get_queryset(self) -> Any:
        qs = selectors.notifications_for(self.request.user)
        if self.request.query_params.get("unread") in ("1", "true"):
            qs = qs.filter(read_at__isnull=True)
        return qs

    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        notification = self.get_object()
        services.mark_notification_read(notification, actor=request.user)
        return Response(self.get_serializer(notification).data)

    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return Response({"marked": services.mark_all_read(actor=request.user)})


class DeskEventViewSet(RestrictedReadOnlyViewSet):
    """Recent desk events visible to the caller (``?after=ID`` for newer ones); the live feed is SSE."""

    queryset = DeskEvent.objects.select_related("division").order_by("-id")
    serializer_class = DeskEventSerializer
    required_permissions = {
        "list": "notifications.view_deskevent",
        "retrieve": "notifications.view_deskevent",
    }

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        after = self.request.query_params.get("after")
        return qs.filter(id__gt=int(after)) if after and after.isdigit() else qs


class OutboxMessageViewSet(RestrictedReadOnlyViewSet):
    """The notification outbox (delivery state of every message); administrators only."""

    queryset = OutboxMessage.objects.select_related("recipient")
    serializer_class = OutboxMessageSerializer
    filterset_fields = ["channel", "status"]
    required_permissions = {
        "list": "notifications.manage_outbox",
        "retrieve": "notifications.manage_outbox",
    }
