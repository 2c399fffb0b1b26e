"""iCal feeds: unguessable per-user token, parse-back with icalendar, Asia/Shanghai times."""

from __future__ import annotations

from datetime import datetime, timedelta

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from yingji.apps.audit.models import ChangeRecord
from yingji.apps.duty import services
from yingji.apps.duty.tests.factories import make_shift

pytestmark = pytest.mark.django_db


def test_person_feed_parses_back_with_local_times(roster, leader, duty_officer, officer2):
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    mine = make_shift(roster, start, leader=leader, officers=[duty_officer], label="全天")
    make_shift(roster, start + timedelta(days=1), leader=leader, officers=[officer2])
    token = services.ensure_calendar_token(actor=duty_officer).token
    assert len(token) >= 40
    r = Client().get(f"/duty/ical/{token}/me.ics")  # no session
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(r.content)
    events = list(cal.walk("VEVENT"))
    assert [e["uid"] for e in events] == [f"duty-shift-{mine.pk}@testserver"]
    dtstart = events[0].decoded("dtstart")
    assert str(dtstart.tzinfo) == "Asia/Shanghai"
    assert dtstart == mine.starts_at and events[0].decoded("dtend") == mine.ends_at
    assert "leader1" in str(events[0]["description"]) or str(leader) in str(events[0]["description"])
    assert cal.walk("VTIMEZONE")[0]["tzid"] == "Asia/Shanghai"


def test_roster_feed_and_bad_tokens(roster, leader, duty_officer, officer2, make_persona):
    start = timezone.now() + timedelta(hours=3)
    make_shift(roster, start, leader=leader, officers=[duty_officer])
    make_shift(roster, start + timedelta(days=1), leader=leader, officers=[officer2])
    token = services.ensure_calendar_token(actor=duty_officer).token
    r = Client().get(f"/duty/ical/{token}/rosters/{roster.pk}.ics")
    assert len(icalendar.Calendar.from_ical(r.content).walk("VEVENT")) == 2
    assert Client().get(f"/duty/ical/{'x' * 43}/me.ics").status_code == 404
    # a user without duty rights gets nothing even with their own token
    outsider = make_persona("public_viewer")
    other = services.ensure_calendar_token(actor=outsider).token
    assert Client().get(f"/duty/ical/{other}/rosters/{roster.pk}.ics").status_code == 404
    # rotating invalidates the old URL, and the audit trail never holds the token
    services.rotate_calendar_token(actor=duty_officer)
    assert Client().get(f"/duty/ical/{token}/me.ics").status_code == 404
    for rec in ChangeRecord.objects.filter(model_name="calendartoken"):
        assert token not in str(rec.before) + str(rec.after)


def test_feed_window_excludes_old_shifts(roster, leader, duty_officer):
    make_shift(roster, datetime(2001, 1, 1, 8, tzinfo=timezone.get_current_timezone()), leader=leader,
               officers=[duty_officer])  # fmt: skip
    token = services.ensure_calendar_token(actor=duty_officer).token
    cal = icalendar.Calendar.from_ical(Client().get(f"/duty/ical/{token}/me.ics").content)
    assert cal.walk("VEVENT") == []
