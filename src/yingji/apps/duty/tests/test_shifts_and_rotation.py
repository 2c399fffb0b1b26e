"""Shifts: validation, overlaps, optimistic locking; rotation generation; who is on duty now."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yingji.apps.audit.models import ChangeRecord
from yingji.apps.duty import selectors, services
from yingji.apps.duty.models import Holiday, Shift
from yingji.apps.duty.tests.factories import SH, RosterFactory, make_shift
from yingji.engines.duty import GapReason, ShiftSlot

pytestmark = pytest.mark.django_db
T0 = datetime(2025, 3, 3, 8, tzinfo=SH)


def test_create_shift_is_audited(roster, leader, duty_officer):
    shift = services.create_shift(
        actor=duty_officer, roster=roster, starts_at=T0, ends_at=T0 + timedelta(hours=24), leader=leader,
        officers=[duty_officer],
    )  # fmt: skip
    assert list(shift.officers.all()) == [duty_officer]
    assert ChangeRecord.objects.filter(model_name="shift", object_id=str(shift.pk), action="create").exists()


def test_end_before_start_is_a_field_error_and_nothing_saved(roster, leader, duty_officer):
    with pytest.raises(ValidationError) as exc:
        services.create_shift(
            actor=duty_officer, roster=roster, starts_at=T0, ends_at=T0 - timedelta(hours=1)
        )
    assert "ends_at" in exc.value.message_dict
    assert not Shift.objects.exists()


def test_person_on_two_overlapping_shifts_is_refused(roster, leader, duty_officer, officer2):
    make_shift(roster, T0, leader=leader, officers=[duty_officer])
    other = RosterFactory()
    with pytest.raises(ValidationError) as exc:
        services.create_shift(
            actor=leader, roster=other, starts_at=T0 + timedelta(hours=12), ends_at=T0 + timedelta(hours=30),
            leader=officer2, officers=[duty_officer],
        )  # fmt: skip
    assert "officers" in exc.value.message_dict and "重叠" in exc.value.message_dict["officers"][0]
    # back-to-back is fine
    services.create_shift(
        actor=leader, roster=roster, starts_at=T0 + timedelta(hours=24), ends_at=T0 + timedelta(hours=48),
        leader=leader, officers=[duty_officer],
    )  # fmt: skip


def test_leader_cannot_also_be_officer(roster, leader):
    with pytest.raises(ValidationError) as exc:
        services.create_shift(
            actor=leader, roster=roster, starts_at=T0, ends_at=T0 + timedelta(hours=8), leader=leader,
            officers=[leader],
        )  # fmt: skip
    assert "officers" in exc.value.message_dict


def test_second_editor_gets_a_conflict_not_a_lost_update(roster, leader, duty_officer, officer2):
    shift = make_shift(roster, T0, leader=leader, officers=[duty_officer])
    first_read = Shift.objects.get(pk=shift.pk)
    second_read = Shift.objects.get(pk=shift.pk)
    services.update_shift(first_read, actor=leader, expected_version=1, label="白班")
    with pytest.raises(services.ShiftVersionConflict) as exc:
        services.update_shift(second_read, actor=duty_officer, expected_version=1, officers=[officer2])
    assert exc.value.current.version == 2
    stored = Shift.objects.get(pk=shift.pk)
    assert stored.label == "白班" and list(stored.officers.all()) == [duty_officer]


def test_township_officer_cannot_add_shifts(roster, make_persona, township):
    officer = make_persona("township_officer", division=township)
    with pytest.raises(PermissionDenied):
        services.create_shift(actor=officer, roster=roster, starts_at=T0, ends_at=T0 + timedelta(hours=8))


def test_generate_rotation_uses_holiday_table_and_reports_gaps(
    roster, leader, duty_officer, officer2, admin_user
):
    services.create_holiday(
        actor=admin_user, day=date(2025, 3, 5), name="测试假日", kind="holiday", source="测试用,非真实安排"
    )
    result = services.generate_rotation(
        roster, actor=leader, starts_on=date(2025, 3, 3), ends_on=date(2025, 3, 9),
        slots=[ShiftSlot(T0.timetz().replace(tzinfo=None), timedelta(hours=24))],
        leaders=[leader], officers=[duty_officer, officer2], holiday_policy="skip",
    )  # fmt: skip
    assert len(result.shifts) == 6
    assert Shift.objects.filter(roster=roster).count() == 6
    assert [(g.starts_at, g.reasons) for g in result.plan.gaps] == [
        (datetime(2025, 3, 5, 8, tzinfo=SH), (GapReason.UNCOVERED,))
    ]
    # officers alternate fairly
    officers = [s.officers.get().username for s in Shift.objects.filter(roster=roster).order_by("starts_at")]
    assert officers.count("duty1") == 3 and officers.count("duty2") == 3
    # the same period cannot be generated twice
    with pytest.raises(ValidationError) as exc:
        services.generate_rotation(
            roster, actor=leader, starts_on=date(2025, 3, 3), ends_on=date(2025, 3, 4),
            slots=[ShiftSlot(T0.timetz().replace(tzinfo=None), timedelta(hours=24))], leaders=[leader],
            officers=[duty_officer],
        )  # fmt: skip
    assert "starts_on" in exc.value.message_dict


def test_generate_rotation_bad_input_names_field(roster, leader, duty_officer):
    with pytest.raises(ValidationError) as exc:
        services.generate_rotation(
            roster, actor=leader, starts_on=date(2025, 3, 3), ends_on=date(2025, 3, 1),
            slots=[ShiftSlot(T0.timetz().replace(tzinfo=None), timedelta(hours=24))], leaders=[leader],
            officers=[duty_officer],
        )  # fmt: skip
    assert "ends_on" in exc.value.message_dict


def test_generation_skips_people_busy_on_another_roster(roster, leader, duty_officer, officer2):
    other = RosterFactory()
    make_shift(other, T0, leader=None, officers=[duty_officer])
    result = services.generate_rotation(
        roster, actor=leader, starts_on=date(2025, 3, 3), ends_on=date(2025, 3, 3),
        slots=[ShiftSlot(T0.timetz().replace(tzinfo=None), timedelta(hours=24))], leaders=[leader],
        officers=[duty_officer, officer2],
    )  # fmt: skip
    assert [o.username for o in result.shifts[0].officers.all()] == ["duty2"]


def test_on_duty_now_in_two_queries(current_shift, leader, duty_officer, django_assert_max_num_queries):
    duty_officer._active_grants()
    with django_assert_max_num_queries(2):
        duty = selectors.on_duty_now(user=duty_officer)
    assert duty.shift == current_shift and duty.leader == leader and duty.officers == [duty_officer]
    assert selectors.on_duty_now(current_shift.ends_at + timedelta(minutes=1)).shift is None


def test_on_duty_now_prefers_the_county_desk(current_shift, township, make_persona):
    township_roster = RosterFactory(division=township)
    person = make_persona("duty_officer", division=township)
    make_shift(township_roster, current_shift.starts_at - timedelta(hours=1), officers=[person])
    assert selectors.on_duty_now().shift == current_shift


def test_coverage_gaps_of_stored_shifts(roster, leader, duty_officer):
    make_shift(roster, T0, leader=leader, officers=[duty_officer])
    make_shift(roster, T0 + timedelta(hours=24), leader=None, officers=[duty_officer])
    found = selectors.coverage_gaps_for(leader, T0, T0 + timedelta(hours=72))
    with CaptureQueriesContext(connection) as ctx:
        selectors.coverage_gaps_for(leader, T0, T0 + timedelta(hours=72))
    assert len(ctx.captured_queries) <= 3
    assert [(g.starts_at - T0, g.reasons) for g in found[0].gaps] == [
        (timedelta(hours=24), (GapReason.NO_LEADER,)),
        (timedelta(hours=48), (GapReason.UNCOVERED,)),
    ]


def test_holidays_need_the_manage_permission(leader, admin_user):
    with pytest.raises(PermissionDenied):
        services.create_holiday(actor=leader, day=date(2025, 1, 1), name="元旦", source="x")
    with pytest.raises(ValidationError) as exc:
        services.create_holiday(actor=admin_user, day=date(2025, 1, 1), name="元旦", source="")
    assert "source" in exc.value.message_dict
    assert not Holiday.objects.exists()
