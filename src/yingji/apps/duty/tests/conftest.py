"""Fixtures for the duty tests: desk personas, a roster, a registered test provider."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from yingji.apps.duty.handover_items import HandoverItem, register_provider
from yingji.apps.duty.tests.factories import RosterFactory, make_shift


@pytest.fixture
def leader(make_persona: Any) -> Any:
    return make_persona("duty_leader", username="leader1")


@pytest.fixture
def officer2(make_persona: Any) -> Any:
    return make_persona("duty_officer", username="duty2")


@pytest.fixture
def roster(county: Any) -> Any:
    return RosterFactory(division=county)


@pytest.fixture
def current_shift(roster: Any, leader: Any, duty_officer: Any) -> Any:
    """A 24 h shift that started two hours ago: leader1 leads, duty1 is on duty."""
    return make_shift(roster, timezone.now() - timedelta(hours=2), leader=leader, officers=[duty_officer])


@pytest.fixture
def open_items() -> Iterator[list[HandoverItem]]:
    """Register a provider returning the items in the yielded (mutable) list; removed afterwards."""
    items: list[HandoverItem] = []
    register_provider("duty-tests", lambda user: list(items))
    yield items
    register_provider("duty-tests", lambda user: [])
