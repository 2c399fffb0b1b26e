"""Reads of the monitoring app, always through the per-user restriction."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.apps.monitoring import conf, integrations
from yingji.apps.monitoring.models import (
    OPEN_STATES,
    Alarm,
    AlarmEvent,
    AlarmState,
    Device,
    Gateway,
    MaintenanceWindow,
    MonitoringPoint,
    Reading,
    ReadingAggregate,
    SiteKind,
)
from yingji.apps.monitoring.wording import level_zh
from yingji.engines.monitoring import roll_up_dam

#: Map colour of a point by its state: normal, H/L, HH/LL, offline, out of service.
STATE_COLOURS = {"N": "#2e7d32", "H": "#f9a825", "L": "#f9a825", "HH": "#c62828", "LL": "#c62828"}
OFFLINE_COLOUR = "#757575"
OUT_OF_SERVICE_COLOUR = "#1565c0"
#: A point that has not sent its first reading yet (无数据): no level to show.
NO_DATA_COLOUR = "#bdbdbd"


def has_data(point: MonitoringPoint) -> bool:
    """Whether ``point`` (state loaded) has received a reading the engine evaluated."""
    state = getattr(point, "state", None)
    return state is not None and state.last_ts is not None


def points_for(user: Any) -> QuerySet[MonitoringPoint]:
    """Monitoring points ``user`` may see, with their enterprise and engine state."""
    return MonitoringPoint.objects.restrict(user, "view").select_related(
        "organization__division", "state", "gateway", "device"
    )


def get_point_for(user: Any, pk: int, action: str = "view") -> MonitoringPoint:
    """One point ``user`` may ``action``; ``Http404`` otherwise."""
    qs = MonitoringPoint.objects.restrict(user, action).select_related("organization__division", "state")
    return get_object_or_404(qs, pk=pk)


def alarms_for(user: Any, *, state: str | None = None, open_only: bool = False) -> QuerySet[Alarm]:
    """Alarms ``user`` may see, newest first; ``state`` filters one state, ``open_only`` open ones."""
    qs = Alarm.objects.restrict(user, "view").select_related("point__organization")
    if state:
        qs = qs.filter(state=state)
    if open_only:
        qs = qs.filter(state__in=OPEN_STATES)
    return qs


def get_alarm_for(user: Any, pk: int, action: str = "view") -> Alarm:
    """One alarm ``user`` may ``action``; ``Http404`` otherwise."""
    qs = Alarm.objects.restrict(user, action).select_related("point__organization__division")
    return get_object_or_404(qs, pk=pk)


def alarm_timeline(alarm: Alarm) -> QuerySet[AlarmEvent]:
    """Timeline of an alarm the caller already obtained through ``get_alarm_for``."""
    return alarm.events.select_related("actor").order_by("at", "id")


def gateways_for(user: Any) -> QuerySet[Gateway]:
    """Gateways ``user`` may see."""
    return Gateway.objects.restrict(user, "view").select_related("organization")


def devices_for(user: Any) -> QuerySet[Device]:
    """Field devices ``user`` may see."""
    return Device.objects.restrict(user, "view").select_related("organization", "gateway")


def get_gateway_for(user: Any, pk: int, action: str = "view") -> Gateway:
    """One gateway ``user`` may ``action``; ``Http404`` otherwise."""
    return get_object_or_404(Gateway.objects.restrict(user, action).select_related("organization"), pk=pk)


def get_device_for(user: Any, pk: int, action: str = "view") -> Device:
    """One field device ``user`` may ``action``; ``Http404`` otherwise."""
    qs = Device.objects.restrict(user, action).select_related("organization", "gateway")
    return get_object_or_404(qs, pk=pk)


def maintenance_windows_for(user: Any) -> QuerySet[MaintenanceWindow]:
    """Maintenance windows ``user`` may see."""
    return MaintenanceWindow.objects.restrict(user, "view").select_related("organization", "point", "gateway")


def get_maintenance_window_for(user: Any, pk: int, action: str = "view") -> MaintenanceWindow:
    """One maintenance window ``user`` may ``action``; ``Http404`` otherwise."""
    qs = MaintenanceWindow.objects.restrict(user, action).select_related("organization", "point", "gateway")
    return get_object_or_404(qs, pk=pk)


def maintenance_phase(window: MaintenanceWindow, now: datetime | None = None) -> str:
    """``"upcoming"``, ``"active"`` or ``"ended"`` at ``now`` (default: now)."""
    now = now or timezone.now()
    if window.starts_at > now:
        return "upcoming"
    return "active" if window.ends_at > now else "ended"


def series_for(
    point: MonitoringPoint, *, start: datetime, end: datetime, max_points: int = 2000
) -> dict[str, Any]:
    """Trend data of a point the caller may view: raw readings if few, else 1-min or 1-hour aggregates.

    Returns:
        ``{"resolution": "raw"|"1m"|"1h", "points": [[epoch_ms, value_or_avg, min, max], ...],
        "limits": {"hh","h","l","ll"}, "unit": str}``; times in epoch milliseconds (ECharts).
    """
    span_s = max((end - start).total_seconds(), 1)
    resolution = (
        "raw"
        if span_s / max(point.sampling_period_s, 1) <= max_points
        else ("1m" if span_s / 60 <= max_points else "1h")
    )
    rows: list[list[float]]
    if resolution == "raw":
        rows = [
            [ts.timestamp() * 1000, v, v, v]
            for ts, v in Reading.objects.filter(point=point, ts__gte=start, ts__lte=end)
            .order_by("ts")
            .values_list("ts", "value")[: max_points * 2]
        ]
    else:
        rows = [
            [a.bucket.timestamp() * 1000, a.avg, a.min, a.max]
            for a in ReadingAggregate.objects.filter(
                point=point, resolution=resolution, bucket__gte=start, bucket__lte=end
            ).order_by("bucket")
        ]
    return {
        "resolution": resolution,
        "points": rows,
        "limits": {k: getattr(point, k) for k in ("hh", "h", "l", "ll") if getattr(point, k) is not None},
        "unit": point.unit,
        "code": point.code,
        "name": point.name,
    }


def point_colour(point: MonitoringPoint) -> str:
    """Map colour of ``point`` (state loaded): out of service, no data yet, offline, else by level."""
    state = getattr(point, "state", None)
    if point.out_of_service:
        return OUT_OF_SERVICE_COLOUR
    if state is None or state.last_ts is None:
        return NO_DATA_COLOUR
    if state.offline:
        return OFFLINE_COLOUR
    return STATE_COLOURS.get(state.level, STATE_COLOURS["N"])


def point_status(point: MonitoringPoint) -> str:
    """The point's state in words (state loaded): 停用, 无数据 (no reading yet), 离线, else its
    level (正常, 高报, 高高报 …)."""
    if point.out_of_service:
        return str(_("停用"))
    if not has_data(point):
        return str(_("无数据"))
    if point.state.offline:
        return str(_("离线"))
    return level_zh(point.state.level or "N")


def monitoring_map_layer_for(user: Any) -> dict[str, Any] | None:
    """The map layer of monitoring points coloured by state, or None without the permission.

    Shaped like the layers of ``dashboards.selectors.map_layers_for``: a GeoJSON
    FeatureCollection with ``key`` ``"monitoring-points"``, ``title``, ``kind`` ``"monitoring"``;
    each feature's properties: ``name, code, enterprise, quantity, level, value, unit,
    offline, out_of_service, no_data, status, open_alarms, colour, url, demo``; ``level`` is
    None and ``no_data`` True until the point's first reading; ``status`` is the point's state
    in words (无数据, 停用, 离线, 高报 …). Coordinates WGS84 (lon, lat).
    """
    if not user.has_perm("monitoring.view_monitoringpoint"):
        return None
    open_counts = Counter(alarms_for(user, open_only=True).values_list("point_id", flat=True))
    features = []
    for p in points_for(user).exclude(lon__isnull=True).exclude(lat__isnull=True):
        state = getattr(p, "state", None)
        data = has_data(p)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                "properties": {
                    "name": p.name,
                    "code": p.code,
                    "enterprise": p.organization.name,
                    "quantity": p.get_quantity_display(),
                    "level": state.level if state and data else None,
                    "value": state.last_value if state else None,
                    "unit": p.unit,
                    "offline": bool(state and state.offline),
                    "out_of_service": p.out_of_service,
                    "no_data": not data,
                    "status": point_status(p),
                    "open_alarms": open_counts.get(p.pk, 0),
                    "colour": point_colour(p),
                    "url": f"/monitoring/points/{p.pk}/",
                    "demo": p.is_demo,
                },
            }
        )
    return {
        "key": "monitoring-points",
        "title": _("监测点"),
        "kind": "monitoring",
        "type": "FeatureCollection",
        "features": features,
    }


_DAM_COLOUR = {"N": "none", "H": "yellow", "L": "yellow", "HH": "red", "LL": "red"}


def dam_states_for(user: Any) -> list[dict[str, Any]]:
    """Tailings-dam safety colours (GB 50863-2013 §5.5.4 roll-up by the engine) per visible dam.

    Point colour: N none, H/L yellow, HH/LL red (offline points count as none); items are the
    monitored quantities. Returns ``[{"enterprise", "dam", "colour", "items": {quantity: colour}}]``.
    """
    groups: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for p in points_for(user).filter(site_kind=SiteKind.DAM):
        state = getattr(p, "state", None)
        level = "N" if state is None or state.offline else state.level
        groups[(p.organization.name, p.site_name or p.name)][p.quantity].append(
            _DAM_COLOUR.get(level, "none")
        )
    out = []
    for (org, dam), items in sorted(groups.items()):
        result = roll_up_dam({k: v for k, v in items.items()})
        out.append({"enterprise": org, "dam": dam, "colour": result.dam, "items": dict(result.items)})
    return out


def noise_report_for(user: Any, *, days: int = 7, now: datetime | None = None) -> dict[str, Any]:
    """Alarm-noise report over the last ``days`` days (EEMUA 191 / ISA-18.2 style metrics).

    Returns:
        ``{"per_point_day": [{"point_id","code","name","day","count"}], "flapping":
        [{"point_id","code","name","transitions","window_start"}], "standing": [Alarm, ...],
        "thresholds": {...}}``: alarms raised per point per day; points with at least
        ``FLAP_TRANSITIONS`` engine transitions within any ``FLAP_WINDOW_S`` window; open
        alarms raised more than ``STANDING_S`` ago.
    """
    now = now or timezone.now()
    since = now - timedelta(days=days)
    alarms = alarms_for(user).filter(raised_at__gte=since)
    per_day = (
        alarms.annotate(day=TruncDate("raised_at"))
        .values("point_id", "point__code", "point__name", "day")
        .annotate(count=Count("id"))
        .order_by("-count", "point__code")[:200]
    )
    flap_n = int(conf.value("YINGJI_MONITORING_FLAP_TRANSITIONS"))
    window = timedelta(seconds=conf.value("YINGJI_MONITORING_FLAP_WINDOW_S"))
    stamps: dict[int, list[datetime]] = defaultdict(list)
    names: dict[int, tuple[str, str]] = {}
    events = (
        AlarmEvent.objects.restrict(user, "view")
        .filter(at__gte=since, event__in=["raise", "clear", "escalate", "deescalate", "roc"])
        .values_list("point_id", "at", "point__code", "point__name")
        .order_by("point_id", "at")
    )
    for pid, at, code, name in events:
        stamps[pid].append(at)
        names[pid] = (code, name)
    flapping: list[dict[str, Any]] = []
    for pid, times in stamps.items():
        best, best_start, j = 0, None, 0
        for i, t in enumerate(times):
            while t - times[j] > window:
                j += 1
            if i - j + 1 > best:
                best, best_start = i - j + 1, times[j]
        if best >= flap_n:
            flapping.append(
                {
                    "point_id": pid,
                    "code": names[pid][0],
                    "name": names[pid][1],
                    "transitions": best,
                    "window_start": best_start,
                }
            )
    flapping.sort(key=lambda r: -r["transitions"])
    standing_cut = now - timedelta(seconds=conf.value("YINGJI_MONITORING_STANDING_S"))
    standing = list(
        alarms_for(user, open_only=True)
        .filter(raised_at__lt=standing_cut)
        .exclude(state=AlarmState.SHELVED)[:200]
    )
    return {
        "per_point_day": list(per_day),
        "flapping": flapping,
        "standing": standing,
        "thresholds": {
            "days": days,
            "flap_transitions": flap_n,
            "flap_window_s": int(window.total_seconds()),
            "standing_s": int(conf.value("YINGJI_MONITORING_STANDING_S")),
        },
    }


def unacknowledged_alarm_items(user: Any) -> list[Any]:
    """Duty handover provider: the user's visible unacknowledged alarms as ``HandoverItem``s."""
    items = []
    for a in alarms_for(user, state=AlarmState.RAISED).filter(inhibited=False)[:100]:
        items.append(
            integrations.handover_item(
                ref=f"monitoring.alarm:{a.pk}",
                title=(
                    f"{a.point.organization.name} {a.point.name} {a.peak_level or a.level}"
                    f" {timezone.localtime(a.raised_at):%m-%d %H:%M}"
                ),
                url=f"/monitoring/alarms/{a.pk}/",
                severity="critical" if a.priority == "critical" else "warning",
            )
        )
    return items
