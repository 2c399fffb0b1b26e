"""Dispatch orders: request, approve (reserve), issue from two depots, receive; partial; returns; states."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yingji.apps.resources import selectors, services
from yingji.apps.resources.models import DispatchOrder, StockLot
from yingji.apps.resources.tests.factories import DepotFactory, SupplyItemFactory

pytestmark = pytest.mark.django_db

S = DispatchOrder.Status


@pytest.fixture
def commander(make_persona):
    return make_persona("commander")


@pytest.fixture
def stocked(commander, township):
    near = DepotFactory(name="近库", lon=township.point_lon + 0.01, lat=township.point_lat)
    far = DepotFactory(name="远库", lon=township.point_lon - 0.3, lat=township.point_lat)
    item = SupplyItemFactory(name="棉被", unit="床")
    services.receive_stock(
        actor=commander, depot=near, item=item, quantity=30, batch="N1", expiry_date="2099-01-01"
    )
    services.receive_stock(actor=commander, depot=far, item=item, quantity=100, batch="F1")
    return near, far, item


def _lot(depot, item):
    return StockLot.objects.get(depot=depot, item=item)


def test_full_flow_across_two_depots(commander, township, stocked):
    near, far, item = stocked
    # given a request for 50 quilts to 焉耆镇
    order = services.request_dispatch(
        actor=commander, division=township, destination="焉耆镇安置点", lines=[(item, D("50"))]
    )
    assert order.status == S.REQUESTED and order.code.startswith("DB")
    # when approved: nearest depot first (30), the rest from the far depot (20), reserved not issued
    order = services.approve_dispatch(order, actor=commander)
    assert order.status == S.APPROVED
    assert (_lot(near, item).quantity_reserved, _lot(far, item).quantity_reserved) == (D("30"), D("20"))
    assert _lot(near, item).quantity_on_hand == D("30")
    # when the near depot issues first: partially issued
    order = services.issue_dispatch(order, actor=commander, depot=near)
    assert order.status == S.PARTIALLY_ISSUED
    assert _lot(near, item).quantity_on_hand == 0 and _lot(near, item).quantity_reserved == 0
    # then the far depot issues: in transit
    order = services.issue_dispatch(order, actor=commander)
    assert order.status == S.IN_TRANSIT
    assert (_lot(far, item).quantity_on_hand, _lot(far, item).quantity_reserved) == (D("80"), D("0"))
    order = services.receive_dispatch(order, actor=commander)
    assert order.status == S.RECEIVED
    # returns go back into the source lot
    alloc = order.lines.get().allocations.get(lot__depot=far)
    services.return_dispatch(order, actor=commander, allocation=alloc, quantity=5)
    assert _lot(far, item).quantity_on_hand == D("85")
    with pytest.raises(ValidationError):
        services.return_dispatch(order, actor=commander, allocation=alloc, quantity=16)
    assert selectors.ledger_mismatches() == []


def test_partial_fulfilment_when_stock_is_short_and_cancel_of_remainder(commander, township, stocked):
    near, far, item = stocked
    order = services.request_dispatch(
        actor=commander, division=township, destination="x", lines=[(item, 200)]
    )
    order = services.approve_dispatch(order, actor=commander)
    line = order.lines.get()
    assert line.quantity_approved == D("130")  # all there is
    services.issue_dispatch(order, actor=commander, depot=near)
    order = services.cancel_dispatch(order, actor=commander, reason="远库道路中断")
    assert order.status == S.IN_TRANSIT
    assert _lot(far, item).quantity_reserved == 0 and _lot(far, item).quantity_on_hand == 100
    assert order.lines.get().quantity_approved == D("30")


def test_transfer_into_destination_depot_on_receipt(commander, township, stocked):
    near, far, item = stocked
    order = services.request_dispatch(
        actor=commander, division=township, destination="近库", destination_depot=near, lines=[(item, 10)]
    )
    order = services.approve_dispatch(order, actor=commander)
    services.issue_dispatch(order, actor=commander)
    services.receive_dispatch(order, actor=commander)
    assert StockLot.objects.get(depot=near, item=item, batch="F1").quantity_on_hand == 10
    assert _lot(far, item).quantity_on_hand == 90


def test_approval_needs_permission_and_state(commander, township, stocked, make_persona):
    _near, _far, item = stocked
    order = services.request_dispatch(actor=commander, division=township, destination="x", lines=[(item, 1)])
    duty = make_persona("duty_officer")
    with pytest.raises(PermissionDenied):
        services.approve_dispatch(order, actor=duty)
    with pytest.raises(services.StateError):
        services.issue_dispatch(order, actor=commander)
    services.reject_dispatch(order, actor=commander, reason="重复申请")
    with pytest.raises(services.StateError):
        services.approve_dispatch(order, actor=commander)


def test_approval_with_no_stock_writes_nothing(commander, township):
    item = SupplyItemFactory()
    order = services.request_dispatch(actor=commander, division=township, destination="x", lines=[(item, 1)])
    with pytest.raises(services.InsufficientStock):
        services.approve_dispatch(order, actor=commander)
    order.refresh_from_db()
    assert order.status == S.REQUESTED and order.lines.get().quantity_approved == 0


def test_expired_lots_are_not_allocated(commander, township):
    depot, item = DepotFactory(), SupplyItemFactory()
    services.receive_stock(
        actor=commander, depot=depot, item=item, quantity=5, batch="old", expiry_date="2020-01-01"
    )
    order = services.request_dispatch(actor=commander, division=township, destination="x", lines=[(item, 1)])
    with pytest.raises(services.InsufficientStock):
        services.approve_dispatch(order, actor=commander)


def test_bad_requests(commander, township):
    item = SupplyItemFactory()
    with pytest.raises(ValidationError):
        services.request_dispatch(actor=commander, division=township, destination="x", lines=[])
    with pytest.raises(ValidationError):
        services.request_dispatch(actor=commander, division=township, destination="x", lines=[(item, -1)])
    with pytest.raises(ValidationError):
        services.request_dispatch(
            actor=commander, division=township, destination="x", lines=[(item, 1), (item, 2)]
        )
    assert not DispatchOrder.objects.exists()


def test_receipt_naming_an_unknown_allocation_is_refused(commander, township, stocked):
    _near, _far, item = stocked
    order = services.request_dispatch(
        actor=commander, division=township, destination="安置点", lines=[(item, D("5"))]
    )
    order = services.issue_dispatch(services.approve_dispatch(order, actor=commander), actor=commander)
    with pytest.raises(ValidationError) as exc:
        services.receive_dispatch(order, actor=commander, received={999999: "1"})
    assert "received" in exc.value.message_dict
    order.refresh_from_db()
    assert order.status == S.IN_TRANSIT  # nothing received
