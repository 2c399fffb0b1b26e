"""Rotation patterns, fairness, holidays and coverage gaps of the duty engine."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from yingji.engines.duty import (
    CoverageMode,
    CoverageShift,
    GapReason,
    HolidayDate,
    HolidayKind,
    HolidayPolicy,
    RotationInputError,
    RotationRequest,
    RotationUnit,
    ShiftSlot,
    coverage_gaps,
    plan_rotation,
)

SH = ZoneInfo("Asia/Shanghai")
DAY24 = (ShiftSlot(time(8), timedelta(hours=24), "全天"),)
DAY_NIGHT = (
    ShiftSlot(time(8), timedelta(hours=12), "白班"),
    ShiftSlot(time(20), timedelta(hours=12), "夜班"),
)
MON = date(2025, 3, 3)  # a Monday


def _req(**kw) -> RotationRequest:
    base = RotationRequest(
        starts_on=MON,
        ends_on=MON + timedelta(days=6),
        tz=SH,
        slots=DAY24,
        leaders=("L1", "L2", "L3"),
        officers=("O1", "O2", "O3", "O4"),
        officers_per_shift=2,
    )
    return replace(base, **kw)


def test_daily_24h_pattern_covers_the_week_without_gaps():
    # given a week of 24 h shifts from 08:00 and enough people
    plan = plan_rotation(_req())
    # then there is one shift a day, in Shanghai time, with a leader and two officers, and no gap
    assert len(plan.shifts) == 7
    first = plan.shifts[0]
    assert first.starts_at == datetime(2025, 3, 3, 8, tzinfo=SH)
    assert first.ends_at == datetime(2025, 3, 4, 8, tzinfo=SH)
    assert all(s.leader and len(s.officers) == 2 for s in plan.shifts)
    assert plan.gaps == ()
    assert plan.window_start == datetime(2025, 3, 3, 8, tzinfo=SH)
    assert plan.window_end == datetime(2025, 3, 10, 8, tzinfo=SH)


def test_rotation_is_fair_and_deterministic():
    # given four weeks of day/night shifts
    req = _req(ends_on=MON + timedelta(days=27), slots=DAY_NIGHT, officers_per_shift=1)
    plan = plan_rotation(req)
    # then loads differ by at most one shift per post, and a second run gives the same plan
    leader_counts = [p.leader_shifts for p in plan.load if p.person.startswith("L")]
    officer_counts = [p.officer_shifts for p in plan.load if p.person.startswith("O")]
    assert max(leader_counts) - min(leader_counts) <= 1
    assert max(officer_counts) - min(officer_counts) <= 1
    assert sum(leader_counts) == 56
    assert plan_rotation(req) == plan
    # and nobody works two shifts in a row (each person is busy until their shift ends)
    for a, b in zip(plan.shifts, plan.shifts[1:], strict=False):
        assert a.leader != b.leader or a.ends_at <= b.starts_at


def test_people_are_rotated_in_listed_order_first():
    plan = plan_rotation(_req(officers_per_shift=1))
    assert [s.leader for s in plan.shifts[:4]] == ["L1", "L2", "L3", "L1"]
    assert [s.officers[0] for s in plan.shifts[:5]] == ["O1", "O2", "O3", "O4", "O1"]


def test_prior_hours_carry_fairness_over_periods():
    plan = plan_rotation(_req(prior_hours=(("L1", 48.0),)))
    assert plan.shifts[0].leader == "L2"


def test_weekly_leader_rotation_keeps_one_leader_per_iso_week():
    plan = plan_rotation(
        _req(ends_on=MON + timedelta(days=13), leader_rotation=RotationUnit.WEEK, officers_per_shift=1)
    )
    week1 = {s.leader for s in plan.shifts if s.day < MON + timedelta(days=7)}
    week2 = {s.leader for s in plan.shifts if s.day >= MON + timedelta(days=7)}
    assert week1 == {"L1"} and week2 == {"L2"}


def test_weekday_mask_skips_weekends_and_reports_them_as_gaps_in_continuous_mode():
    plan = plan_rotation(_req(weekdays=frozenset(range(5))))
    assert [s.day.weekday() for s in plan.shifts] == [0, 1, 2, 3, 4]
    # Saturday 08:00 to Monday 08:00 has nobody
    assert len(plan.gaps) == 1
    gap = plan.gaps[0]
    assert gap.reasons == (GapReason.UNCOVERED,)
    assert gap.starts_at == datetime(2025, 3, 8, 8, tzinfo=SH)
    assert gap.duration == timedelta(hours=48)
    # in scheduled mode skipped days are not gaps
    assert plan_rotation(_req(weekdays=frozenset(range(5)), coverage=CoverageMode.SCHEDULED)).gaps == ()


def test_holiday_skip_special_and_makeup_workday():
    holiday = HolidayDate(MON + timedelta(days=2), "测试假日")
    workday = HolidayDate(MON + timedelta(days=5), "调休上班", HolidayKind.WORKDAY)  # a Saturday
    skip = plan_rotation(
        _req(holidays=(holiday,), holiday_policy=HolidayPolicy.SKIP, coverage=CoverageMode.SCHEDULED)
    )
    assert holiday.day not in {s.day for s in skip.shifts}
    special = plan_rotation(
        _req(
            holidays=(holiday, workday),
            holiday_policy=HolidayPolicy.SPECIAL,
            holiday_slots=DAY_NIGHT,
            holiday_officers_per_shift=3,
            weekdays=frozenset(range(5)),
            coverage=CoverageMode.SCHEDULED,
        )
    )
    on_holiday = [s for s in special.shifts if s.day == holiday.day]
    assert [s.label for s in on_holiday] == ["白班", "夜班"]
    assert all(len(s.officers) == 3 and s.holiday == "测试假日" for s in on_holiday)
    assert workday.day in {s.day for s in special.shifts}  # Saturday staffed as a make-up workday


def test_shortage_and_unavailability_show_as_gaps():
    # given one leader who is away on Wednesday and only one officer for two posts
    plan = plan_rotation(
        _req(leaders=("L1",), officers=("O1", "O2"), unavailable=(("L1", MON + timedelta(days=2)),))
    )
    wed = next(s for s in plan.shifts if s.day == MON + timedelta(days=2))
    assert wed.leader is None
    no_leader = [g for g in plan.gaps if GapReason.NO_LEADER in g.reasons]
    assert no_leader and no_leader[0].starts_at == wed.starts_at and no_leader[0].ends_at == wed.ends_at


def test_single_leader_may_serve_back_to_back_shifts():
    # a shift ending exactly when the next starts does not overlap it
    plan = plan_rotation(_req(leaders=("L1",), officers=("O1", "O2")))
    assert all(s.leader == "L1" for s in plan.shifts)
    assert plan.gaps == ()


def test_overlapping_slots_never_double_book_a_person():
    slots = (ShiftSlot(time(8), timedelta(hours=24)), ShiftSlot(time(20), timedelta(hours=4)))
    plan = plan_rotation(_req(slots=slots, leaders=("L1", "L2"), officers=("O1",), officers_per_shift=1))
    for a in plan.shifts:
        for b in plan.shifts:
            if a is not b and a.starts_at < b.ends_at and b.starts_at < a.ends_at:
                assert not ({a.leader, *a.officers} - {None}) & ({b.leader, *b.officers} - {None})


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"ends_on": MON - timedelta(days=1)}, "ends_on"),
        ({"ends_on": MON + timedelta(days=400)}, "ends_on"),
        ({"slots": ()}, "slots"),
        ({"slots": (ShiftSlot(time(8), timedelta(0)),)}, "slots"),
        ({"leaders": ("L1", "L1")}, "leaders"),
        ({"officers_per_shift": -1}, "officers_per_shift"),
        ({"holiday_policy": HolidayPolicy.SPECIAL}, "holiday_slots"),
        ({"weekdays": frozenset({7})}, "weekdays"),
    ],
)
def test_bad_input_names_the_field(kw, field):
    with pytest.raises(RotationInputError) as exc:
        plan_rotation(_req(**kw))
    assert exc.value.field == field


def test_coverage_gaps_over_stored_shifts():
    t = datetime(2025, 3, 3, 8, tzinfo=SH)
    h = timedelta(hours=1)
    shifts = [
        CoverageShift(t, t + 10 * h, "L1", ("O1",)),
        CoverageShift(t + 8 * h, t + 12 * h, None, ("O2",)),  # overlap adds an officer, no leader after 18:00
        CoverageShift(t + 14 * h, t + 24 * h, "L2", ()),
    ]
    gaps = coverage_gaps(t, t + 24 * h, shifts, 1)
    assert [(g.starts_at - t, g.ends_at - t, g.reasons) for g in gaps] == [
        (10 * h, 12 * h, (GapReason.NO_LEADER,)),
        (12 * h, 14 * h, (GapReason.UNCOVERED,)),
        (14 * h, 24 * h, (GapReason.UNDERSTAFFED,)),
    ]
    assert coverage_gaps(t, t + 10 * h, shifts, 1) == ()
    with pytest.raises(RotationInputError):
        coverage_gaps(t, t, shifts, 1)
