"""Channel adapters: how one batch of deliveries leaves the outbox.

* ``GatewayAdapter`` (SMS, emergency broadcast, village loudspeaker): one JSON POST per batch to
  ``<YINGJI_WARNINGS_GATEWAY_URL>/<channel>``: ``{"channel", "subject", "body", "segments",
  "messages": [{"id", "to"}]}``; the gateway answers ``{"results": [{"id", "status":
  "delivered"|"sent"|"failed", "error", "ref"}]}``. Operators' real gateways sit behind an
  adapter of this shape; ``fake_gateway.FakeGateway`` stands in for them on loopback.
* ``SimulatedAdapter``: when no gateway URL is configured (development, demo without the fake
  gateway) every message is marked delivered with ref ``simulated`` — stated in the UI.
* ``EmailAdapter``: Django's e-mail backend; accepted messages are ``sent`` (no receipts).
* ``WebhookAdapter``: POSTs the CAP XML (``application/cap+xml``) to each recipient URL; 2xx =
  delivered.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from yingji.apps.warnings.models import Channel, DeliveryState

TIMEOUT_S = 10


@dataclass(frozen=True)
class Outgoing:
    """One message to send: the delivery id and the address."""

    id: int
    address: str


@dataclass(frozen=True)
class Outcome:
    """What happened to one message: ``state`` is a ``DeliveryState`` value."""

    id: int
    state: str
    error: str = ""
    ref: str = ""


@dataclass(frozen=True)
class Content:
    """What is sent: channel, subject, body, SMS segments."""

    channel: str
    subject: str
    body: str
    segments: int = 1


class ChannelAdapter(Protocol):
    """Sends a batch; returns one ``Outcome`` per message (never raises for delivery failures)."""

    def send(self, content: Content, batch: list[Outgoing]) -> list[Outcome]: ...


def _post(url: str, data: bytes, content_type: str) -> bytes:
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) URL: {url!r}")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url, data=data, method="POST", headers={"Content-Type": content_type}
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310
        return bytes(response.read(4 * 1024 * 1024))


class GatewayAdapter:
    """SMS / broadcast / loudspeaker through an operator gateway speaking the JSON contract above."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def send(self, content: Content, batch: list[Outgoing]) -> list[Outcome]:
        payload = {
            "channel": content.channel,
            "subject": content.subject,
            "body": content.body,
            "segments": content.segments,
            "messages": [{"id": m.id, "to": m.address} for m in batch],
        }
        try:
            raw = _post(
                f"{self.base_url}/{content.channel}",
                json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                "application/json; charset=utf-8",
            )
            results = {int(r["id"]): r for r in json.loads(raw)["results"]}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            return [Outcome(m.id, DeliveryState.FAILED, f"gateway: {exc}"[:300]) for m in batch]
        out = []
        for m in batch:
            r = results.get(m.id)
            if r is None:
                out.append(Outcome(m.id, DeliveryState.FAILED, "gateway gave no result"))
                continue
            state = str(r.get("status", ""))
            if state not in (DeliveryState.DELIVERED, DeliveryState.SENT, DeliveryState.FAILED):
                state = DeliveryState.FAILED
            out.append(Outcome(m.id, state, str(r.get("error", ""))[:300], str(r.get("ref", ""))[:100]))
        return out


class SimulatedAdapter:
    """No gateway configured: every message counts as delivered (ref ``simulated``)."""

    def send(self, content: Content, batch: list[Outgoing]) -> list[Outcome]:
        return [Outcome(m.id, DeliveryState.DELIVERED, ref="simulated") for m in batch]


class EmailAdapter:
    """E-mail through Django's configured backend (one message per recipient)."""

    def send(self, content: Content, batch: list[Outgoing]) -> list[Outcome]:
        sender = getattr(settings, "DEFAULT_FROM_EMAIL", "webmaster@localhost")
        out = []
        try:
            connection = get_connection()
            connection.open()
        except OSError as exc:
            return [Outcome(m.id, DeliveryState.FAILED, f"smtp: {exc}"[:300]) for m in batch]
        try:
            for m in batch:
                try:
                    sent = connection.send_messages(
                        [EmailMessage(content.subject, content.body, sender, [m.address])]
                    )
                    out.append(Outcome(m.id, DeliveryState.SENT if sent else DeliveryState.FAILED))
                except OSError as exc:
                    out.append(Outcome(m.id, DeliveryState.FAILED, f"smtp: {exc}"[:300]))
        finally:
            connection.close()
        return out


class WebhookAdapter:
    """POST the CAP XML to each subscriber URL."""

    def send(self, content: Content, batch: list[Outgoing]) -> list[Outcome]:
        out = []
        for m in batch:
            try:
                _post(m.address, content.body.encode("utf-8"), "application/cap+xml; charset=utf-8")
                out.append(Outcome(m.id, DeliveryState.DELIVERED))
            except (OSError, ValueError) as exc:
                out.append(Outcome(m.id, DeliveryState.FAILED, f"webhook: {exc}"[:300]))
        return out


def gateway_url() -> str:
    """``YINGJI_WARNINGS_GATEWAY_URL`` (empty: simulated delivery)."""
    return str(getattr(settings, "YINGJI_WARNINGS_GATEWAY_URL", "") or "")


def adapter_for(channel: str) -> ChannelAdapter:
    """The adapter used for ``channel`` under the current settings."""
    if channel == Channel.EMAIL:
        return EmailAdapter()
    if channel == Channel.WEBHOOK:
        return WebhookAdapter()
    url = gateway_url()
    return GatewayAdapter(url) if url else SimulatedAdapter()
