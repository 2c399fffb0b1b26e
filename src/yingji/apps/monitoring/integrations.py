"""The only call sites from monitoring into apps written alongside it (duty, notifications, incidents).

Each function here is a thin adapter with a stable signature; the rest of the app calls
these, never the other apps directly, so a change of contract is fixed in one place and
tests can replace a single function. The incidents app's intake service is optional: while
it is absent (``incident_intake_available()`` is False) the alarm page shows a disabled
"转为事件" button with the reason.
"""

from __future__ import annotations

from typing import Any

from yingji.apps.duty.handover_items import HandoverItem, register_provider
from yingji.apps.notifications import services as notification_services

try:  # the incidents intake service is being written concurrently; optional until it exists
    from yingji.apps.incidents import services as incident_services
except ImportError:  # pragma: no cover - depends on the checkout
    incident_services = None  # type: ignore[assignment]

#: The function of ``incidents.services`` this app would call to take an incident from an alarm.
INCIDENT_INTAKE_FUNCTION = "intake_incident"


def notify(
    user: Any,
    *,
    subject: str,
    dedupe_key: str,
    body: str = "",
    url: str = "",
    severity: str = "warning",
    sms: bool = False,
) -> int:
    """Queue a message for ``user`` through the notifications outbox (in the current transaction).

    In-app always; SMS too when ``sms`` (skipped for users without a phone). ``dedupe_key``
    makes re-runs idempotent (notifications appends ``:<channel>``).

    Returns:
        Number of outbox messages queued (or found already queued).
    """
    channels: tuple[str, ...] = ("in_app", "sms") if sms else ("in_app",)
    return len(
        notification_services.notify_user(
            user,
            subject=subject,
            dedupe_key=dedupe_key,
            body=body,
            url=url,
            severity=severity,
            channels=channels,
        )
    )


def publish_desk_alarm(*, title: str, url: str, severity: str, division: Any) -> None:
    """Push a live ``alarm.raised`` event to open duty-desk pages after commit (notifications' SSE)."""
    notification_services.publish_desk_event(
        kind="alarm.raised", title=title, url=url, severity=severity, division=division
    )


def incident_intake_available() -> bool:
    """Whether the incidents app provides the intake service the alarm page would call."""
    return incident_services is not None and hasattr(incident_services, INCIDENT_INTAKE_FUNCTION)


def intake_incident_from_alarm(
    *,
    actor: Any,
    title: str,
    description: str,
    organization: Any,
    division: Any,
    lon: float | None,
    lat: float | None,
    source_ref: str,
    fire: bool = False,
    occurred_at: Any = None,
) -> str:
    """Take an incident from an alarm through the incidents app; returns the incident reference.

    Raises:
        RuntimeError: the intake service is not available (the UI never offers it then).
    """
    if not incident_intake_available():
        raise RuntimeError("incident intake service is not available")
    fn = getattr(incident_services, INCIDENT_INTAKE_FUNCTION)
    incident = fn(
        actor=actor,
        title=title,
        description=description,
        source="monitoring_alarm",
        division=division,
        organization=organization,
        lon=lon,
        lat=lat,
        source_ref=source_ref,
        type_code=incident_services.ALARM_TYPE_FIRE if fire else incident_services.ALARM_TYPE_DEFAULT,
        occurred_at=occurred_at,
    )
    return str(getattr(incident, "pk", incident))


def register_handover(provider: Any) -> None:
    """Register the unacknowledged-alarm provider with the duty handover (``AppConfig.ready``)."""
    register_provider("monitoring.unacknowledged_alarms", provider)


def handover_item(*, ref: str, title: str, url: str, severity: str) -> HandoverItem:
    """A duty ``HandoverItem`` of kind ``alarm``."""
    return HandoverItem(kind="alarm", ref=ref, title=title, url=url, severity=severity)
