"""Swap and override requests: two-person approval, applied to the shifts on approval only."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yingji.apps.duty import services
from yingji.apps.duty.models import Shift, ShiftSwap, SwapStatus
from yingji.apps.duty.tests.factories import SH, make_shift

pytestmark = pytest.mark.django_db
T0 = datetime(2025, 3, 3, 8, tzinfo=SH)


@pytest.fixture
def two_shifts(roster, leader, duty_officer, officer2):
    a = make_shift(roster, T0, leader=leader, officers=[duty_officer])
    b = make_shift(roster, T0 + timedelta(hours=24), leader=leader, officers=[officer2])
    return a, b


def test_override_applies_only_when_approved_by_someone_else(
    two_shifts, duty_officer, officer2, make_persona
):
    a, _b = two_shifts
    # given duty1 asks duty2 to take over shift A... but duty2 is free then? duty2 is on B (next day): fine
    swap = services.request_shift_swap(
        actor=duty_officer, shift=a, original_person=duty_officer, replacement=officer2, reason="家中有事"
    )
    assert list(Shift.objects.get(pk=a.pk).officers.all()) == [duty_officer]
    approver = make_persona("duty_leader", username="leader2")
    services.approve_shift_swap(swap, actor=approver, note="同意")
    a.refresh_from_db()
    assert list(a.officers.all()) == [officer2] and a.version == 2
    swap.refresh_from_db()
    assert swap.status == SwapStatus.APPROVED and swap.decided_by == approver


def test_requester_cannot_approve_own_request(two_shifts, leader, duty_officer, officer2):
    a, _b = two_shifts
    swap = services.request_shift_swap(
        actor=leader, shift=a, original_person=duty_officer, replacement=officer2
    )
    with pytest.raises(PermissionDenied):
        services.approve_shift_swap(swap, actor=leader)
    assert ShiftSwap.objects.get(pk=swap.pk).status == SwapStatus.PENDING
    assert list(Shift.objects.get(pk=a.pk).officers.all()) == [duty_officer]


def test_duty_officer_and_township_officer_cannot_approve(
    two_shifts, duty_officer, officer2, make_persona, township
):
    a, _b = two_shifts
    swap = services.request_shift_swap(
        actor=officer2, shift=a, original_person=duty_officer, replacement=officer2
    )
    for actor in (duty_officer, make_persona("township_officer", division=township)):
        with pytest.raises(PermissionDenied):
            services.approve_shift_swap(swap, actor=actor)
    assert ShiftSwap.objects.get(pk=swap.pk).status == SwapStatus.PENDING


def test_swap_exchanges_posts_on_both_shifts(two_shifts, leader, duty_officer, officer2, make_persona):
    a, b = two_shifts
    swap = services.request_shift_swap(
        actor=duty_officer, shift=a, original_person=duty_officer, replacement=officer2, kind="swap",
        counterpart_shift=b,
    )  # fmt: skip
    services.approve_shift_swap(swap, actor=leader)
    assert list(Shift.objects.get(pk=a.pk).officers.all()) == [officer2]
    assert list(Shift.objects.get(pk=b.pk).officers.all()) == [duty_officer]


def test_bad_requests_are_field_errors(two_shifts, leader, duty_officer, officer2):
    a, _b = two_shifts
    with pytest.raises(ValidationError) as exc:
        services.request_shift_swap(actor=leader, shift=a, original_person=officer2, replacement=duty_officer)
    assert set(exc.value.message_dict) == {"original_person", "replacement"}
    with pytest.raises(ValidationError) as exc:
        services.request_shift_swap(
            actor=leader, shift=a, original_person=duty_officer, replacement=officer2, kind="swap"
        )
    assert "counterpart_shift" in exc.value.message_dict
    assert not ShiftSwap.objects.exists()


def test_approval_that_would_double_book_is_refused(roster, leader, duty_officer, officer2, make_persona):
    a = make_shift(roster, T0, leader=leader, officers=[duty_officer])
    make_shift(roster, T0 + timedelta(hours=6), hours=4, leader=None, officers=[officer2])
    swap = services.request_shift_swap(
        actor=duty_officer, shift=a, original_person=duty_officer, replacement=officer2
    )
    with pytest.raises(ValidationError):
        services.approve_shift_swap(swap, actor=make_persona("commander"))
    assert list(Shift.objects.get(pk=a.pk).officers.all()) == [duty_officer]
    assert ShiftSwap.objects.get(pk=swap.pk).status == SwapStatus.PENDING


def test_reject(two_shifts, leader, duty_officer, officer2):
    a, _b = two_shifts
    swap = services.request_shift_swap(
        actor=duty_officer, shift=a, original_person=duty_officer, replacement=officer2
    )
    services.reject_shift_swap(swap, actor=leader, note="人手不足")
    swap.refresh_from_db()
    assert swap.status == SwapStatus.REJECTED
    with pytest.raises(ValidationError):
        services.approve_shift_swap(swap, actor=leader)


def test_replacement_must_be_duty_staff(two_shifts, duty_officer, make_persona):
    a, _b = two_shifts
    outsider = make_persona("public_viewer", username="not-staff")
    with pytest.raises(ValidationError) as exc:
        services.request_shift_swap(
            actor=duty_officer, shift=a, original_person=duty_officer, replacement=outsider
        )
    assert "replacement" in exc.value.message_dict
    assert not ShiftSwap.objects.exists()
