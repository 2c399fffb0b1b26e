"""Dispatch-order (调拨单) workflow: request → approve (reserve) → issue → in transit → received.

* ``approve_dispatch`` reserves stock on lots (nearest depot to the destination
  first, FEFO within a depot; expired lots are never allocated), possibly less than
  requested (partial fulfilment). Needs ``resources.approve_dispatchorder``.
* ``issue_dispatch`` decrements the reserved stock (all depots or one) in one
  transaction; the order is ``partially_issued`` until every reservation is issued.
* ``cancel_dispatch`` releases what is not issued yet; ``receive_dispatch`` closes the
  order (into ``destination_depot`` when it has one); ``return_dispatch`` brings goods back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from yingji.apps.audit.services import record_change, snapshot
from yingji.apps.directory.models import AdministrativeDivision
from yingji.apps.resources.models import (
    Depot,
    DispatchAllocation,
    DispatchLine,
    DispatchOrder,
    StockLot,
    StockMovement,
    SupplyItem,
)
from yingji.apps.resources.services.common import (
    InsufficientStock,
    StateError,
    positive_quantity,
    serialised_write,
)
from yingji.apps.resources.services.stock import lock_lot, post_movement, receive_stock
from yingji.engines.resources import GeoPoint, LotSource, allocate, distances_m

Status = DispatchOrder.Status
APPROVE_PERMISSION = "resources.approve_dispatchorder"
ZERO = Decimal("0")


def _lock_order(order: DispatchOrder, allowed: Iterable[str], verb: str) -> DispatchOrder:
    locked = DispatchOrder.objects.select_for_update().get(pk=order.pk)
    if locked.status not in set(allowed):
        raise StateError(f"调拨单{locked.code}当前为“{locked.get_status_display()}”，不能{verb}")
    return locked


def _audit(order: DispatchOrder, before: dict[str, Any], actor: Any) -> None:
    record_change(order, "update", before, actor=actor)


def request_dispatch(
    *,
    actor: Any,
    division: AdministrativeDivision,
    destination: str,
    lines: Iterable[tuple[SupplyItem, Any]],
    purpose: str = "",
    destination_depot: Depot | None = None,
    note: str = "",
    is_demo: bool = False,
) -> DispatchOrder:
    """Create a dispatch order in ``requested`` state with one line per item.

    Args:
        division: destination division (scope of the order).
        lines: ``(item, quantity)`` pairs; quantities > 0, items distinct.

    Raises:
        ValidationError: no lines, duplicate items, bad quantities, missing destination.
    """
    parsed: list[tuple[SupplyItem, Decimal]] = []
    seen: set[int] = set()
    for item, qty in lines:
        if item.pk in seen:
            raise ValidationError({"lines": [f"物资“{item.name}”重复"]})
        seen.add(item.pk)
        parsed.append((item, positive_quantity(qty, "lines")))
    if not parsed:
        raise ValidationError({"lines": ["调拨单至少需要一项物资"]})
    with transaction.atomic():
        order = DispatchOrder(
            code=f"TMP-{uuid.uuid4().hex[:20]}",
            division=division,
            destination=destination,
            destination_depot=destination_depot,
            purpose=purpose,
            note=note,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
            is_demo=is_demo,
        )
        order.full_clean()
        order.save()
        order.code = f"DB{timezone.localdate():%Y%m%d}-{order.pk:05d}"
        order.save(update_fields=["code"])
        for item, qty in parsed:
            DispatchLine.objects.create(order=order, item=item, quantity_requested=qty)
        record_change(order, "create", None, actor=actor)
    return order


def _origin(order: DispatchOrder) -> GeoPoint | None:
    dest = order.destination_depot
    if dest is not None and dest.lon is not None and dest.lat is not None:
        return GeoPoint(dest.lon, dest.lat)
    div = order.division
    if div.point_lon is not None and div.point_lat is not None:
        return GeoPoint(div.point_lon, div.point_lat)
    return None


@serialised_write
def approve_dispatch(
    order: DispatchOrder,
    *,
    actor: Any,
    source_depots: Iterable[Depot] | None = None,
    quantities: Mapping[int, Any] | None = None,
    note: str = "",
) -> DispatchOrder:
    """Approve ``order`` and reserve stock for each line.

    Args:
        source_depots: depots to draw from (default: every depot except the destination).
        quantities: ``{line_id: quantity}`` to approve less than requested.

    Returns:
        The order, ``approved``; each line's ``quantity_approved`` may be less than
        requested when stock is short (partial fulfilment).

    Raises:
        PermissionDenied: actor lacks ``resources.approve_dispatchorder``.
        StateError: order not ``requested``.
        InsufficientStock: nothing at all can be reserved.
        ValidationError: approved quantity above the request or ≤ 0.
    """
    if actor is None or not actor.has_perm(APPROVE_PERMISSION):
        raise PermissionDenied("审批调拨单需要审批权限")
    depot_ids = [d.pk for d in source_depots] if source_depots is not None else None
    today = timezone.localdate()
    with transaction.atomic():
        locked = _lock_order(order, [Status.REQUESTED], "审批")
        before = snapshot(locked)
        origin = _origin(locked)
        total = ZERO
        for line in locked.lines.select_related("item").order_by("id"):
            wanted = line.quantity_requested
            if quantities and line.pk in quantities:
                wanted = positive_quantity(quantities[line.pk], f"line_{line.pk}")
                if wanted > line.quantity_requested:
                    raise ValidationError({f"line_{line.pk}": ["核准数量不能大于申请数量"]})
            lots_qs = (
                StockLot.objects.select_for_update()
                .filter(item_id=line.item_id, quantity_on_hand__gt=F("quantity_reserved"))
                .filter(Q(expiry_date__isnull=True) | Q(expiry_date__gte=today))
                .select_related("depot")
                .order_by("id")
            )
            if depot_ids is not None:
                lots_qs = lots_qs.filter(depot_id__in=depot_ids)
            if locked.destination_depot_id:
                lots_qs = lots_qs.exclude(depot_id=locked.destination_depot_id)
            lots = list(lots_qs)
            points = [
                GeoPoint(lot.depot.lon, lot.depot.lat)
                if lot.depot.lon is not None and lot.depot.lat is not None
                else None
                for lot in lots
            ]
            dists = distances_m(origin, points) if origin is not None else [None] * len(lots)
            sources = [
                LotSource(
                    lot.pk,
                    lot.depot_id,
                    lot.quantity_available,
                    lot.expiry_date,
                    d if d is not None else 1e12,
                )
                for lot, d in zip(lots, dists, strict=True)
            ]
            alloc = allocate(wanted, sources, allow_partial=True, what=line.item.name)
            by_id = {lot.pk: lot for lot in lots}
            for draw in alloc.draws:
                lot = by_id[draw.lot_id]
                lot.quantity_reserved += draw.quantity
                lot.save(update_fields=["quantity_reserved"])
                DispatchAllocation.objects.create(line=line, lot=lot, quantity_reserved=draw.quantity)
            line.quantity_approved = alloc.allocated
            line.save(update_fields=["quantity_approved"])
            total += alloc.allocated
        if total <= 0:
            raise InsufficientStock("所选储备库没有可调拨的库存 (no stock available)", field="lines")
        locked.status = Status.APPROVED
        locked.approved_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.approved_at = timezone.now()
        if note:
            locked.note = note[:300]
        locked.save()
        _audit(locked, before, actor)
    return locked


@serialised_write
def reject_dispatch(order: DispatchOrder, *, actor: Any, reason: str) -> DispatchOrder:
    """Reject a requested order (needs the approval permission and a reason).

    Raises:
        PermissionDenied, StateError, ValidationError (no reason).
    """
    if actor is None or not actor.has_perm(APPROVE_PERMISSION):
        raise PermissionDenied("驳回调拨单需要审批权限")
    if not (reason or "").strip():
        raise ValidationError({"reason": ["须填写驳回原因"]})
    with transaction.atomic():
        locked = _lock_order(order, [Status.REQUESTED], "驳回")
        before = snapshot(locked)
        locked.status = Status.REJECTED
        locked.note = reason[:300]
        locked.save()
        _audit(locked, before, actor)
    return locked


@serialised_write
def issue_dispatch(order: DispatchOrder, *, actor: Any, depot: Depot | None = None) -> DispatchOrder:
    """Issue the reserved, not yet issued stock of ``order`` (only from ``depot`` if given).

    Each issue locks the lot, appends an ``issue`` ledger row and consumes the
    reservation, all in one transaction.

    Raises:
        StateError: order not approved/partially issued, or nothing left to issue there.
    """
    with transaction.atomic():
        locked = _lock_order(order, [Status.APPROVED, Status.PARTIALLY_ISSUED], "出库")
        before = snapshot(locked)
        allocations = DispatchAllocation.objects.filter(
            line__order=locked, quantity_issued__lt=F("quantity_reserved")
        ).order_by("id")
        if depot is not None:
            allocations = allocations.filter(lot__depot=depot)
        todo = list(allocations)
        if not todo:
            raise StateError("没有待出库的预留物资")
        for alloc in todo:
            lot = lock_lot(alloc.lot_id)
            qty = alloc.outstanding
            post_movement(
                lot,
                StockMovement.Kind.ISSUE,
                -qty,
                actor=actor,
                reference=locked.code,
                note=f"调拨至{locked.destination}",
                order=locked,
                release_reserved=qty,
            )
            alloc.quantity_issued = alloc.quantity_reserved
            alloc.save(update_fields=["quantity_issued"])
        remaining = DispatchAllocation.objects.filter(
            line__order=locked, quantity_issued__lt=F("quantity_reserved")
        ).exists()
        locked.status = Status.PARTIALLY_ISSUED if remaining else Status.IN_TRANSIT
        locked.issued_at = timezone.now()
        locked.save()
        _audit(locked, before, actor)
    return locked


@serialised_write
def cancel_dispatch(order: DispatchOrder, *, actor: Any, reason: str = "") -> DispatchOrder:
    """Cancel what is not issued: reservations are released.

    A requested/approved order becomes ``cancelled``; a partially issued one keeps
    its issued part and goes ``in_transit`` (partial fulfilment).

    Raises:
        StateError: order already in transit, received, rejected or cancelled.
    """
    with transaction.atomic():
        locked = _lock_order(order, [Status.REQUESTED, Status.APPROVED, Status.PARTIALLY_ISSUED], "取消")
        before = snapshot(locked)
        for alloc in DispatchAllocation.objects.filter(line__order=locked).order_by("id"):
            outstanding = alloc.outstanding
            if outstanding > 0:
                lot = lock_lot(alloc.lot_id)
                lot.quantity_reserved -= outstanding
                lot.save(update_fields=["quantity_reserved"])
                alloc.quantity_reserved = alloc.quantity_issued
                alloc.save(update_fields=["quantity_reserved"])
        for line in locked.lines.all():
            issued = sum((a.quantity_issued for a in line.allocations.all()), ZERO)
            if line.quantity_approved != issued:
                line.quantity_approved = issued
                line.save(update_fields=["quantity_approved"])
        partially = locked.status == Status.PARTIALLY_ISSUED
        locked.status = Status.IN_TRANSIT if partially else Status.CANCELLED
        if reason:
            locked.note = reason[:300]
        locked.save()
        _audit(locked, before, actor)
    return locked


@serialised_write
def receive_dispatch(
    order: DispatchOrder, *, actor: Any, received: Mapping[int, Any] | None = None
) -> DispatchOrder:
    """Confirm receipt of an in-transit order.

    Args:
        received: ``{allocation_id: quantity}`` when less than issued arrived
            (default: everything issued). With a ``destination_depot`` the received
            goods become stock there (``transfer_in`` rows, same batch and dates).

    Raises:
        StateError: order not in transit.
        ValidationError: a received quantity above the issued one or negative, or an
            allocation id that is not an issued allocation of this order.
    """
    with transaction.atomic():
        locked = _lock_order(order, [Status.IN_TRANSIT], "接收")
        before = snapshot(locked)
        allocs = list(
            DispatchAllocation.objects.filter(line__order=locked, quantity_issued__gt=0)
            .select_related("lot", "lot__item")
            .order_by("id")
        )
        unknown = sorted(set(received or {}) - {a.pk for a in allocs})
        if unknown:
            raise ValidationError(
                {"received": [f"分配记录 {', '.join(map(str, unknown))} 不属于本调拨单或未出库"]}
            )
        for alloc in allocs:
            qty = alloc.quantity_issued
            if received and alloc.pk in received:
                qty = Decimal(str(received[alloc.pk]))
                if qty < 0 or qty > alloc.quantity_issued:
                    raise ValidationError({f"allocation_{alloc.pk}": ["接收数量须在0与出库数量之间"]})
            alloc.quantity_received = qty
            alloc.save(update_fields=["quantity_received"])
            if locked.destination_depot_id and qty > 0:
                receive_stock(
                    actor=actor,
                    depot=locked.destination_depot,  # type: ignore[arg-type]
                    item=alloc.lot.item,
                    quantity=qty,
                    batch=alloc.lot.batch,
                    production_date=alloc.lot.production_date,
                    expiry_date=alloc.lot.expiry_date,
                    reference=locked.code,
                    note=f"调拨单{locked.code}调入",
                    is_demo=locked.is_demo,
                    kind=StockMovement.Kind.TRANSFER_IN,
                    order=locked,
                )
        locked.status = Status.RECEIVED
        locked.received_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.received_at = timezone.now()
        locked.save()
        _audit(locked, before, actor)
    return locked


@serialised_write
def return_dispatch(
    order: DispatchOrder, *, actor: Any, allocation: DispatchAllocation, quantity: Any, note: str = ""
) -> StockMovement:
    """Return unused goods of ``order`` to the lot they were issued from (退库).

    Only for orders without a destination depot (goods there are returned by a transfer).

    Raises:
        StateError: order not in transit/received, or it has a destination depot.
        ValidationError: quantity above issued − already returned, or ≤ 0.
    """
    qty = positive_quantity(quantity)
    with transaction.atomic():
        locked = _lock_order(order, [Status.IN_TRANSIT, Status.RECEIVED], "退库")
        if locked.destination_depot_id:
            raise StateError("调入储备库的物资请通过库间调拨退回")
        alloc = DispatchAllocation.objects.select_for_update().get(pk=allocation.pk, line__order=locked)
        if qty > alloc.quantity_issued - alloc.quantity_returned:
            raise ValidationError(
                {"quantity": [f"退库数量超过可退数量 {(alloc.quantity_issued - alloc.quantity_returned):f}"]}
            )
        lot = lock_lot(alloc.lot_id)
        movement = post_movement(
            lot, StockMovement.Kind.RETURN, qty, actor=actor, reference=locked.code, note=note, order=locked
        )
        alloc.quantity_returned += qty
        alloc.save(update_fields=["quantity_returned"])
    return movement
