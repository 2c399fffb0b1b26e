"""Reads of incidents, always through ``restrict(user, "view")``."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from yingji.apps.incidents.models import (
    GRADE_CHOICES,
    DeadlineStatus,
    Incident,
    IncidentLogEntry,
    IncidentReport,
    IncidentStatus,
    IncidentType,
    IncidentUpdate,
    ReportDeadline,
)

EARTH_RADIUS_M = 6_371_000.0


def incidents_for(user: Any) -> QuerySet[Incident]:
    """Incidents ``user`` may see, newest reported first."""
    return (
        Incident.objects.restrict(user, "view")
        .select_related("incident_type", "division")
        .defer("division__boundary")  # the county polygon is ~140 kB of JSON
        .order_by("-reported_at", "-id")
    )


def open_incidents_for(user: Any) -> QuerySet[Incident]:
    """Open (not yet 终报) incidents ``user`` may see."""
    return incidents_for(user).filter(status=IncidentStatus.OPEN)


def get_incident_for(user: Any, pk: int) -> Incident:
    """One incident visible to ``user``; ``Http404`` otherwise."""
    return get_object_or_404(incidents_for(user).select_related("incident_type__parent__parent"), pk=pk)


def incident_types() -> QuerySet[IncidentType]:
    """Active incident types (reference data), in table order, with parents loaded."""
    return (
        IncidentType.objects.filter(is_active=True)
        .select_related("parent__parent")
        .order_by("sort_order", "code")
    )


def incident_types_for(user: Any) -> QuerySet[IncidentType]:
    """Active incident types ``user`` may read."""
    return IncidentType.objects.restrict(user, "view").filter(is_active=True).order_by("sort_order", "code")


def updates_for(user: Any, incident: Incident) -> QuerySet[IncidentUpdate]:
    """续报 updates of ``incident`` visible to ``user``, in order."""
    return IncidentUpdate.objects.restrict(user, "view").filter(incident=incident).order_by("sequence")


def deadlines_for(user: Any, incident: Incident) -> QuerySet[ReportDeadline]:
    """Report deadlines of ``incident`` visible to ``user``, by due time."""
    return ReportDeadline.objects.restrict(user, "view").filter(incident=incident).order_by("due_at", "key")


def pending_deadlines_for(user: Any, *, limit: int = 30) -> list[ReportDeadline]:
    """Unmet deadlines of open incidents ``user`` may see, soonest (or most overdue) first."""
    qs = (
        ReportDeadline.objects.restrict(user, "view")
        .filter(incident__status=IncidentStatus.OPEN, met_at__isnull=True)
        .select_related("incident")
        .order_by("due_at", "id")
    )
    return list(qs[:limit])


def overdue_deadlines_for(user: Any, now: datetime) -> QuerySet[ReportDeadline]:
    """Unmet deadlines of open incidents past due at ``now`` (or already escalated as missed)."""
    return (
        ReportDeadline.objects.restrict(user, "view")
        .filter(incident__status=IncidentStatus.OPEN, met_at__isnull=True)
        .filter(Q(due_at__lt=now) | Q(status=DeadlineStatus.MISSED))
        .select_related("incident")
        .order_by("due_at", "id")
    )


def timeline_for(user: Any, incident: Incident) -> list[IncidentLogEntry]:
    """Timeline entries of ``incident`` visible to ``user``, by sequence."""
    return list(IncidentLogEntry.objects.restrict(user, "view").filter(incident=incident).order_by("seq"))


def reports_for(user: Any, incident: Incident | None = None) -> QuerySet[IncidentReport]:
    """Reports ``user`` may see (of one incident if given), in drafting order."""
    qs = IncidentReport.objects.restrict(user, "view").select_related("incident")
    if incident is not None:
        qs = qs.filter(incident=incident)
    return qs.order_by("incident_id", "created_at", "id")


def get_report_for(user: Any, pk: int) -> IncidentReport:
    """One report visible to ``user``; ``Http404`` otherwise."""
    return get_object_or_404(
        reports_for(user).select_related("incident__incident_type", "incident__division"), pk=pk
    )


def duplicate_window() -> timedelta:
    """Time window of the duplicate check (``YINGJI_DUPLICATE_WINDOW_MINUTES``, default 120)."""
    return timedelta(minutes=float(getattr(settings, "YINGJI_DUPLICATE_WINDOW_MINUTES", 120)))


def duplicate_distance_m() -> float:
    """Distance of the duplicate check in metres (``YINGJI_DUPLICATE_DISTANCE_M``, default 1000)."""
    return float(getattr(settings, "YINGJI_DUPLICATE_DISTANCE_M", 1000))


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle (haversine) distance in metres between two WGS84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def possible_duplicates(
    user: Any,
    *,
    incident_type: IncidentType,
    occurred_at: datetime,
    division: Any,
    lon: float | None = None,
    lat: float | None = None,
    exclude_pk: int | None = None,
) -> list[Incident]:
    """Open incidents ``user`` may see that look like the same event.

    Same incident type, occurred within ``duplicate_window()`` of ``occurred_at``, and
    within ``duplicate_distance_m()`` when both have a point (else: same division).
    Nearest in time first.
    """
    window = duplicate_window()
    qs = open_incidents_for(user).filter(
        incident_type=incident_type,
        occurred_at__gte=occurred_at - window,
        occurred_at__lte=occurred_at + window,
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    limit = duplicate_distance_m()
    found = []
    for other in qs[:50]:
        if lon is not None and lat is not None and other.lon is not None and other.lat is not None:
            if distance_m(lon, lat, other.lon, other.lat) <= limit:
                found.append(other)
        elif other.division_id == getattr(division, "pk", None):
            found.append(other)
    return sorted(found, key=lambda i: abs((i.occurred_at - occurred_at).total_seconds()))


def incident_map_layer(user: Any) -> dict[str, Any]:
    """Open incidents with a point as a GeoJSON FeatureCollection for the map (一张图).

    ``{"key": "incidents", "title": "突发事件", "kind": "incident", "type": "FeatureCollection",
    "features": [...], "legend": [{grade, label, color}]}``; each feature's properties carry
    ``grade``, ``grade_zh``, ``color`` (by grade), ``title``, ``number``, ``url``, ``demo``.
    Coordinates WGS84 (lon, lat).
    """
    labels = dict(GRADE_CHOICES)
    features = []
    for inc in open_incidents_for(user).filter(lon__isnull=False, lat__isnull=False)[:2000]:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [inc.lon, inc.lat]},
                "properties": {
                    "id": inc.pk,
                    "number": inc.number,
                    "title": inc.title,
                    "type": inc.incident_type.name_zh,
                    "grade": inc.grade,
                    "grade_zh": str(labels.get(inc.grade, "未定级")) if inc.grade else "未定级",
                    "color": inc.grade_color,
                    "occurred_at": inc.occurred_at.isoformat(),
                    "url": reverse("incidents:detail", args=[inc.pk]),
                    "demo": inc.is_demo,
                },
            }
        )
    legend = [
        {"grade": g, "label": str(label), "color": Incident(grade=g).grade_color}
        for g, label in GRADE_CHOICES
    ]
    return {
        "key": "incidents",
        "title": "突发事件",
        "kind": "incident",
        "type": "FeatureCollection",
        "features": features,
        "legend": legend,
    }
