"""Handover with carried open items and item-by-item acknowledgement; the duty log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from yingji.apps.audit.models import ChangeRecord
from yingji.apps.duty import selectors, services
from yingji.apps.duty.handover_items import HandoverItem
from yingji.apps.duty.models import DutyLogEntry, HandoverStatus, ShiftHandover

pytestmark = pytest.mark.django_db


def _items():
    return [
        HandoverItem("incident", "incidents.incident:1", "某村房屋倒塌(未结)", "/incidents/1/", "critical"),
        HandoverItem("alarm", "monitoring.alarm:7", "液氨储罐高报未确认", severity="warning"),
    ]


def test_open_items_are_carried_and_stay_stable(open_items, duty_officer, officer2):
    open_items.extend(_items())
    handover = services.hand_over_shift(actor=duty_officer, incoming_officer=officer2, summary="夜间平稳")
    open_items.clear()  # the items close later: the record keeps them
    stored = selectors.get_handover_for(officer2, handover.pk)
    assert [i.ref for i in stored.items.all()] == ["incidents.incident:1", "monitoring.alarm:7"]
    assert stored.status == HandoverStatus.PENDING
    assert ChangeRecord.objects.filter(model_name="handoveritemack").count() == 2


def test_items_are_acknowledged_one_by_one_until_complete(open_items, duty_officer, officer2):
    open_items.extend(_items())
    handover = services.hand_over_shift(actor=duty_officer, incoming_officer=officer2, summary="交班")
    first, second = handover.items.all()
    services.acknowledge_handover(handover, actor=officer2, item_ids=[first.pk])
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.PENDING
    services.acknowledge_handover(handover, actor=officer2, item_ids=[first.pk, second.pk])
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.COMPLETE and handover.completed_at is not None
    with pytest.raises(ValidationError):
        services.acknowledge_handover(handover, actor=officer2, all_items=True)


def test_acknowledge_all_at_once_explicitly(open_items, duty_officer, officer2):
    open_items.extend(_items())
    handover = services.hand_over_shift(actor=duty_officer, incoming_officer=officer2, summary="交班")
    with pytest.raises(ValidationError):
        services.acknowledge_handover(handover, actor=officer2)  # nothing chosen
    services.acknowledge_handover(handover, actor=officer2, all_items=True)
    assert ShiftHandover.objects.get(pk=handover.pk).status == HandoverStatus.COMPLETE


def test_handover_without_items_completes_on_explicit_acceptance(duty_officer, officer2):
    handover = services.hand_over_shift(actor=duty_officer, incoming_officer=officer2, summary="无事")
    services.acknowledge_handover(handover, actor=officer2, all_items=True)
    assert ShiftHandover.objects.get(pk=handover.pk).is_complete


def test_acknowledging_a_handover_not_addressed_to_you_is_refused(open_items, duty_officer, officer2, leader):
    open_items.extend(_items())
    handover = services.hand_over_shift(actor=duty_officer, incoming_officer=officer2, summary="交班")
    for actor in (leader, duty_officer):
        with pytest.raises(PermissionDenied):
            services.acknowledge_handover(handover, actor=actor, all_items=True)
    assert not handover.items.filter(acknowledged_at__isnull=False).exists()


def test_foreign_item_ids_are_refused(open_items, duty_officer, officer2):
    open_items.extend(_items())
    one = services.hand_over_shift(actor=duty_officer, incoming_officer=officer2, summary="a")
    two = services.hand_over_shift(actor=duty_officer, incoming_officer=officer2, summary="b")
    with pytest.raises(ValidationError) as exc:
        services.acknowledge_handover(one, actor=officer2, item_ids=[two.items.first().pk])
    assert "item_ids" in exc.value.message_dict


def test_bad_handover_input(duty_officer, make_persona):
    with pytest.raises(ValidationError) as exc:
        services.hand_over_shift(actor=duty_officer, incoming_officer=duty_officer, summary=" ")
    assert set(exc.value.message_dict) == {"incoming_officer", "summary"}
    with pytest.raises(ValidationError) as exc:
        services.hand_over_shift(actor=duty_officer, incoming_officer=make_persona("auditor"), summary="x")
    assert "incoming_officer" in exc.value.message_dict
    assert not ShiftHandover.objects.exists()


def test_phone_call_entry_attaches_to_the_current_shift(current_shift, duty_officer):
    entry = services.add_duty_log_entry(
        actor=duty_officer, kind="call_in", caller_name="王建国", caller_number="138 0013 8000",
        summary="报告道路积水",
    )  # fmt: skip
    assert entry.shift == current_shift and entry.caller_number == "13800138000"
    assert entry.division.code == "652826000000"
    assert list(selectors.log_entries_for(duty_officer, shift=current_shift)) == [entry]
    today = timezone.localtime(entry.occurred_at).date()
    assert list(selectors.log_entries_for(duty_officer, day=today)) == [entry]
    assert not selectors.log_entries_for(duty_officer, day=today - timedelta(days=1)).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "call_in", "summary": "x"}, "caller_number"),
        ({"kind": "instruction", "summary": "x"}, "instructed_by"),
        ({"kind": "note", "summary": "  "}, "summary"),
        ({"kind": "call_out", "summary": "x", "caller_number": "12-34-5678-9999-1"}, "caller_number"),
        ({"kind": "bogus", "summary": "x"}, "kind"),
    ],
)
def test_bad_log_entries_are_field_errors(duty_officer, fields, field):
    with pytest.raises(ValidationError) as exc:
        services.add_duty_log_entry(actor=duty_officer, **fields)
    assert field in exc.value.message_dict
    assert not DutyLogEntry.objects.exists()


def test_township_officer_logs_in_own_township_only(make_persona, township, other_township):
    officer = make_persona("township_officer", division=township)
    entry = services.add_duty_log_entry(actor=officer, kind="note", summary="乡镇值班记事", division=township)
    assert list(selectors.log_entries_for(officer)) == [entry]
    with pytest.raises(PermissionDenied):
        services.add_duty_log_entry(actor=officer, kind="note", summary="x", division=other_township)
    with pytest.raises(PermissionDenied):
        services.add_duty_log_entry(actor=officer, kind="note", summary="x")  # the county desk
