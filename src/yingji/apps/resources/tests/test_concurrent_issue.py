"""Two concurrent issues of the last units: exactly one wins, the other gets a clear error.

Runs with real transactions in two threads (each its own connection): SQLite
serialises the writers with ``BEGIN IMMEDIATE``, PostgreSQL with ``SELECT … FOR UPDATE``.
"""

from __future__ import annotations

import threading
from decimal import Decimal as D

import pytest
from django.db import connection

from yingji.apps.resources import selectors, services
from yingji.apps.resources.models import StockLot
from yingji.apps.resources.tests.factories import DepotFactory, SupplyItemFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Transactional tests empty the tables afterwards: reload the reference data if needed."""
    from conftest import MANIFEST

    from yingji.apps.directory.models import AdministrativeDivision
    from yingji.apps.directory.services import load_reference_data

    if not AdministrativeDivision.objects.exists():
        load_reference_data(MANIFEST)


def _race(fn, n: int = 2) -> list[object]:
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = fn(i)
        except Exception as exc:  # collected for the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_two_concurrent_issues_of_the_last_units(make_persona):
    # given a lot with the last 10 units
    actor = make_persona("commander")
    lot = services.receive_stock(
        actor=actor, depot=DepotFactory(), item=SupplyItemFactory(name="帐篷"), quantity=10
    ).lot
    # when two keepers issue 8 of them at the same moment
    copies = [StockLot.objects.get(pk=lot.pk) for _ in range(2)]
    results = _race(lambda i: services.issue_stock(copies[i], actor=actor, quantity=8))
    # then one wins and the other is told there is not enough stock
    winners = [r for r in results if not isinstance(r, Exception)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1, results
    assert len(losers) == 1 and isinstance(losers[0], services.InsufficientStock), results
    assert "帐篷" in losers[0].message_dict["quantity"][0]
    lot.refresh_from_db()
    assert lot.quantity_on_hand == D("2")
    assert selectors.ledger_mismatches() == []
