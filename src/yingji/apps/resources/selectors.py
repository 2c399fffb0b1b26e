"""Reads of resources through the per-user restriction (every query starts from ``restrict``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from yingji.apps.directory.models import AdministrativeDivision
from yingji.apps.resources.models import (
    Certificate,
    Depot,
    DispatchOrder,
    Equipment,
    Expert,
    RescueTeam,
    ReserveQuota,
    Shelter,
    StockLot,
    StockMovement,
    SupplyClass,
    SupplyItem,
    TeamMember,
    split_tags,
)
from yingji.engines.resources import (
    DEFAULT_HORIZONS,
    DepotHolding,
    GeoPoint,
    LotAge,
    QuotaRule,
    Ranked,
    RotationSuggestion,
    ShelterCandidate,
    ShortfallLine,
    TeamCandidate,
    expiry_bucket,
    nearest_depots,
    nearest_teams,
    open_shelters,
    rotation_suggestions,
    shortfall_report,
)

ZERO = Decimal("0")
_QTY = DecimalField(max_digits=18, decimal_places=4)


# ---- registries -------------------------------------------------------------------------


def depots_for(user: Any) -> QuerySet[Depot]:
    """Depots ``user`` may see."""
    return Depot.objects.restrict(user, "view").select_related("division", "organization")


def rescue_teams_for(user: Any) -> QuerySet[RescueTeam]:
    """Rescue teams ``user`` may see."""
    return RescueTeam.objects.restrict(user, "view").select_related("division", "organization")


def experts_for(user: Any) -> QuerySet[Expert]:
    """Experts ``user`` may see."""
    return Expert.objects.restrict(user, "view").select_related("division", "organization")


def shelters_for(user: Any) -> QuerySet[Shelter]:
    """Shelters ``user`` may see."""
    return Shelter.objects.restrict(user, "view").select_related("division", "organization")


def equipment_for(user: Any) -> QuerySet[Equipment]:
    """Equipment ``user`` may see."""
    return Equipment.objects.restrict(user, "view").select_related("division", "team", "depot")


def members_for(user: Any) -> QuerySet[TeamMember]:
    """Team members ``user`` may see."""
    return TeamMember.objects.restrict(user, "view").select_related("team")


def certificates_for(user: Any) -> QuerySet[Certificate]:
    """Certificates ``user`` may see."""
    return Certificate.objects.restrict(user, "view").select_related("member")


def supply_classes_for(user: Any) -> QuerySet[SupplyClass]:
    """Supply classes (county-wide reference data)."""
    return SupplyClass.objects.restrict(user, "view")


def supply_items_for(user: Any) -> QuerySet[SupplyItem]:
    """Catalogue items (county-wide reference data)."""
    return SupplyItem.objects.restrict(user, "view").select_related("supply_class")


def lots_for(user: Any) -> QuerySet[StockLot]:
    """Stock lots in depots ``user`` may see."""
    return StockLot.objects.restrict(user, "view").select_related("depot", "item")


def movements_for(user: Any) -> QuerySet[StockMovement]:
    """Ledger rows of depots ``user`` may see."""
    return StockMovement.objects.restrict(user, "view").select_related("lot", "depot", "item", "actor")


def dispatch_orders_for(user: Any) -> QuerySet[DispatchOrder]:
    """Dispatch orders to divisions ``user`` may see."""
    return DispatchOrder.objects.restrict(user, "view").select_related("division", "destination_depot")


def quotas_for(user: Any) -> QuerySet[ReserveQuota]:
    """Reserve quotas of divisions ``user`` may see."""
    return ReserveQuota.objects.restrict(user, "view").select_related("division", "item")


def get_for(queryset: QuerySet[Any], **lookup: Any) -> Any:
    """One row of a restricted ``queryset``; ``Http404`` when invisible or missing."""
    return get_object_or_404(queryset, **lookup)


def township_choices(user: Any) -> QuerySet[AdministrativeDivision]:
    """County and townships (newest edition first) for filters and forms."""
    return AdministrativeDivision.objects.restrict(user, "view").filter(level__in=["county", "township"])


# ---- stock ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    """Stock of one item in one depot: on hand, reserved, available (item's unit)."""

    depot_id: int
    depot_code: str
    depot_name: str
    item_id: int
    item_code: str
    item_name: str
    unit: str
    on_hand: Decimal
    reserved: Decimal
    lots: int

    @property
    def available(self) -> Decimal:
        """On hand minus reserved."""
        return self.on_hand - self.reserved


def stock_balances(
    user: Any, *, depot: Depot | None = None, item: SupplyItem | None = None, prefix: str | None = None
) -> list[Balance]:
    """Balances per (depot, item) from the lots' running balances (one grouped query).

    Args:
        prefix: keep depots whose division code starts with it (township scope).
    """
    qs = StockLot.objects.restrict(user, "view")
    if depot is not None:
        qs = qs.filter(depot=depot)
    if item is not None:
        qs = qs.filter(item=item)
    if prefix:
        qs = qs.filter(depot__division__code__startswith=prefix)
    rows = list(
        qs.order_by()
        .values("depot_id", "item_id")
        .annotate(on_hand=Sum("quantity_on_hand"), reserved=Sum("quantity_reserved"), lots=Count("id"))
    )
    depots = {
        d["id"]: d
        for d in Depot.objects.filter(pk__in={r["depot_id"] for r in rows}).values("id", "code", "name")
    }
    items = {
        i["id"]: i
        for i in SupplyItem.objects.filter(pk__in={r["item_id"] for r in rows}).values(
            "id", "code", "name", "unit"
        )
    }
    out = [
        Balance(
            r["depot_id"],
            depots[r["depot_id"]]["code"],
            depots[r["depot_id"]]["name"],
            r["item_id"],
            items[r["item_id"]]["code"],
            items[r["item_id"]]["name"],
            items[r["item_id"]]["unit"],
            r["on_hand"] or ZERO,
            r["reserved"] or ZERO,
            r["lots"] or 0,
        )
        for r in rows
    ]
    out.sort(key=lambda b: (b.depot_code, b.item_code))
    return out


@dataclass(frozen=True)
class CardLine:
    """A stock-card line: the movement and the running balance of the (depot, item) after it."""

    movement: StockMovement
    balance: Decimal

    @property
    def inflow(self) -> Decimal | None:
        """Quantity received (positive movements), else None."""
        return self.movement.quantity if self.movement.quantity > 0 else None

    @property
    def outflow(self) -> Decimal | None:
        """Quantity issued as a positive number (negative movements), else None."""
        return -self.movement.quantity if self.movement.quantity < 0 else None


def stock_card(
    user: Any,
    *,
    depot: Depot,
    item: SupplyItem,
    start: datetime | None = None,
    end: datetime | None = None,
) -> tuple[Decimal, list[CardLine]]:
    """The stock card (库存卡) of ``item`` in ``depot``: opening balance and every movement after it.

    The running balance is recomputed from the ledger alone, so the card can always
    be reproduced. Returns ``(opening_balance, lines)``.
    """
    qs = movements_for(user).filter(depot=depot, item=item)
    opening = ZERO
    if start is not None:
        opening = qs.filter(occurred_at__lt=start).aggregate(s=Sum("quantity"))["s"] or ZERO
        qs = qs.filter(occurred_at__gte=start)
    if end is not None:
        qs = qs.filter(occurred_at__lt=end)
    balance = opening
    lines = []
    for mv in qs.order_by("occurred_at", "id"):
        balance += mv.quantity
        lines.append(CardLine(mv, balance))
    return opening, lines


def ledger_mismatches(lots: QuerySet[StockLot] | None = None) -> list[tuple[int, Decimal, Decimal]]:
    """Lots whose running balance differs from the sum of their ledger rows.

    Returns:
        ``[(lot_id, quantity_on_hand, ledger_sum)]`` (empty when the books agree).
    """
    qs = (lots if lots is not None else StockLot.objects.all()).annotate(
        ledger=Coalesce(Sum("movements__quantity"), ZERO, output_field=_QTY)
    )
    return [
        (lot.pk, lot.quantity_on_hand, lot.ledger)
        for lot in qs.order_by("pk")
        if lot.quantity_on_hand != lot.ledger
    ]


def _as_date(value: date | None) -> date:
    return value or timezone.localdate()


@dataclass(frozen=True)
class ExpiryLine:
    """A lot with stock and its expiry bucket (``expired``, ``within_<N>``)."""

    lot: StockLot
    bucket: str
    days_left: int


def expiry_report(
    user: Any, *, horizons: tuple[int, ...] = DEFAULT_HORIZONS, today: date | None = None
) -> list[ExpiryLine]:
    """Lots with stock that are expired or expire within the largest horizon, soonest first."""
    day = _as_date(today)
    limit = day.toordinal() + max(horizons)
    qs = (
        lots_for(user)
        .filter(quantity_on_hand__gt=0, expiry_date__isnull=False, expiry_date__lte=date.fromordinal(limit))
        .order_by("expiry_date", "id")
    )
    return [
        ExpiryLine(lot, expiry_bucket(lot.expiry_date, day, horizons), (lot.expiry_date - day).days)  # type: ignore[operator]
        for lot in qs
    ]


def rotation_for(
    user: Any, *, horizon_days: int = 90, min_remaining_fraction: float = 0.0, today: date | None = None
) -> list[tuple[RotationSuggestion, StockLot]]:
    """Rotation (轮换) / write-off suggestions for visible lots, with the lot."""
    day = _as_date(today)
    lots = {lot.pk: lot for lot in lots_for(user).filter(quantity_on_hand__gt=0, expiry_date__isnull=False)}
    ages = [
        LotAge(lot.pk, lot.quantity_on_hand, lot.expiry_date, lot.production_date, lot.item.shelf_life_days)
        for lot in lots.values()
    ]
    return [
        (s, lots[s.lot_id])
        for s in rotation_suggestions(
            ages, day, horizon_days=horizon_days, min_remaining_fraction=min_remaining_fraction
        )
    ]


def held_by_division(user: Any, *, today: date | None = None) -> dict[tuple[str, str], Decimal]:
    """Available, unexpired stock per (depot division code, item code), one grouped query."""
    day = _as_date(today)
    rows = (
        StockLot.objects.restrict(user, "view")
        .filter(Q(expiry_date__isnull=True) | Q(expiry_date__gte=day))
        .order_by()
        .values("depot__division__code", "item__code")
        .annotate(
            avail=Sum(ExpressionWrapper(F("quantity_on_hand") - F("quantity_reserved"), output_field=_QTY))
        )
    )
    return {(r["depot__division__code"], r["item__code"]): r["avail"] or ZERO for r in rows}


@dataclass(frozen=True)
class ShortfallRow:
    """A shortfall line with the division and item objects for display."""

    line: ShortfallLine
    division: AdministrativeDivision
    item: SupplyItem


def shortfall(
    user: Any, *, division: AdministrativeDivision | None = None, today: date | None = None
) -> list[ShortfallRow]:
    """Reserve-quota shortfall per (division, item): stock in depots of the division and below.

    Args:
        division: only quotas of this division and those under it.

    Reads quotas as plain rows and the few divisions/items they name in bulk (no model
    instance per quota), and the held stock in one grouped query over the lots.
    """
    qs = ReserveQuota.objects.restrict(user, "view")
    if division is not None:
        qs = qs.filter(division__code__startswith=division.scope_prefix)
    quotas = list(qs.order_by().values_list("division_id", "item_id", "basis", "quantity", "hazard"))
    if not quotas:
        return []
    divisions = AdministrativeDivision.objects.defer("boundary").in_bulk({q[0] for q in quotas})
    items = SupplyItem.objects.in_bulk({q[1] for q in quotas})
    item_codes = {i.code for i in items.values()}
    by_item: dict[str, list[tuple[str, Decimal]]] = {}
    for (depot_div, icode), qty in held_by_division(user, today=today).items():
        if icode in item_codes:
            by_item.setdefault(icode, []).append((depot_div, qty))
    held: dict[tuple[str, str], Decimal] = {}
    rules = []
    for div_id, item_id, basis, quantity, hazard in quotas:
        div, item = divisions[div_id], items[item_id]
        key = (div.code, item.code)
        if key not in held:
            prefix = div.scope_prefix
            held[key] = sum((q for d, q in by_item.get(item.code, ()) if d.startswith(prefix)), ZERO)
        rules.append(QuotaRule(div.code, item.code, basis, quantity, hazard))
    by_code = {d.code: d for d in divisions.values()}
    items_by_code = {i.code: i for i in items.values()}
    populations = {code: d.population for code, d in by_code.items()}
    lines = shortfall_report(rules, populations, held)
    return [ShortfallRow(line, by_code[line.division_code], items_by_code[line.item_code]) for line in lines]


# ---- reach ("what can reach township X") ------------------------------------------------


def team_skills(team: RescueTeam) -> frozenset[str]:
    """A team's skill tags: its own tags, its specialty, and its members' skills."""
    tags = set(split_tags(team.skills))
    if team.specialty:
        tags.add(team.specialty)
    for member in team.members.all():
        tags.update(split_tags(member.skills))
    return frozenset(tags)


def _point(lon: float | None, lat: float | None) -> GeoPoint | None:
    return GeoPoint(lon, lat) if lon is not None and lat is not None else None


@dataclass(frozen=True)
class Reach:
    """Ranked candidates around a township seat."""

    origin: GeoPoint
    depots: list[Ranked[DepotHolding]]
    teams: list[Ranked[TeamCandidate]]
    shelters: list[Ranked[ShelterCandidate]]


def reach_from(
    user: Any,
    division: AdministrativeDivision,
    *,
    item: SupplyItem | None = None,
    min_quantity: Decimal = ZERO,
    skill: str | None = None,
    min_free: int = 1,
    limit: int = 5,
    today: date | None = None,
) -> Reach | None:
    """Nearest depots holding ``item``, nearest ready teams with ``skill``, open shelters with room.

    Distances are geodesic from the township seat (None when the division has no seat).
    """
    origin = _point(division.point_lon, division.point_lat)
    if origin is None:
        return None
    holdings: list[DepotHolding] = []
    if item is not None:
        day = _as_date(today)
        rows = (
            StockLot.objects.restrict(user, "view")
            .filter(item=item)
            .filter(Q(expiry_date__isnull=True) | Q(expiry_date__gte=day))
            .order_by()
            .values("depot_id", "depot__name", "depot__lon", "depot__lat")
            .annotate(
                avail=Sum(
                    ExpressionWrapper(F("quantity_on_hand") - F("quantity_reserved"), output_field=_QTY)
                )
            )
        )
        holdings = [
            DepotHolding(
                r["depot_id"], r["depot__name"], _point(r["depot__lon"], r["depot__lat"]), r["avail"] or ZERO
            )
            for r in rows
        ]
    teams = [
        TeamCandidate(t.pk, t.name, _point(t.lon, t.lat), team_skills(t), t.readiness, t.member_count)
        for t in rescue_teams_for(user).prefetch_related("members")
    ]
    shelters = [
        ShelterCandidate(s.pk, s.name, _point(s.lon, s.lat), s.capacity_persons, s.occupancy, s.status)
        for s in shelters_for(user)
    ]
    return Reach(
        origin,
        nearest_depots(origin, holdings, min_quantity=min_quantity, limit=limit),
        nearest_teams(origin, teams, skill=skill, limit=limit),
        open_shelters(origin, shelters, min_free=min_free, limit=limit),
    )
