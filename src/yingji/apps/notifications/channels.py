"""Channel adapters: deliver one ``OutboxMessage`` on its channel, or raise ``ChannelError``.

* in-app: a ``UserNotification`` row (idempotent: one per outbox message);
* email: Django's configured email backend (``send_mail``);
* SMS: an HTTP gateway. ``POST <YINGJI_SMS_GATEWAY_URL>`` with JSON
  ``{"to": "<phone>", "text": "<subject + body>", "id": "<dedupe key>"}``; any 2xx
  answer is success, anything else (or a network error / 5 s timeout) a
  ``ChannelError``. The ``id`` lets a gateway drop repeats. An empty URL means
  SMS is not configured: the message fails with that reason.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail

from yingji.apps.notifications.models import Channel, OutboxMessage, UserNotification

SMS_TIMEOUT_S = 5.0
SMS_MAX_CHARS = 500


class ChannelError(Exception):
    """Delivery failed; the message (``str``) is stored as ``last_error``."""


def sms_gateway_url() -> str:
    """The configured SMS gateway URL (``YINGJI_SMS_GATEWAY_URL``), ``""`` when unset."""
    return str(getattr(settings, "YINGJI_SMS_GATEWAY_URL", "") or "")


def deliver_in_app(message: OutboxMessage) -> None:
    """Create the recipient's ``UserNotification`` (once per outbox message).

    Raises:
        ChannelError: the message has no recipient user.
    """
    if message.recipient_id is None:
        raise ChannelError("in-app message without a recipient user")
    UserNotification.objects.get_or_create(
        outbox=message,
        defaults={
            "user_id": message.recipient_id,
            "title": message.subject,
            "body": message.body,
            "url": message.url,
            "severity": message.severity,
        },
    )


def deliver_email(message: OutboxMessage) -> None:
    """Send through Django's email backend to ``message.address``.

    Raises:
        ChannelError: no address, or the backend raised.
    """
    if not message.address:
        raise ChannelError("email message without an address")
    try:
        send_mail(
            message.subject,
            message.body + (f"\n\n{message.url}" if message.url else ""),
            None,
            [message.address],
            fail_silently=False,
        )
    except Exception as exc:  # the backend may raise anything (SMTP, socket...)
        raise ChannelError(f"email: {type(exc).__name__}: {exc}") from exc


def deliver_sms(message: OutboxMessage) -> None:
    """POST the message to the SMS gateway (see module docstring).

    Raises:
        ChannelError: no gateway configured, no number, network error, timeout or non-2xx answer.
    """
    url = sms_gateway_url()
    if not url:
        raise ChannelError("SMS gateway not configured (YINGJI_SMS_GATEWAY_URL)")
    if not url.startswith(("http://", "https://")):
        raise ChannelError("SMS gateway URL must be http(s)")
    if not message.address:
        raise ChannelError("SMS message without a phone number")
    text = message.subject if not message.body else f"{message.subject}：{message.body}"
    payload = json.dumps(
        {"to": message.address, "text": text[:SMS_MAX_CHARS], "id": message.dedupe_key}, ensure_ascii=False
    ).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url, data=payload, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=SMS_TIMEOUT_S) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        raise ChannelError(f"SMS gateway answered HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise ChannelError(f"SMS gateway unreachable: {exc}") from exc
    if not 200 <= status < 300:
        raise ChannelError(f"SMS gateway answered HTTP {status}")


ADAPTERS: dict[str, Callable[[OutboxMessage], None]] = {
    Channel.IN_APP: deliver_in_app,
    Channel.EMAIL: deliver_email,
    Channel.SMS: deliver_sms,
}


def deliver(message: OutboxMessage) -> None:
    """Deliver ``message`` with its channel's adapter.

    Raises:
        ChannelError: delivery failed or the channel is unknown.
    """
    adapter = ADAPTERS.get(message.channel)
    if adapter is None:
        raise ChannelError(f"unknown channel {message.channel!r}")
    adapter(message)
