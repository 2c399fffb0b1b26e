"""The demo roster: two weeks of shifts for the demo accounts, labelled is_demo, idempotent."""

from __future__ import annotations

import pytest

from yingji.apps.duty import selectors
from yingji.apps.duty.demo import seed_demo_roster
from yingji.apps.duty.models import DutyLogEntry, Shift

pytestmark = pytest.mark.django_db


def test_seed_demo_roster(county, make_persona):
    users = [
        make_persona("duty_officer", username="duty"),
        make_persona("duty_leader", username="leader"),
        make_persona("commander", username="commander"),
        make_persona("auditor", username="auditor"),
    ]
    result = seed_demo_roster(county, users, days=14, seed=1)
    assert result.shifts_created == 15  # yesterday + 14 days
    assert result.roster.is_demo and all(s.is_demo for s in Shift.objects.all())
    assert DutyLogEntry.objects.filter(is_demo=True).count() == 4
    duty = selectors.on_duty_now(user=users[0])
    assert duty.shift is not None and duty.leader.username in {"leader", "commander"}
    assert [o.username for o in duty.officers] == ["duty"]
    again = seed_demo_roster(county, users, days=14, seed=1)
    assert again.shifts_created == 0 and again.log_entries_created == 0
    assert Shift.objects.count() == 15
    with pytest.raises(ValueError):
        seed_demo_roster(county, users[3:], days=3)
