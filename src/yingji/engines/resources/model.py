"""Typed inputs and outputs of the resources engine (frozen dataclasses, exact decimals).

Coordinates are WGS84 degrees (``lon``, ``lat``); distances are metres on the WGS84
ellipsoid; quantities are ``decimal.Decimal`` in the item's unit of measure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Generic, TypeVar


class ResourceInputError(ValueError):
    """Invalid input to a resources-engine function (negative quantity, bad coordinate...)."""


class InsufficientStockError(ResourceInputError):
    """The sources cannot cover the requested quantity.

    Attributes:
        requested: the quantity asked for.
        available: the total the sources could give.
    """

    def __init__(self, requested: Decimal, available: Decimal, what: str = "") -> None:
        self.requested = requested
        self.available = available
        label = f"{what}: " if what else ""
        super().__init__(f"{label}可用数量 {available} 少于所需 {requested} (insufficient stock)")


@dataclass(frozen=True)
class GeoPoint:
    """A WGS84 point in degrees."""

    lon: float
    lat: float

    def __post_init__(self) -> None:
        if not (-180.0 <= self.lon <= 180.0 and -90.0 <= self.lat <= 90.0):
            raise ResourceInputError(f"坐标超出范围: {self.lon},{self.lat} (lon/lat out of range)")


@dataclass(frozen=True)
class DepotHolding:
    """Available quantity (on hand minus reserved) of one item in one depot."""

    depot_id: int
    name: str
    point: GeoPoint | None
    available: Decimal


@dataclass(frozen=True)
class TeamCandidate:
    """A rescue team with its skill tags and readiness (``ready`` is dispatchable)."""

    team_id: int
    name: str
    point: GeoPoint | None
    skills: frozenset[str]
    readiness: str = "ready"
    members: int = 0


@dataclass(frozen=True)
class ShelterCandidate:
    """A shelter with capacity and occupancy in persons; ``status`` open/closed/full."""

    shelter_id: int
    name: str
    point: GeoPoint | None
    capacity: int
    occupancy: int
    status: str

    @property
    def free(self) -> int:
        """Free places in persons (never negative)."""
        return max(self.capacity - self.occupancy, 0)


T = TypeVar("T")


@dataclass(frozen=True)
class Ranked(Generic[T]):
    """A candidate with its geodesic distance from the origin in metres (None: no location)."""

    item: T
    distance_m: float | None


@dataclass(frozen=True)
class LotSource:
    """A stock lot that can give stock: ``available`` = on hand minus reserved.

    ``rank`` orders depots (e.g. by distance, 0 = first choice); within a depot lots
    are drawn first-expired-first-out (no expiry date = last).
    """

    lot_id: int
    depot_id: int
    available: Decimal
    expiry_date: date | None = None
    rank: float = 0.0


@dataclass(frozen=True)
class Draw:
    """Take ``quantity`` from lot ``lot_id`` in depot ``depot_id``."""

    lot_id: int
    depot_id: int
    quantity: Decimal


@dataclass(frozen=True)
class Allocation:
    """The draws that cover ``requested`` (``allocated`` ≤ ``requested`` when partial)."""

    requested: Decimal
    allocated: Decimal
    draws: tuple[Draw, ...] = field(default_factory=tuple)

    @property
    def shortfall(self) -> Decimal:
        """Quantity not covered (0 when fully allocated)."""
        return self.requested - self.allocated
