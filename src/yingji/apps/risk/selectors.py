"""Reads of the prevention app, always through the per-user restriction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Count, Min, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from yingji.apps.core.querysets import permission_name
from yingji.apps.directory.models import AdministrativeDivision, DivisionLevel, Organization, OrganizationKind
from yingji.apps.directory.selectors import organizations_for
from yingji.apps.risk.models import (
    ChemicalInventory,
    EnterpriseProfile,
    HazardCategory,
    HazardGrade,
    HazardStatus,
    HiddenHazard,
    HiddenHazardEvent,
    HiddenHazardPhoto,
    Licence,
    ProductionUnit,
    RiskPoint,
    SafetyManager,
    SpecialEquipment,
)

# Division geometry is large (the county boundary): never drag it along in joined list queries.
_HEAVY = ("enterprise__division__boundary",)
GRADE_COLOURS = {1: "红", 2: "橙", 3: "黄", 4: "蓝"}
GRADE_CSS = {1: "#d32f2f", 2: "#f57c00", 3: "#fbc02d", 4: "#1976d2", None: "#9aa5b1"}


def scope_covers(user: Any, model: type[models.Model], action: str, enterprise: Organization) -> bool:
    """Whether ``user`` holds ``risk.<action>_<model>`` in a scope that covers ``enterprise``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    scopes = user.permission_scopes(permission_name(model, action))
    if scopes is None:
        return True
    code = enterprise.division.code
    return any(code.startswith(p or "") and (o is None or o == enterprise.pk) for p, o in scopes)


# --------------------------------------------------------------------------- enterprises and ledger


def enterprises_for(user: Any) -> QuerySet[Organization]:
    """Enterprises ``user`` may see (directory restriction: managers see only their own)."""
    return organizations_for(user).filter(kind=OrganizationKind.ENTERPRISE)


def enterprises_with_inventory_for(user: Any, enterprises: QuerySet[Organization] | None = None) -> list[Any]:
    """Visible enterprises with summary attributes set (one grouped query per kind of record).

    Attributes: ``inventory_lines``, ``inventory_t`` (t), ``worst_level`` (most severe GB 18218
    level of its units, 1 = 一级), ``major_units``, ``worst_risk`` (most severe risk-point grade,
    1 = 红) and ``open_hazards``; only records the user may see are counted.
    """
    ents = list(
        (enterprises if enterprises is not None else enterprises_for(user))
        .select_related("division")
        .defer("division__boundary")
    )
    ids = [e.pk for e in ents]

    def grouped(qs: QuerySet, **aggregates: Any) -> dict[int, dict[str, Any]]:
        rows = qs.filter(enterprise_id__in=ids).values("enterprise_id").annotate(**aggregates).order_by()
        return {r["enterprise_id"]: r for r in rows}

    inv = grouped(inventories_for(user), n=Count("pk"), t=Sum("quantity_t"))
    units = grouped(
        units_for(user), level=Min("major_hazard_level"), major=Count("pk", filter=Q(is_major_hazard=True))
    )
    points = grouped(risk_points_for(user), grade=Min("grade"))
    hazards = grouped(hidden_hazards_for(user).exclude(status=HazardStatus.CLOSED), n=Count("pk"))
    for e in ents:
        e.inventory_lines = inv.get(e.pk, {}).get("n", 0)  # type: ignore[attr-defined]
        e.inventory_t = inv.get(e.pk, {}).get("t")  # type: ignore[attr-defined]
        e.worst_level = units.get(e.pk, {}).get("level")  # type: ignore[attr-defined]
        e.major_units = units.get(e.pk, {}).get("major", 0)  # type: ignore[attr-defined]
        e.worst_risk = points.get(e.pk, {}).get("grade")  # type: ignore[attr-defined]
        e.open_hazards = hazards.get(e.pk, {}).get("n", 0)  # type: ignore[attr-defined]
        grades = [g for g in (e.worst_level, e.worst_risk) if g is not None]  # type: ignore[attr-defined]
        e.worst_grade = min(grades) if grades else None  # type: ignore[attr-defined]
        e.worst_colour = GRADE_COLOURS.get(e.worst_grade or 0, "")  # type: ignore[attr-defined]
        e.worst_css = GRADE_CSS[e.worst_grade]  # type: ignore[attr-defined]
    return ents


def get_enterprise_for(user: Any, pk: int) -> Organization:
    """One visible enterprise; ``Http404`` otherwise (also for other enterprises' managers)."""
    return get_object_or_404(enterprises_for(user), pk=pk)


def profile_for(user: Any, enterprise: Organization) -> EnterpriseProfile | None:
    """The enterprise's ledger header if it exists and ``user`` may see it."""
    return EnterpriseProfile.objects.restrict(user, "view").filter(enterprise=enterprise).first()


def can_see_contacts(user: Any, enterprise: Organization) -> bool:
    """Contact details of safety managers: ``risk.contact_safetymanager`` holders (officers) or
    whoever may change the enterprise's safety-manager records (the enterprise itself)."""
    return scope_covers(user, SafetyManager, "contact", enterprise) or scope_covers(
        user, SafetyManager, "change", enterprise
    )


def safety_managers_for(user: Any) -> QuerySet[SafetyManager]:
    """Safety managers ``user`` may see (contact fields must still pass ``can_see_contacts``)."""
    return SafetyManager.objects.restrict(user, "view")


def licences_for(user: Any) -> QuerySet[Licence]:
    """Licences ``user`` may see."""
    return Licence.objects.restrict(user, "view")


def special_equipment_for(user: Any) -> QuerySet[SpecialEquipment]:
    """Special equipment ``user`` may see."""
    return SpecialEquipment.objects.restrict(user, "view").select_related("unit")


def units_for(user: Any) -> QuerySet[ProductionUnit]:
    """Production/storage units ``user`` may see."""
    return (
        ProductionUnit.objects.restrict(user, "view")
        .select_related("enterprise", "enterprise__division")
        .defer(*_HEAVY)
    )


def get_unit_for(user: Any, pk: int) -> ProductionUnit:
    """One visible unit; ``Http404`` otherwise."""
    return get_object_or_404(units_for(user), pk=pk)


def inventories_for(user: Any) -> QuerySet[ChemicalInventory]:
    """Inventory lines ``user`` may see."""
    return (
        ChemicalInventory.objects.restrict(user, "view")
        .select_related("enterprise", "enterprise__division", "unit")
        .defer(*_HEAVY)
    )


def risk_points_for(user: Any) -> QuerySet[RiskPoint]:
    """Risk points ``user`` may see."""
    return (
        RiskPoint.objects.restrict(user, "view")
        .select_related("enterprise", "enterprise__division", "unit")
        .defer(*_HEAVY)
    )


def hidden_hazards_for(user: Any) -> QuerySet[HiddenHazard]:
    """Hidden hazards ``user`` may see."""
    return (
        HiddenHazard.objects.restrict(user, "view")
        .select_related("enterprise", "enterprise__division", "unit")
        .defer(*_HEAVY)
    )


def get_hidden_hazard_for(user: Any, pk: int) -> HiddenHazard:
    """One visible hidden hazard; ``Http404`` otherwise."""
    return get_object_or_404(hidden_hazards_for(user), pk=pk)


def photos_for(user: Any) -> QuerySet[HiddenHazardPhoto]:
    """Hidden-hazard photos ``user`` may see."""
    return HiddenHazardPhoto.objects.restrict(user, "view").select_related("hazard")


def events_for(user: Any) -> QuerySet[HiddenHazardEvent]:
    """Hidden-hazard timeline entries ``user`` may see."""
    return HiddenHazardEvent.objects.restrict(user, "view")


# --------------------------------------------------------------------------- map


def enterprise_map_points(user: Any, township_code: str | None = None) -> list[dict[str, Any]]:
    """Located visible enterprises with their worst level for the four-colour map.

    ``grade`` is the most severe of the units' GB 18218 levels (一级 = 1) and the risk points'
    inherent grades (1 = 红); None when neither exists. Optionally one township (9-digit prefix).

    Returns:
        ``[{"id", "name", "township", "lon", "lat", "grade", "colour", "css", "level", "risk",
        "major_units", "open_hazards", "is_demo"}]``.
    """
    qs = enterprises_for(user).filter(lon__isnull=False, lat__isnull=False)
    if township_code:
        qs = qs.filter(division__code__startswith=township_code[:9])
    out = []
    for e in enterprises_with_inventory_for(user, qs):
        out.append(
            {
                "id": e.pk,
                "name": e.name,
                "township": e.division.name,
                "lon": e.lon,
                "lat": e.lat,
                "grade": e.worst_grade,
                "colour": e.worst_colour,
                "css": e.worst_css,
                "level": e.worst_level,
                "risk": e.worst_risk,
                "major_units": e.major_units,
                "open_hazards": e.open_hazards,
                "is_demo": e.is_demo,
            }
        )
    return out


def township_colour_counts(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per township: number of enterprises per colour from ``enterprise_map_points``.

    Returns:
        ``[{"township", "red", "orange", "yellow", "blue", "none"}]`` sorted by township name.
    """
    keys = {"红": "red", "橙": "orange", "黄": "yellow", "蓝": "blue", "": "none"}
    rows: dict[str, dict[str, Any]] = {}
    for p in points:
        row = rows.setdefault(p["township"], {"township": p["township"], **{k: 0 for k in keys.values()}})
        row[keys[p["colour"]]] += 1
    return sorted(rows.values(), key=lambda r: r["township"])


# --------------------------------------------------------------------------- statistics


@dataclass
class StatRow:
    """One row of the hidden-hazard statistics table (令16号 art.14 quarterly/annual tables)."""

    key: str
    name: str
    total: int = 0
    general: int = 0
    major: int = 0
    closed: int = 0
    overdue: int = 0
    listed: int = 0
    funding_cny: Any = 0
    by_category: dict[str, int] = field(default_factory=dict)

    @property
    def rectification_rate(self) -> str:
        """Closed / total as a percentage with one decimal (``"—"`` when none found)."""
        if not self.total:
            return "—"
        return f"{self.closed * 100 / self.total:.1f}%"


def period_bounds(year: int, quarter: int | None) -> tuple[datetime.datetime, datetime.datetime]:
    """Aware [start, end) datetimes of a year or one of its quarters (1..4), local time.

    Raises:
        ValueError: quarter outside 1..4.
    """
    if quarter is None:
        start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    else:
        if quarter not in (1, 2, 3, 4):
            raise ValueError("quarter must be 1..4")
        start = datetime.date(year, 3 * quarter - 2, 1)
        end = datetime.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time(), tzinfo=tz),
        datetime.datetime.combine(end, datetime.time(), tzinfo=tz),
    )


def hidden_hazard_statistics(
    user: Any,
    *,
    year: int,
    quarter: int | None = None,
    by: str = "township",
    today: datetime.date | None = None,
) -> list[StatRow]:
    """Hidden hazards found in a year/quarter, per township or enterprise, among those ``user`` sees.

    Columns: found, 一般, 重大, closed (销号), rectification rate = closed/found, overdue (open past
    the deadline on ``today``, or closed after it), listed for supervision, funding (CNY), and
    counts per category.

    Args:
        by: ``"township"`` (the enterprise's township) or ``"enterprise"``.

    Raises:
        ValueError: bad ``by`` or quarter.
    """
    if by not in ("township", "enterprise"):
        raise ValueError("by must be township or enterprise")
    start, end = period_bounds(year, quarter)
    day = today or timezone.localdate()
    qs = hidden_hazards_for(user).filter(reported_at__gte=start, reported_at__lt=end)
    towns = dict(
        AdministrativeDivision.objects.filter(level=DivisionLevel.TOWNSHIP).values_list("code", "name")
    )
    rows: dict[str, StatRow] = {}
    for h in qs:
        division = h.enterprise.division
        if by == "township":
            key = division.code[:9] + "000" if division.level == DivisionLevel.VILLAGE else division.code
            name = towns.get(key, division.name)
        else:
            key, name = str(h.enterprise_id), h.enterprise.name
        row = rows.setdefault(
            key, StatRow(key=key, name=name, by_category={c: 0 for c in HazardCategory.values})
        )
        row.total += 1
        row.general += h.grade == HazardGrade.GENERAL
        row.major += h.grade == HazardGrade.MAJOR
        row.closed += h.status == HazardStatus.CLOSED
        row.listed += h.supervision_level > 0
        row.funding_cny += h.funding_cny or 0
        row.by_category[h.category] = row.by_category.get(h.category, 0) + 1
        if h.deadline is not None:
            finished = (
                h.rectified_at.date() if h.rectified_at and h.status != HazardStatus.RECTIFYING else None
            )
            if (finished is None and day > h.deadline) or (finished is not None and finished > h.deadline):
                row.overdue += 1
    return sorted(rows.values(), key=lambda r: r.key)


def profile_qs_for(user: Any) -> QuerySet[EnterpriseProfile]:
    """Ledger headers ``user`` may see."""
    return EnterpriseProfile.objects.restrict(user, "view")
