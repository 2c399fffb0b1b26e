"""Stock ledger: receive, issue, transfer, count, write-off; balance = ledger sum; bad input refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from yingji.apps.audit.models import ChangeRecord
from yingji.apps.resources import selectors, services
from yingji.apps.resources.models import StockLot, StockMovement
from yingji.apps.resources.tests.factories import DepotFactory, SupplyItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(make_persona):
    return make_persona("commander")


def test_receive_issue_transfer_adjust_write_off_keep_ledger_and_balance_equal(actor):
    # given a depot and an item
    a, b = DepotFactory(), DepotFactory()
    item = SupplyItemFactory(unit="箱")
    # when stock moves in every way
    mv = services.receive_stock(
        actor=actor,
        depot=a,
        item=item,
        quantity="100.5",
        batch="B1",
        production_date="2024-01-01",
        expiry_date="2026-01-01",
        location="A-01",
    )
    lot = mv.lot
    services.issue_stock(lot, actor=actor, quantity=D("10.25"))
    services.transfer_stock(lot, actor=actor, to_depot=b, quantity=D("20"))
    services.adjust_stock(lot, actor=actor, counted_quantity=D("70"))
    services.write_off_stock(lot, actor=actor, quantity=D("5"), reason="破损")
    # then the running balances equal the ledger and the stock card reproduces them
    lot.refresh_from_db()
    assert lot.quantity_on_hand == D("65")
    assert selectors.ledger_mismatches() == []
    kinds = list(StockMovement.objects.filter(lot=lot).values_list("kind", "quantity", "balance_after"))
    assert kinds == [
        ("receive", D("100.5"), D("100.5")),
        ("issue", D("-10.25"), D("90.25")),
        ("transfer_out", D("-20"), D("70.25")),
        ("adjust", D("-0.25"), D("70")),
        ("write_off", D("-5"), D("65")),
    ]
    moved = StockLot.objects.get(depot=b, item=item, batch="B1")
    assert moved.quantity_on_hand == D("20") and moved.expiry_date == date(2026, 1, 1)
    opening, lines = selectors.stock_card(actor, depot=a, item=item)
    assert opening == 0 and [line.balance for line in lines][-1] == D("65")
    assert ChangeRecord.objects.filter(model_name="stockmovement").count() == 6


def test_receiving_into_same_batch_adds_to_the_lot(actor):
    depot, item = DepotFactory(), SupplyItemFactory()
    services.receive_stock(actor=actor, depot=depot, item=item, quantity=5, batch="X")
    services.receive_stock(actor=actor, depot=depot, item=item, quantity=7, batch="X")
    assert StockLot.objects.get(depot=depot, item=item, batch="X").quantity_on_hand == D("12")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"quantity": "-3"}, "quantity"),
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "abc"}, "quantity"),
        ({"quantity": "1.00001"}, "quantity"),
        ({"quantity": "5", "production_date": "2025-05-01", "expiry_date": "2025-04-01"}, "expiry_date"),
    ],
)
def test_bad_receipts_are_refused_and_write_nothing(actor, kwargs, field):
    depot, item = DepotFactory(), SupplyItemFactory()
    with pytest.raises(ValidationError) as err:
        services.receive_stock(actor=actor, depot=depot, item=item, **kwargs)
    assert field in err.value.message_dict
    assert not StockLot.objects.exists() and not StockMovement.objects.exists()


def test_issuing_more_than_available_is_refused_with_clear_error(actor):
    depot, item = DepotFactory(name="一号库"), SupplyItemFactory(name="帐篷", unit="顶")
    lot = services.receive_stock(actor=actor, depot=depot, item=item, quantity=3).lot
    with pytest.raises(services.InsufficientStock) as err:
        services.issue_stock(lot, actor=actor, quantity=4)
    assert (
        "帐篷" in err.value.message_dict["quantity"][0]
        and "可用 3顶" in err.value.message_dict["quantity"][0]
    )
    lot.refresh_from_db()
    assert lot.quantity_on_hand == 3 and lot.movements.count() == 1


def test_count_below_reserved_and_write_off_without_reason_are_refused(actor):
    depot, item = DepotFactory(), SupplyItemFactory()
    lot = services.receive_stock(actor=actor, depot=depot, item=item, quantity=10).lot
    StockLot.objects.filter(pk=lot.pk).update(quantity_reserved=6)
    with pytest.raises(ValidationError):
        services.adjust_stock(lot, actor=actor, counted_quantity=5)
    with pytest.raises(ValidationError):
        services.write_off_stock(lot, actor=actor, quantity=1, reason=" ")
    with pytest.raises(services.InsufficientStock):
        services.issue_stock(lot, actor=actor, quantity=5)  # only 4 available, 6 reserved
    assert services.adjust_stock(lot, actor=actor, counted_quantity=10) is None
