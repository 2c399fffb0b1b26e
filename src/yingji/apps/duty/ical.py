"""iCalendar (RFC 5545) rendering of shifts, with the ``icalendar`` library.

Times are written in the deployment time zone (Asia/Shanghai) with its
VTIMEZONE component, so calendar apps show local duty times.
"""

from __future__ import annotations

from collections.abc import Iterable

import icalendar
from django.utils import timezone

from yingji.apps.duty.models import Shift
from yingji.apps.duty.services import local_tz

PRODID = "-//yingji//duty roster//ZH"


def shifts_calendar(shifts: Iterable[Shift], *, name: str, host: str = "yingji") -> bytes:
    """One VCALENDAR with a VEVENT per shift (leader and officers in the description).

    Args:
        shifts: shifts with ``leader``, ``roster`` and ``officers`` loaded.
        name: calendar name (X-WR-CALNAME).
        host: domain part of each event UID (``duty-shift-<id>@<host>``).

    Returns:
        The calendar as UTF-8 bytes (``text/calendar``).
    """
    tz = local_tz()
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(tz))
    for shift in shifts:
        officers = "、".join(str(o) for o in shift.officers.all()) or "—"
        leader = str(shift.leader) if shift.leader else "—"
        event = icalendar.Event()
        event.add("uid", f"duty-shift-{shift.pk}@{host}")
        event.add("summary", f"值班 {shift.roster.name} {shift.label}".strip())
        event.add("dtstart", timezone.localtime(shift.starts_at, tz))
        event.add("dtend", timezone.localtime(shift.ends_at, tz))
        event.add("dtstamp", shift.updated_at)
        event.add("sequence", shift.version)
        event.add("description", f"带班领导: {leader}\n值班员: {officers}\n{shift.note}".strip())
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
