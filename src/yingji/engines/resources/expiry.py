"""Expiry warnings at configurable horizons and rotation (轮换) suggestions for stock lots.

A lot expires at the end of its ``expiry_date`` (有效期至): on that day it is still
usable, the next day it is expired.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from yingji.engines.resources.model import ResourceInputError

DEFAULT_HORIZONS: tuple[int, ...] = (30, 90, 180)

EXPIRED = "expired"
OK = "ok"
NO_EXPIRY = "no_expiry"

ROTATE = "rotate"
WRITE_OFF = "write_off"


@dataclass(frozen=True)
class LotAge:
    """A lot's dates and quantity on hand (shelf life in days if the item has one)."""

    lot_id: int
    quantity: Decimal
    expiry_date: date | None
    production_date: date | None = None
    shelf_life_days: int | None = None


@dataclass(frozen=True)
class RotationSuggestion:
    """Lot ``lot_id``: ``action`` (``rotate`` or ``write_off``) with ``days_left`` (negative: expired)."""

    lot_id: int
    action: str
    days_left: int
    quantity: Decimal
    reason: str


def _check_horizons(horizons: Sequence[int]) -> tuple[int, ...]:
    if not horizons or any(h <= 0 for h in horizons):
        raise ResourceInputError(f"预警期限须为正整数天: {list(horizons)}")
    return tuple(sorted(set(horizons)))


def expiry_bucket(expiry_date: date | None, today: date, horizons: Sequence[int] = DEFAULT_HORIZONS) -> str:
    """``"expired"``, ``"within_<N>"`` (smallest horizon N with days left ≤ N), ``"ok"`` or ``"no_expiry"``.

    Raises:
        ResourceInputError: empty or non-positive horizons.
    """
    hs = _check_horizons(horizons)
    if expiry_date is None:
        return NO_EXPIRY
    days_left = (expiry_date - today).days
    if days_left < 0:
        return EXPIRED
    for h in hs:
        if days_left <= h:
            return f"within_{h}"
    return OK


def rotation_suggestions(
    lots: Iterable[LotAge], today: date, *, horizon_days: int = 90, min_remaining_fraction: float = 0.0
) -> list[RotationSuggestion]:
    """Lots to rotate (issue first, swap with an agreement supplier, donate) or write off.

    A lot with stock is suggested for ``write_off`` when expired; for ``rotate`` when it
    expires within ``horizon_days``, or when less than ``min_remaining_fraction`` of its
    shelf life remains (needs production date and shelf life). Ordered by days left.

    Raises:
        ResourceInputError: non-positive horizon or fraction outside 0..1.
    """
    if horizon_days <= 0:
        raise ResourceInputError(f"轮换期限须为正整数天: {horizon_days}")
    if not 0.0 <= min_remaining_fraction <= 1.0:
        raise ResourceInputError(f"剩余比例须在0..1之间: {min_remaining_fraction}")
    out: list[RotationSuggestion] = []
    for lot in lots:
        if lot.quantity <= 0 or lot.expiry_date is None:
            continue
        days_left = (lot.expiry_date - today).days
        if days_left < 0:
            out.append(RotationSuggestion(lot.lot_id, WRITE_OFF, days_left, lot.quantity, "已过期"))
        elif days_left <= horizon_days:
            out.append(
                RotationSuggestion(lot.lot_id, ROTATE, days_left, lot.quantity, f"{days_left}天内到期")
            )
        elif min_remaining_fraction and lot.shelf_life_days:
            if days_left < lot.shelf_life_days * min_remaining_fraction:
                out.append(
                    RotationSuggestion(lot.lot_id, ROTATE, days_left, lot.quantity, "剩余保质期不足设定比例")
                )
    out.sort(key=lambda s: (s.days_left, s.lot_id))
    return out
