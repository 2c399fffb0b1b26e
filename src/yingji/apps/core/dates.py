"""Plausibility bounds for dates and times that people type in (forms, API, imports).

A date picker makes typos easy: year 0001 for an empty year, 2062 for 2026, a rectification
deadline already past. The checks below turn those into field errors instead of records:

* nothing before ``EARLIEST`` (2000-01-01): the platform records present-day emergency work;
  historic disasters live in the hazard-history layer, not in these records;
* a time that has happened (an incident, a call) at most ``CLOCK_SKEW`` (10 minutes) ahead
  of the server clock;
* a planned date (a shift, a holiday, a deadline) at most ``PLAN_YEARS`` (5) years ahead.

Each ``*_error`` function returns a translated message (Chinese, English in parentheses, as
elsewhere) or ``None``; callers put it under their field name.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST = date(2000, 1, 1)
CLOCK_SKEW = timedelta(minutes=10)
PLAN_YEARS = 5


def add_years(day: date, years: int) -> date:
    """``day`` moved by ``years`` calendar years (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def latest_planned_date(today: date | None = None, years: int = PLAN_YEARS) -> date:
    """The last plausible planned date: ``today`` (local) plus ``years`` years."""
    return add_years(today or timezone.localdate(), years)


def _earliest_error(day: date) -> str | None:
    if day < EARLIEST:
        return _("日期不能早于%(day)s (implausible date, before %(day)s)") % {"day": EARLIEST.isoformat()}
    return None


def _local_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            return value.date()
        try:
            return timezone.localtime(value).date()
        except OverflowError:  # year 1 or 9999 near the edge of datetime's range
            return value.date()
    return value


def past_date_error(value: date | None, today: date | None = None) -> str | None:
    """Error for a date that must already have come (issued on, counted on): before 2000 or after today."""
    if value is None:
        return None
    if error := _earliest_error(value):
        return error
    if value > (today or timezone.localdate()):
        return _("日期不能晚于今天 (date in the future)")
    return None


def past_time_error(value: datetime | None, *, skew: timedelta = CLOCK_SKEW) -> str | None:
    """Error for a time that has happened (an incident, a call): before 2000 or ahead of now + ``skew``."""
    if value is None:
        return None
    if error := _earliest_error(_local_date(value)):
        return error
    if value > timezone.now() + skew:
        return _("时间不能晚于当前时间 (time in the future)")
    return None


def planned_date_error(
    value: date | datetime | None,
    *,
    not_before: date = EARLIEST,
    years: int = PLAN_YEARS,
    today: date | None = None,
) -> str | None:
    """Error for a planned date or time (a shift, a holiday, a deadline).

    Args:
        value: a date, or an aware datetime (its local date is checked).
        not_before: the earliest accepted date (``EARLIEST``; today for a new deadline).
        years: how far ahead a plan may reach.
        today: the local date to measure from (default the server's).
    """
    if value is None:
        return None
    day = _local_date(value)
    if not_before > EARLIEST and day < not_before:
        return _("日期不能早于%(day)s (date in the past)") % {"day": not_before.isoformat()}
    if error := _earliest_error(day):
        return error
    latest = latest_planned_date(today, years)
    if day > latest:
        return _("日期不能晚于%(day)s，即%(years)s年以后 (more than %(years)s years ahead)") % {
            "day": latest.isoformat(),
            "years": years,
        }
    return None
