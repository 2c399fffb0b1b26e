"""Huey tasks of the notifications app: thin, idempotent, take ids."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from yingji.apps.notifications import delivery
from yingji.apps.notifications.models import DeskEvent, OutboxStatus


@db_task()
def send_outbox_message_task(message_id: int) -> str:
    """Deliver outbox message ``message_id`` now; on failure schedule the next attempt.

    Returns the message status afterwards (``"missing"`` when the row is gone).
    """
    msg = delivery.deliver_outbox_message(message_id)
    if msg is None:
        return "missing"
    if msg.status == OutboxStatus.QUEUED:
        send_outbox_message_task.schedule(args=(message_id,), eta=msg.next_attempt_at)
    return str(msg.status)


@db_periodic_task(crontab(minute="*"))
def flush_outbox_task() -> int:
    """Every minute: deliver every queued message that is due (covers restarts and lost timers)."""
    done = 0
    for message_id in delivery.due_message_ids():
        delivery.deliver_outbox_message(message_id)
        done += 1
    return done


@db_periodic_task(crontab(hour="3", minute="17"))
def prune_desk_events_task() -> int:
    """Daily: delete desk events older than ``YINGJI_DESK_EVENT_KEEP_DAYS`` (default 7) days."""
    keep = int(getattr(settings, "YINGJI_DESK_EVENT_KEEP_DAYS", 7))
    deleted, _ = DeskEvent.objects.filter(created_at__lt=timezone.now() - timedelta(days=keep)).delete()
    return deleted
