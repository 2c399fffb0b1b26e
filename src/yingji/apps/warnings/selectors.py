"""Reads of the warnings app, always through the per-user restriction (public CAP/feeds excepted).

The CAP documents and the Atom feed of released warnings are public by design (CAP feeds are
meant to be harvested by aggregators, OASIS CAP feed practice); ``released_by_identifier`` and
``feed_warnings`` read them without a user and only ever return released messages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from yingji.apps.directory.models import AdministrativeDivision
from yingji.apps.warnings.models import (
    RELEASED_STATES,
    Delivery,
    DeliveryState,
    Dispatch,
    FeedSource,
    PublicWarning,
    Recipient,
    TriggerRule,
    UpstreamAlert,
    UpstreamState,
    Warning,
    WarningState,
    WarningTemplate,
)

# Extra map layers on the assessment map (e.g. open incidents), registered by higher apps
# (incidents) from their AppConfig.ready(): callable(user) -> GeoJSON FeatureCollection with a
# "name" member, or None.
ASSESSMENT_LAYERS: list[Callable[[Any], dict[str, Any] | None]] = []


def register_assessment_layer(provider: Callable[[Any], dict[str, Any] | None]) -> None:
    """Hook for higher layers (incidents): add a layer (e.g. open incidents) to assessment maps."""
    if provider not in ASSESSMENT_LAYERS:
        ASSESSMENT_LAYERS.append(provider)


def assessment_layers(user: Any) -> list[dict[str, Any]]:
    """The registered extra layers for ``user`` (providers returning ``None`` are left out)."""
    layers = []
    for provider in ASSESSMENT_LAYERS:
        layer = provider(user)
        if layer:
            layers.append(layer)
    return layers


def warnings_for(user: Any) -> QuerySet[Warning]:
    """County warnings ``user`` may see, newest first."""
    return Warning.objects.restrict(user, "view").select_related("author", "approved_by", "replaces")


def get_warning_for(user: Any, pk: int) -> Warning:
    """One warning visible to ``user``; ``Http404`` otherwise."""
    return get_object_or_404(warnings_for(user), pk=pk)


def upstream_for(user: Any, *, state: str | None = None) -> QuerySet[UpstreamAlert]:
    """Upstream messages ``user`` may see, optionally of one state (``quarantined``...)."""
    qs = UpstreamAlert.objects.restrict(user, "view").select_related("source")
    return qs.filter(state=state) if state else qs


def get_upstream_for(user: Any, pk: int) -> UpstreamAlert:
    """One upstream message visible to ``user``; ``Http404`` otherwise."""
    return get_object_or_404(upstream_for(user), pk=pk)


def public_warnings_for(user: Any) -> QuerySet[PublicWarning]:
    """Released, unexpired Actual warnings (``warnings.view_publicwarning``), newest first."""
    return PublicWarning.objects.restrict(user, "view").filter(expires__gt=timezone.now()).order_by("-sent")


def released_by_identifier(identifier: str) -> Warning:
    """A released (or later superseded/cancelled/expired) warning by CAP identifier; ``Http404``."""
    return get_object_or_404(Warning.objects.filter(state__in=RELEASED_STATES, identifier=identifier))


def feed_warnings(now: Any = None) -> list[Warning]:
    """Messages for the public Atom feed: current released Alert/Update/Cancel messages, newest first.

    Current = state released and not expired (a released Cancel stays until its own expiry).
    """
    now = now or timezone.now()
    return list(Warning.objects.filter(state=WarningState.RELEASED, expires__gt=now).order_by("-sent")[:200])


def feed_sources_for(user: Any) -> QuerySet[FeedSource]:
    """Configured sources (``warnings.view_feedsource``)."""
    return FeedSource.objects.restrict(user, "view")


def rules_for(user: Any) -> QuerySet[TriggerRule]:
    """Trigger rules (``warnings.view_triggerrule``)."""
    return TriggerRule.objects.restrict(user, "view").select_related("template")


def templates_for(user: Any) -> QuerySet[WarningTemplate]:
    """Warning templates (``warnings.view_warningtemplate``)."""
    return WarningTemplate.objects.restrict(user, "view")


def recipients_for(user: Any) -> QuerySet[Recipient]:
    """Recipients in the divisions ``user`` may see (``warnings.view_recipient``)."""
    return Recipient.objects.restrict(user, "view").select_related("division")


def area_choices() -> QuerySet[AdministrativeDivision]:
    """Divisions offered as warning areas: the county and its townships (public reference data)."""
    return AdministrativeDivision.objects.filter(level__in=["county", "township"]).order_by("code")


@dataclass
class DeliveryRow:
    """Counts of one channel in one division (or all divisions when ``division`` is ``None``)."""

    channel: str
    channel_label: str
    division: str
    queued: int = 0
    sent: int = 0
    delivered: int = 0
    failed: int = 0
    retried: int = 0
    total: int = 0


@dataclass
class DeliveryStats:
    """Per channel and division; ``totals`` per channel; ``simulated`` when no gateway was used."""

    rows: list[DeliveryRow] = field(default_factory=list)
    totals: list[DeliveryRow] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    @property
    def all_done(self) -> bool:
        """No delivery is still queued."""
        return all(t.queued == 0 for t in self.totals)


def delivery_stats(user: Any, warning: Warning) -> DeliveryStats:
    """Delivery counts of a warning per channel × division (rows restricted to ``user``'s divisions)."""
    labels = dict(Dispatch._meta.get_field("channel").choices or [])
    qs = (
        Delivery.objects.restrict(user, "view")
        .filter(dispatch__warning=warning)
        .values("dispatch__channel", "division__name", "state")
        .annotate(n=Count("id"), retried=Count("id", filter=Q(attempts__gt=1)))
        .order_by("dispatch__channel", "division__name")
    )
    rows: dict[tuple[str, str], DeliveryRow] = {}
    totals: dict[str, DeliveryRow] = {}
    for d in Dispatch.objects.filter(warning=warning).order_by("channel"):
        totals[d.channel] = DeliveryRow(d.channel, str(labels.get(d.channel, d.channel)), "")
    for r in qs:
        channel = r["dispatch__channel"]
        key = (channel, r["division__name"])
        row = rows.setdefault(
            key, DeliveryRow(channel, str(labels.get(channel, channel)), r["division__name"])
        )
        total = totals.setdefault(channel, DeliveryRow(channel, str(labels.get(channel, channel)), ""))
        for target in (row, total):
            setattr(target, r["state"], getattr(target, r["state"]) + r["n"])
            target.retried += r["retried"]
            target.total += r["n"]
    return DeliveryStats(list(rows.values()), list(totals.values()), list(warning.blocked_channels))


def warning_statistics(user: Any) -> dict[str, Any]:
    """Release statistics (统计): warnings by state, level and month; deliveries per channel and state."""
    warnings = warnings_for(user)
    released = warnings.filter(state__in=RELEASED_STATES)
    by_level = {r["severity"]: r["n"] for r in released.values("severity").annotate(n=Count("id"))}
    by_state = {r["state"]: r["n"] for r in warnings.values("state").annotate(n=Count("id"))}
    by_month: dict[str, int] = {}
    for sent in released.exclude(sent__isnull=True).values_list("sent", flat=True):
        key = timezone.localtime(sent).strftime("%Y-%m")
        by_month[key] = by_month.get(key, 0) + 1
    deliveries = (
        Delivery.objects.restrict(user, "view")
        .values("dispatch__channel", "state")
        .annotate(n=Count("id"))
        .order_by("dispatch__channel")
    )
    per_channel: dict[str, dict[str, int]] = {}
    for r in deliveries:
        per_channel.setdefault(r["dispatch__channel"], {s: 0 for s in DeliveryState.values})[r["state"]] = r[
            "n"
        ]
    upstream = upstream_for(user)
    return {
        "by_state": by_state,
        "by_level": by_level,
        "by_month": dict(sorted(by_month.items())),
        "per_channel": per_channel,
        "upstream_total": upstream.count(),
        "upstream_quarantined": upstream.filter(state=UpstreamState.QUARANTINED).count(),
        "upstream_touching": upstream.filter(intersects_county=True).count(),
        "reach_total": sum(w.reach or 0 for w in released.filter(msg_type__in=["Alert", "Update"])),
    }
