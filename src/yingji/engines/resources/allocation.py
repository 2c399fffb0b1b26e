"""Allocating a requested quantity across stock lots: nearest depot first, FEFO within a depot.

FEFO (first expired, first out) is the usual rule for perishable relief supplies
(WHO/IFRC warehouse practice); lots without an expiry date are drawn last.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from yingji.engines.resources.model import (
    Allocation,
    Draw,
    InsufficientStockError,
    LotSource,
    ResourceInputError,
)

_FAR_FUTURE = date.max


def fefo_order(lots: Iterable[LotSource]) -> list[LotSource]:
    """Lots ordered by depot rank, then expiry date (none last), then lot id."""
    return sorted(lots, key=lambda lot: (lot.rank, lot.depot_id, lot.expiry_date or _FAR_FUTURE, lot.lot_id))


def allocate(
    requested: Decimal,
    lots: Iterable[LotSource],
    *,
    allow_partial: bool = False,
    what: str = "",
) -> Allocation:
    """Cover ``requested`` from ``lots`` (see :func:`fefo_order`).

    Args:
        requested: quantity wanted (> 0).
        lots: candidate lots with their available quantity.
        allow_partial: return what can be covered instead of raising.
        what: label for the error message (item name).

    Returns:
        ``Allocation`` whose draws sum to ``allocated``.

    Raises:
        ResourceInputError: ``requested`` ≤ 0 or a lot with negative availability.
        InsufficientStockError: not enough stock and ``allow_partial`` is False.
    """
    if requested <= 0:
        raise ResourceInputError(f"数量须大于0: {requested} (quantity must be positive)")
    ordered = fefo_order(lots)
    if any(lot.available < 0 for lot in ordered):
        raise ResourceInputError("批次可用数量为负 (negative available quantity)")
    total = sum((lot.available for lot in ordered), Decimal("0"))
    if total < requested and not allow_partial:
        raise InsufficientStockError(requested, total, what)
    remaining = requested
    draws: list[Draw] = []
    for lot in ordered:
        if remaining <= 0:
            break
        take = min(lot.available, remaining)
        if take > 0:
            draws.append(Draw(lot.lot_id, lot.depot_id, take))
            remaining -= take
    return Allocation(requested, requested - remaining, tuple(draws))
