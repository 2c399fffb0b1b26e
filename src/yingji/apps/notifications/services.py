"""Write use cases of notifications: queue a message (outbox), publish a desk event, read marks.

``queue_notification`` is called INSIDE the business transaction that causes the
message: the outbox row commits or rolls back with it, and delivery is started only
after commit (``transaction.on_commit``), so nothing is sent for a change that did
not happen and nothing committed is lost (the periodic flush picks it up).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from yingji.apps.audit.services import record_change, snapshot
from yingji.apps.notifications import tasks
from yingji.apps.notifications.models import Channel, DeskEvent, OutboxMessage, UserNotification

SEVERITIES = ("info", "warning", "critical")


def queue_notification(
    *,
    channel: str,
    subject: str,
    dedupe_key: str,
    recipient: Any = None,
    address: str = "",
    body: str = "",
    url: str = "",
    severity: str = "info",
) -> OutboxMessage | None:
    """Write one outbox message in the current transaction; delivery starts after commit.

    Args:
        channel: ``in_app``, ``email`` or ``sms``.
        subject: short title (≤ 200 characters, cut).
        dedupe_key: unique idempotency key (≤ 200); queueing a key again returns the existing row.
        recipient: a user (required for in-app; for email/SMS the address defaults to the
            user's ``email`` / ``phone``).
        address: email address or phone number (overrides the recipient's).
        body, url: message text and a link into the platform.
        severity: ``info`` / ``warning`` / ``critical``.

    Returns:
        The outbox row, or None when there is nowhere to send (an email/SMS recipient
        without address).

    Raises:
        ValidationError: unknown channel or severity, in-app without recipient, empty key.
    """
    if channel not in Channel.values:
        raise ValidationError({"channel": f"unknown channel {channel!r}"})
    if severity not in SEVERITIES:
        raise ValidationError({"severity": f"unknown severity {severity!r}"})
    if not dedupe_key:
        raise ValidationError({"dedupe_key": "a dedupe key is required"})
    if channel == Channel.IN_APP and recipient is None:
        raise ValidationError({"recipient": "in-app notifications need a recipient user"})
    if not address and recipient is not None:
        if channel == Channel.EMAIL:
            address = getattr(recipient, "email", "") or ""
        elif channel == Channel.SMS:
            address = getattr(recipient, "phone", "") or ""
    if channel != Channel.IN_APP and not address:
        return None
    existing = OutboxMessage.objects.filter(dedupe_key=dedupe_key[:200]).first()
    if existing is not None:
        return existing
    msg = OutboxMessage(
        channel=channel,
        recipient=recipient,
        address=address[:254],
        subject=subject[:200],
        body=body,
        url=url[:300],
        severity=severity,
        dedupe_key=dedupe_key[:200],
        next_attempt_at=timezone.now(),
    )
    msg.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            msg.save()
    except IntegrityError:  # queued concurrently under the same key
        return OutboxMessage.objects.get(dedupe_key=dedupe_key[:200])
    message_id = msg.pk
    transaction.on_commit(lambda: tasks.send_outbox_message_task(message_id))
    return msg


def notify_user(
    user: Any,
    *,
    subject: str,
    dedupe_key: str,
    body: str = "",
    url: str = "",
    severity: str = "info",
    channels: tuple[str, ...] = (Channel.IN_APP, Channel.EMAIL, Channel.SMS),
) -> list[OutboxMessage]:
    """Queue one message per channel for ``user`` (keys ``<dedupe_key>:<channel>``).

    See ``queue_notification`` for the arguments.

    Channels without an address for the user (no email, no phone) are skipped.
    """
    out = []
    for channel in channels:
        msg = queue_notification(
            channel=channel,
            subject=subject,
            dedupe_key=f"{dedupe_key}:{channel}",
            recipient=user,
            body=body,
            url=url,
            severity=severity,
        )
        if msg is not None:
            out.append(msg)
    return out


def publish_desk_event(
    *, kind: str, title: str, url: str = "", severity: str = "info", division: Any = None
) -> None:
    """Publish a live desk event once the current transaction commits (at once outside one).

    Args:
        kind: e.g. ``incident.created``, ``deadline.overdue``, ``alarm.raised``.
        title: the toast text (≤ 200 characters, cut).
        url: where the toast links to.
        severity: ``info`` / ``warning`` / ``critical`` (warning and critical beep).
        division: the ``AdministrativeDivision`` the event belongs to; users see it when
            their grant covers it (None: unrestricted users only).

    Raises:
        ValidationError: unknown severity.
    """
    if severity not in SEVERITIES:
        raise ValidationError({"severity": f"unknown severity {severity!r}"})
    values = {
        "kind": kind[:40],
        "title": title[:200],
        "url": url[:300],
        "severity": severity,
        "division": division,
    }
    transaction.on_commit(lambda: DeskEvent.objects.create(**values))


def mark_notification_read(notification: UserNotification, *, actor: Any) -> UserNotification:
    """Mark one of ``actor``'s notifications read (idempotent).

    Raises:
        PermissionError: the notification belongs to someone else.
    """
    if notification.user_id != getattr(actor, "pk", None):
        raise PermissionError("not your notification")
    if notification.read_at is None:
        with transaction.atomic():
            before = snapshot(notification)
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
            record_change(notification, "update", before, actor=actor)
    return notification


def mark_all_read(*, actor: Any) -> int:
    """Mark every unread notification of ``actor`` read; returns how many were marked."""
    return UserNotification.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())
