"""Reads of notifications: the user's inbox (owner-scoped) and the live desk events (grant-scoped)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from yingji.apps.notifications.models import DeskEvent, OutboxMessage, UserNotification


def notifications_for(user: Any) -> QuerySet[UserNotification]:
    """The signed-in user's own in-app notifications, newest first.

    A personal inbox: scoped to its owner, not by grants (every signed-in user has one).
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return UserNotification.objects.none()
    return UserNotification.objects.filter(user=user).order_by("-id")


def get_notification_for(user: Any, pk: int) -> UserNotification:
    """One notification of ``user``; ``Http404`` otherwise."""
    return get_object_or_404(notifications_for(user), pk=pk)


def unread_count(user: Any) -> int:
    """How many of ``user``'s notifications are unread."""
    return notifications_for(user).filter(read_at__isnull=True).count()


def desk_events_for(user: Any) -> QuerySet[DeskEvent]:
    """Desk events ``user`` may see (restricted by division), oldest first."""
    return DeskEvent.objects.restrict(user, "view").order_by("id")


def desk_events_after(user: Any, last_id: int, *, limit: int = 50) -> list[DeskEvent]:
    """Up to ``limit`` desk events visible to ``user`` with id > ``last_id``, oldest first."""
    return list(desk_events_for(user).filter(id__gt=last_id)[:limit])


def latest_desk_event_id() -> int:
    """The newest desk event id overall (0 when none): where a fresh stream starts."""
    return DeskEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def outbox_for(user: Any) -> QuerySet[OutboxMessage]:
    """Outbox rows for administrators (``restrict``; the view requires ``notifications.manage_outbox``)."""
    return OutboxMessage.objects.restrict(user, "view").select_related("recipient")
