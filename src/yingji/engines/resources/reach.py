""" "What can reach township X": rank depots, teams and shelters by distance from a point.

Distance is the geodesic (straight-line) distance from the township seat
(:mod:`.geo`). Candidates without a location are listed after located ones, in
input order, with ``distance_m=None``; they are never silently dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TypeVar

from yingji.engines.resources.geo import distances_m
from yingji.engines.resources.model import (
    DepotHolding,
    GeoPoint,
    Ranked,
    ResourceInputError,
    ShelterCandidate,
    TeamCandidate,
)

T = TypeVar("T")


def _rank(
    origin: GeoPoint, items: Sequence[T], point_of: Callable[[T], GeoPoint | None], limit: int | None
) -> list[Ranked[T]]:
    if limit is not None and limit < 1:
        raise ResourceInputError(f"limit 须为正整数: {limit}")
    dists = distances_m(origin, [point_of(i) for i in items])
    ranked = [Ranked(item, d) for item, d in zip(items, dists, strict=True)]
    order = sorted(
        range(len(ranked)),
        key=lambda k: (ranked[k].distance_m is None, ranked[k].distance_m or 0.0, k),
    )
    result = [ranked[k] for k in order]
    return result[:limit] if limit is not None else result


def nearest_depots(
    origin: GeoPoint,
    holdings: Iterable[DepotHolding],
    *,
    min_quantity: Decimal = Decimal("0"),
    limit: int | None = None,
) -> list[Ranked[DepotHolding]]:
    """Depots holding more than ``min_quantity`` (strictly positive when 0) of the item, nearest first.

    Args:
        origin: the township seat.
        holdings: available quantity per depot for one item.
        min_quantity: keep depots whose available quantity is ≥ this (and > 0).
        limit: at most this many results.

    Raises:
        ResourceInputError: negative ``min_quantity`` or non-positive ``limit``.
    """
    if min_quantity < 0:
        raise ResourceInputError(f"数量不能为负: {min_quantity}")
    keep = [h for h in holdings if h.available > 0 and h.available >= min_quantity]
    return _rank(origin, keep, lambda h: h.point, limit)


def nearest_teams(
    origin: GeoPoint,
    teams: Iterable[TeamCandidate],
    *,
    skill: str | None = None,
    ready_only: bool = True,
    limit: int | None = None,
) -> list[Ranked[TeamCandidate]]:
    """Teams with ``skill`` (case-insensitive, substring of a tag), nearest first.

    ``ready_only`` keeps teams whose readiness is ``ready``.
    """
    wanted = (skill or "").strip().casefold()
    keep = [
        t
        for t in teams
        if (not ready_only or t.readiness == "ready")
        and (not wanted or any(wanted in s.casefold() for s in t.skills))
    ]
    return _rank(origin, keep, lambda t: t.point, limit)


def open_shelters(
    origin: GeoPoint,
    shelters: Iterable[ShelterCandidate],
    *,
    min_free: int = 1,
    limit: int | None = None,
) -> list[Ranked[ShelterCandidate]]:
    """Open shelters with at least ``min_free`` free places, nearest first."""
    keep = [s for s in shelters if s.status == "open" and s.free >= max(min_free, 1)]
    return _rank(origin, keep, lambda s: s.point, limit)
