"""Delivering queued outbox messages (called by the Huey tasks, never inside a business transaction).

Kept apart from ``services.py`` so that the tasks can call it while ``services``
schedules the tasks (no import cycle).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from yingji.apps.notifications import channels
from yingji.apps.notifications.models import OutboxMessage, OutboxStatus

BACKOFF_BASE_S = 30
BACKOFF_MAX_S = 3600


def backoff(attempts: int) -> timedelta:
    """Wait before attempt ``attempts + 1``: 30 s, 60 s, 120 s ... doubling, at most 1 h."""
    return timedelta(seconds=min(BACKOFF_MAX_S, BACKOFF_BASE_S * 2 ** max(0, attempts - 1)))


def deliver_outbox_message(message_id: int, *, now: datetime | None = None) -> OutboxMessage | None:
    """Try to deliver one queued message; idempotent.

    Locks the row, re-checks that it is still ``queued`` and due (``next_attempt_at <=
    now``), calls the channel adapter, then marks it ``sent``; on ``ChannelError`` counts
    the attempt, stores the error and sets ``next_attempt_at`` by ``backoff`` - or marks
    it ``failed`` after ``OutboxMessage.MAX_ATTEMPTS`` attempts.

    Args:
        message_id: the outbox row id.
        now: aware "current" time (tests pass a controlled clock).

    Returns:
        The message after the attempt, or None when it does not exist.
    """
    now = now or timezone.now()
    with transaction.atomic():
        msg = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if msg is None or msg.status != OutboxStatus.QUEUED or msg.next_attempt_at > now:
            return msg
        msg.attempts += 1
        try:
            channels.deliver(msg)
        except channels.ChannelError as exc:
            msg.last_error = str(exc)[:500]
            if msg.attempts >= OutboxMessage.MAX_ATTEMPTS:
                msg.status = OutboxStatus.FAILED
            else:
                msg.next_attempt_at = now + backoff(msg.attempts)
        else:
            msg.status = OutboxStatus.SENT
            msg.sent_at = now
            msg.last_error = ""
        msg.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"])
    return msg


def due_message_ids(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Ids of queued messages whose ``next_attempt_at`` has come, oldest first (at most ``limit``)."""
    now = now or timezone.now()
    qs = OutboxMessage.objects.filter(status=OutboxStatus.QUEUED, next_attempt_at__lte=now)
    return list(qs.order_by("next_attempt_at", "id").values_list("id", flat=True)[:limit])
