"""Open items carried into a shift handover, collected from whichever apps provide them.

The duty app sits below incidents, monitoring and warnings in the layer order, so
it cannot import them. Instead those apps register a *provider* at start-up
(``AppConfig.ready``): a function that returns the open items a given user
should see handed over (open incidents, overdue reports, unacknowledged alarms,
pending approvals). ``collect_open_items`` asks every provider.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class HandoverItem:
    """One open item. ``ref`` is stable across handovers (``"incidents.incident:42"``)."""

    kind: str  # "incident", "overdue_report", "alarm", "approval", ...
    ref: str
    title: str
    url: str = ""
    severity: str = "info"  # "info" | "warning" | "critical"


Provider = Callable[[Any], list[HandoverItem]]
_PROVIDERS: dict[str, Provider] = {}


def register_provider(name: str, provider: Provider) -> None:
    """Register (or replace) the provider called ``name``; idempotent across reloads."""
    _PROVIDERS[name] = provider


def registered_providers() -> list[str]:
    """Names of the registered providers, sorted."""
    return sorted(_PROVIDERS)


def collect_open_items(user: Any) -> list[HandoverItem]:
    """Every open item every provider reports for ``user``, critical first, then by kind and ref."""
    items: list[HandoverItem] = []
    for name in sorted(_PROVIDERS):
        items.extend(_PROVIDERS[name](user))
    order = {"critical": 0, "warning": 1, "info": 2}
    return sorted(items, key=lambda i: (order.get(i.severity, 3), i.kind, i.ref))
