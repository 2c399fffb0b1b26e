"""Stock ledger use cases: receive, issue, transfer, count adjustment, write-off, import.

Every movement locks its lot (``select_for_update``; on SQLite the transaction is
``BEGIN IMMEDIATE``, which serialises writers), checks the available quantity,
appends a ``StockMovement`` with the balance after it and updates the lot's running
balance in the same transaction. Two concurrent issues of the last units: one
wins, the other gets ``InsufficientStock``. Quantities are exact decimals. Excel
imports of stock go through the shared import layer (``resources.imports``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date

from yingji.apps.audit.services import record_change
from yingji.apps.resources.models import Depot, DispatchOrder, StockLot, StockMovement, SupplyItem
from yingji.apps.resources.models.stock import lot_date_errors
from yingji.apps.resources.services.common import (
    InsufficientStock,
    decimal_quantity,
    positive_quantity,
    serialised_write,
)

Kind = StockMovement.Kind


def lock_lot(lot_id: int) -> StockLot:
    """Re-read lot ``lot_id`` under a row lock (call inside ``transaction.atomic``)."""
    return StockLot.objects.select_for_update(of=("self",)).select_related("item", "depot").get(pk=lot_id)


def post_movement(
    lot: StockLot,
    kind: str,
    delta: Decimal,
    *,
    actor: Any,
    reference: str = "",
    note: str = "",
    order: DispatchOrder | None = None,
    release_reserved: Decimal = Decimal("0"),
    occurred_at: Any = None,
) -> StockMovement:
    """Append one ledger row to a **locked** lot and update its running balance.

    Args:
        lot: a lot returned by :func:`lock_lot` in the current transaction.
        kind: ``StockMovement.Kind`` value.
        delta: signed quantity (≠ 0).
        release_reserved: reserved quantity consumed by this movement (dispatch issue).

    Raises:
        InsufficientStock: the movement would take more than the available
            quantity (on hand − reserved + ``release_reserved``).
        ValidationError: zero delta.
    """
    if delta == 0:
        raise ValidationError({"quantity": ["数量不能为0"]})
    reserved_after = lot.quantity_reserved - release_reserved
    balance = lot.quantity_on_hand + delta
    if balance < reserved_after or balance < 0:
        available = lot.quantity_on_hand - lot.quantity_reserved + release_reserved
        raise InsufficientStock(
            f"{lot.item.name} 在 {lot.depot.name} 批次“{lot.batch or '-'}”可用 {available.normalize():f}"
            f"{lot.item.unit}，不足 {(-delta).normalize():f}{lot.item.unit} (insufficient stock)"
        )
    lot.quantity_on_hand = balance
    lot.quantity_reserved = reserved_after
    lot.save(update_fields=["quantity_on_hand", "quantity_reserved"])
    movement = StockMovement.objects.create(
        lot=lot,
        depot_id=lot.depot_id,
        item_id=lot.item_id,
        kind=kind,
        quantity=delta,
        balance_after=balance,
        occurred_at=occurred_at or timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        dispatch_order=order,
        reference=reference[:64],
        note=note[:200],
        is_demo=lot.is_demo,
    )
    record_change(movement, "create", None, actor=actor)
    return movement


def _as_date(value: Any, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        parsed = parse_date(str(value))
    except ValueError:  # well-formed but impossible, e.g. 2024-02-30
        parsed = None
    if parsed is None:
        raise ValidationError({field: [f"日期格式无效: {value}"]})
    return parsed


def _get_or_create_lot(
    *,
    actor: Any,
    depot: Depot,
    item: SupplyItem,
    batch: str,
    production_date: date | None,
    expiry_date: date | None,
    location: str,
    is_demo: bool,
) -> StockLot:
    lot = StockLot.objects.select_for_update().filter(depot=depot, item=item, batch=batch).first()
    if lot is None:
        lot = StockLot(
            depot=depot,
            item=item,
            batch=batch,
            production_date=production_date,
            expiry_date=expiry_date,
            location=location,
            is_demo=is_demo,
        )
        lot.full_clean()
        lot.save()
        record_change(lot, "create", None, actor=actor)
        return StockLot.objects.select_for_update(of=("self",)).select_related("item", "depot").get(pk=lot.pk)
    for name, value in (("production_date", production_date), ("expiry_date", expiry_date)):
        if value is not None and getattr(lot, name) not in (None, value):
            raise ValidationError(
                {
                    name: [
                        f"批次“{batch or '-'}”已登记{getattr(lot, name)}，与{value}不一致 (lot dates differ)"
                    ]
                }
            )
    return lock_lot(lot.pk)


@serialised_write
def receive_stock(
    *,
    actor: Any,
    depot: Depot,
    item: SupplyItem,
    quantity: Any,
    batch: str = "",
    production_date: Any = None,
    expiry_date: Any = None,
    location: str = "",
    reference: str = "",
    note: str = "",
    is_demo: bool = False,
    kind: str = Kind.RECEIVE,
    order: DispatchOrder | None = None,
) -> StockMovement:
    """Receive ``quantity`` of ``item`` into ``depot`` (lot keyed by depot, item, batch).

    Args:
        quantity: > 0, in the item's unit, at most 4 decimal places.
        production_date, expiry_date: ``date`` or ISO string; for a receipt production is
            not in the future nor before 1901, expiry within 1901..2199 and ≥ production
            (``models.stock.lot_date_errors``).

    Returns:
        The ``RECEIVE`` (or ``kind``) ledger row; ``movement.lot`` is the lot.

    Raises:
        ValidationError: bad quantity or dates, dates differing from the existing lot.
    """
    qty = positive_quantity(quantity)
    prod = _as_date(production_date, "production_date")
    exp = _as_date(expiry_date, "expiry_date")
    if kind == Kind.RECEIVE:
        date_errors = lot_date_errors(prod, exp)
        if date_errors:
            raise ValidationError(date_errors)
    elif prod and exp and exp < prod:
        raise ValidationError({"expiry_date": [f"有效期{exp}早于生产日期{prod} (expiry before production)"]})
    with transaction.atomic():
        lot = _get_or_create_lot(
            actor=actor,
            depot=depot,
            item=item,
            batch=(batch or "").strip(),
            production_date=prod,
            expiry_date=exp,
            location=location,
            is_demo=is_demo,
        )
        if location and not lot.location:
            lot.location = location
            lot.save(update_fields=["location"])
        return post_movement(lot, kind, qty, actor=actor, reference=reference, note=note, order=order)


@serialised_write
def issue_stock(
    lot: StockLot, *, actor: Any, quantity: Any, reference: str = "", note: str = ""
) -> StockMovement:
    """Issue ``quantity`` from ``lot`` (ad-hoc issue outside a dispatch order).

    Raises:
        InsufficientStock: more than on hand − reserved (checked under the row lock).
        ValidationError: quantity ≤ 0 or malformed.
    """
    qty = positive_quantity(quantity)
    with transaction.atomic():
        locked = lock_lot(lot.pk)
        return post_movement(locked, Kind.ISSUE, -qty, actor=actor, reference=reference, note=note)


@serialised_write
def write_off_stock(lot: StockLot, *, actor: Any, quantity: Any, reason: str) -> StockMovement:
    """Write off (报废核销) ``quantity`` of ``lot`` (expired, damaged) with a reason.

    Raises:
        ValidationError: no reason, bad quantity; ``InsufficientStock``.
    """
    if not (reason or "").strip():
        raise ValidationError({"reason": ["须填写核销原因"]})
    qty = positive_quantity(quantity)
    with transaction.atomic():
        locked = lock_lot(lot.pk)
        return post_movement(locked, Kind.WRITE_OFF, -qty, actor=actor, note=reason)


@serialised_write
def adjust_stock(lot: StockLot, *, actor: Any, counted_quantity: Any, note: str = "") -> StockMovement | None:
    """Record a stock count (盘点): post the difference between counted and book quantity.

    Returns:
        The ``ADJUST`` ledger row, or None when the count equals the book.

    Raises:
        ValidationError: negative count, or a count below the reserved quantity.
    """
    counted = decimal_quantity(counted_quantity, "counted_quantity")
    if counted < 0:
        raise ValidationError({"counted_quantity": ["盘点数量不能为负"]})
    with transaction.atomic():
        locked = lock_lot(lot.pk)
        delta = counted - locked.quantity_on_hand
        if delta == 0:
            return None
        if counted < locked.quantity_reserved:
            raise ValidationError(
                {"counted_quantity": [f"盘点数量少于已预留数量 {locked.quantity_reserved.normalize():f}"]}
            )
        return post_movement(locked, Kind.ADJUST, delta, actor=actor, note=note or "盘点")


@serialised_write
def transfer_stock(
    lot: StockLot, *, actor: Any, to_depot: Depot, quantity: Any, location: str = "", note: str = ""
) -> tuple[StockMovement, StockMovement]:
    """Move ``quantity`` of ``lot`` to ``to_depot`` (same item, batch and dates) in one transaction.

    Returns:
        ``(transfer_out, transfer_in)`` ledger rows.

    Raises:
        ValidationError: same depot, bad quantity; ``InsufficientStock``.
    """
    if to_depot.pk == lot.depot_id:
        raise ValidationError({"to_depot": ["调入库不能与调出库相同"]})
    qty = positive_quantity(quantity)
    with transaction.atomic():
        locked = lock_lot(lot.pk)
        ref = f"TR-{locked.pk}-{timezone.now():%Y%m%d%H%M%S}"
        out = post_movement(locked, Kind.TRANSFER_OUT, -qty, actor=actor, reference=ref, note=note)
        inn = receive_stock(
            actor=actor,
            depot=to_depot,
            item=locked.item,
            quantity=qty,
            batch=locked.batch,
            production_date=locked.production_date,
            expiry_date=locked.expiry_date,
            location=location,
            reference=ref,
            note=note,
            is_demo=locked.is_demo,
            kind=Kind.TRANSFER_IN,
        )
    return out, inn
