"""Pages: the notification list (with the bell partial), mark-read, and the live desk event stream (SSE)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import ListView

from yingji.apps.core.permissions import AUTHENTICATED
from yingji.apps.core.views import DeclaredPermissionMixin
from yingji.apps.notifications import selectors, services

POLL_INTERVAL_S = 0.5
HEARTBEAT_S = 10.0


def stream_seconds() -> float:
    """How long one SSE response lasts before the browser reconnects (``YINGJI_DESK_STREAM_SECONDS``, 25)."""
    return float(getattr(settings, "YINGJI_DESK_STREAM_SECONDS", 25))


class NotificationListView(DeclaredPermissionMixin, ListView):
    """``/notifications/``: the signed-in user's in-app notifications, unread first marked."""

    required_permission = AUTHENTICATED
    template_name = "notifications/list.html"
    context_object_name = "notifications"
    paginate_by = 50

    def get_queryset(self) -> Any:
        return selectors.notifications_for(self.request.user)


class BellView(DeclaredPermissionMixin, View):
    """``/notifications/bell/``: the header bell partial (unread count + newest five), for HTMX."""

    required_permission = AUTHENTICATED

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "notifications/_bell.html",
            {
                "unread": selectors.unread_count(request.user),
                "latest": selectors.notifications_for(request.user)[:5],
            },
        )


class MarkReadView(DeclaredPermissionMixin, View):
    """``POST /notifications/<pk>/read/``: mark read, then go to the notification's link (or back)."""

    required_permission = AUTHENTICATED

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification = selectors.get_notification_for(request.user, pk)
        services.mark_notification_read(notification, actor=request.user)
        target = notification.url or reverse("notifications:list")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("notifications:list")
        return HttpResponseRedirect(target)


class MarkAllReadView(DeclaredPermissionMixin, View):
    """``POST /notifications/read-all/``."""

    required_permission = AUTHENTICATED

    def post(self, request: HttpRequest) -> HttpResponse:
        services.mark_all_read(actor=request.user)
        return HttpResponseRedirect(reverse("notifications:list"))


def _last_id(request: HttpRequest) -> int:
    for raw in (request.headers.get("Last-Event-ID"), request.GET.get("after")):
        if raw is not None and raw.strip().isdigit():
            return int(raw.strip())
    return selectors.latest_desk_event_id()


class DeskEventStreamView(DeclaredPermissionMixin, View):
    """``GET /notifications/stream/``: server-sent events of new ``DeskEvent`` rows the user may see.

    Resumes after ``Last-Event-ID`` (sent by the browser on reconnect) or ``?after=ID``
    (the id the page was rendered with), else starts at the newest event. Polls every
    0.5 s, sends a comment heartbeat every 10 s, and ends after
    ``YINGJI_DESK_STREAM_SECONDS`` (``?max_s=`` may shorten it) so that browsers
    reconnect (``retry: 1000``) and worker threads are never held for long.
    Each event: ``id: <id>``, ``event: desk``, ``data: <DeskEvent.as_payload() JSON>``.
    """

    required_permission = "notifications.view_deskevent"

    def get(self, request: HttpRequest) -> StreamingHttpResponse:
        last_id = _last_id(request)
        limit = stream_seconds()
        try:
            limit = max(0.0, min(limit, float(request.GET.get("max_s", limit))))
        except ValueError:
            pass
        response = StreamingHttpResponse(
            self._events(request.user, last_id, limit), content_type="text/event-stream; charset=utf-8"
        )
        response["Cache-Control"] = "no-cache, no-store"
        response["X-Accel-Buffering"] = "no"
        return response

    @staticmethod
    def _events(user: Any, last_id: int, limit: float) -> Iterator[str]:
        yield f"retry: 1000\nid: {last_id}\n\n"
        end = time.monotonic() + limit
        beat = time.monotonic()
        while True:
            for event in selectors.desk_events_after(user, last_id):
                last_id = event.pk
                data = json.dumps(event.as_payload(), ensure_ascii=False)
                yield f"id: {event.pk}\nevent: desk\ndata: {data}\n\n"
            now = time.monotonic()
            if now >= end:
                break
            if now - beat >= HEARTBEAT_S:
                beat = now
                yield ": heartbeat\n\n"
            time.sleep(min(POLL_INTERVAL_S, max(0.0, end - now)))
