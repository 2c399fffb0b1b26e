"""Implausible dates (year 1, decades ahead, 30 February) are field errors, never records or 500s."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from yingji.apps.duty import services
from yingji.apps.duty.models import DutyLogEntry, Holiday, Shift
from yingji.apps.duty.tests.factories import SH

pytestmark = pytest.mark.django_db

FAR = (timezone.localdate() + timedelta(days=6 * 366)).isoformat()


def _api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


@pytest.mark.parametrize("start", ["0001-01-01T08:00:00+08:00", f"{FAR}T08:00:00+08:00"])
def test_shift_in_year_one_or_six_years_ahead_is_a_field_error(roster, leader, start):
    begin = datetime.fromisoformat(start)
    r = _api(leader).post(
        "/api/duty/shifts/",
        {"roster": roster.pk, "starts_at": start, "ends_at": (begin + timedelta(hours=24)).isoformat()},
        format="json",
    )
    assert r.status_code == 400 and "starts_at" in r.json(), r.content
    assert not Shift.objects.exists()


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "field"),
    [("0001-01-01", "0001-01-02", "starts_on"), ("2026-01-01", FAR, "ends_on")],
)
def test_rotation_period_must_be_plausible(roster, leader, duty_officer, starts_on, ends_on, field):
    r = _api(leader).post(
        f"/api/duty/rosters/{roster.pk}/generate/",
        {"starts_on": starts_on, "ends_on": ends_on, "slots": [{"start": "08:00", "hours": 24}],
         "leaders": [leader.pk], "officers": [duty_officer.pk]},
        format="json",
    )  # fmt: skip
    assert r.status_code == 400 and field in r.json(), r.content
    assert "(" in str(r.json()[field])  # Chinese with the English in parentheses
    assert not Shift.objects.exists()


def test_rotation_page_shows_the_date_error(roster, leader, duty_officer):
    c = Client()
    c.force_login(leader)
    r = c.post(
        f"/duty/rosters/{roster.pk}/generate/",
        {"starts_on": "0001-01-01", "ends_on": "0001-01-03", "pattern": "24h", "leaders": [leader.pk],
         "officers": [duty_officer.pk], "weekdays": list(range(7)), "holiday_policy": "same",
         "leader_rotation": "shift", "officer_rotation": "shift", "coverage": "continuous"},
    )  # fmt: skip
    assert r.status_code == 400 and "日期不能早于2000-01-01" in r.content.decode()
    assert not Shift.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", FAR])
def test_holiday_dates_must_be_plausible(admin_user, day):
    payload = {"day": day, "name": "元旦", "kind": "holiday", "source": "国办发明电〔2025〕7号"}
    r = _api(admin_user).post("/api/duty/holidays/", payload, format="json")
    assert r.status_code == 400 and "day" in r.json()
    with pytest.raises(ValidationError):
        services.create_holiday(actor=admin_user, **{**payload, "day": date.fromisoformat(day)})
    assert not Holiday.objects.exists()


def test_duty_log_time_before_2000_is_refused(current_shift, duty_officer):
    r = _api(duty_officer).post(
        "/api/duty/log/",
        {"kind": "note", "summary": "补记", "occurred_at": "1999-12-31T08:00:00+08:00"},
        format="json",
    )
    assert r.status_code == 400 and "occurred_at" in r.json()
    assert not DutyLogEntry.objects.exists()


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/duty/now/", {"at": "0001-01-01T00:00:00+14:00"}),
        ("/api/duty/now/", {"at": "9999-12-31T23:59:59-12:00"}),
        ("/api/duty/now/", {"at": "2026-02-30T08:00:00"}),
        ("/api/duty/log/", {"date": "2026-02-30"}),
        ("/api/duty/log/", {"date": "0001-01-01"}),
    ],
)
def test_query_dates_out_of_range_are_400_not_500(duty_officer, path, params):
    assert _api(duty_officer).get(path, params).status_code == 400


def test_gaps_window_at_the_end_of_time_is_400(roster, leader):
    r = _api(leader).get(f"/api/duty/rosters/{roster.pk}/gaps/", {"start": "9999-12-31"})
    assert r.status_code == 400 and "start" in r.json()


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "2026-02-30", "garbage"])
def test_pages_ignore_impossible_date_parameters(roster, leader, value):
    c = Client()
    c.force_login(leader)
    assert c.get(f"/duty/rosters/{roster.pk}/", {"from": value}).status_code == 200
    assert c.get("/duty/log/", {"date": value}).status_code == 200


def test_shift_edit_keeps_plausible_dates(roster, leader):
    start = datetime(2026, 3, 2, 8, tzinfo=SH)
    shift = services.create_shift(
        actor=leader, roster=roster, starts_at=start, ends_at=start + timedelta(hours=24)
    )
    with pytest.raises(ValidationError) as err:
        services.update_shift(
            shift,
            actor=leader,
            expected_version=1,
            starts_at=datetime(1, 1, 2, 8, tzinfo=SH),
            ends_at=datetime(1, 1, 3, 8, tzinfo=SH),
        )
    assert "starts_at" in err.value.message_dict
    shift.refresh_from_db()
    assert shift.starts_at == start and shift.version == 1
