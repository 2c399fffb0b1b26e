"""Ingest → engine → alarms: raise, dedupe, escalate, clear, lifecycle, constraint, resume,
suppression, offline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from yingji.apps.audit.models import ChangeRecord
from yingji.apps.monitoring import ingest, services
from yingji.apps.monitoring.models import Alarm, AlarmEvent, AlarmKind, AlarmState, PointState, Reading
from yingji.apps.monitoring.tests.factories import T0, feed, make_point

pytestmark = pytest.mark.django_db


def test_raise_then_escalate_then_clear_keeps_one_open_alarm():
    # given a point with H=80, HH=90
    point = make_point()
    # when it goes 70 → 85 (H) → 95 (HH) → 60 (normal)
    result = feed(point, [(0, 70), (1, 85), (2, 95), (3, 60)])
    # then one limit alarm, peak HH, critical, cleared but open until a person closes it
    assert result.stored == 4 and result.alarms_opened == 1 and result.events == 3
    alarm = Alarm.objects.get(point=point)
    assert (alarm.kind, alarm.level, alarm.peak_level, alarm.priority) == ("limit", "HH", "HH", "critical")
    assert alarm.state == AlarmState.RAISED and alarm.active is False and alarm.cleared_at is not None
    assert list(alarm.events.values_list("event", flat=True)) == ["raise", "escalate", "clear"]
    state = PointState.objects.get(point=point)
    assert state.level == "N" and state.last_value == 60 and state.engine_state["level"] == "N"


def test_reraise_of_open_alarm_counts_occurrences_and_requires_new_acknowledgement(duty_officer):
    point = make_point()
    feed(point, [(0, 85), (1, 70)])
    alarm = Alarm.objects.get(point=point)
    services.acknowledge_alarm(alarm, actor=duty_officer, note="已通知现场")
    # when the condition comes back before the alarm was closed
    feed(point, [(2, 86)])
    alarm.refresh_from_db()
    # then the same alarm row, second occurrence, unacknowledged again
    assert Alarm.objects.filter(point=point).count() == 1
    assert alarm.occurrences == 2 and alarm.state == AlarmState.RAISED and alarm.active


def test_lifecycle_acknowledge_handle_close_with_notes_and_audit(duty_officer):
    point = make_point()
    feed(point, [(0, 85)])
    alarm = Alarm.objects.get(point=point)
    with pytest.raises(ValidationError):
        services.close_alarm(alarm, actor=duty_officer)  # not handled yet
    services.acknowledge_alarm(alarm, actor=duty_officer, note="收到")
    with pytest.raises(ValidationError):
        services.acknowledge_alarm(alarm, actor=duty_officer)  # twice
    with pytest.raises(ValidationError):
        services.handle_alarm(alarm, actor=duty_officer, note="  ")  # note required
    services.handle_alarm(alarm, actor=duty_officer, note="关闭进料阀,温度回落")
    services.close_alarm(alarm, actor=duty_officer, note="恢复正常")
    alarm.refresh_from_db()
    assert alarm.state == AlarmState.CLOSED and alarm.closed_by == duty_officer
    assert list(alarm.notes.values_list("action", flat=True)) == ["acknowledge", "handle", "close"]
    assert (
        ChangeRecord.objects.filter(
            app_label="monitoring", model_name="alarm", object_id=str(alarm.pk)
        ).count()
        == 3
    )
    # and a new excursion after closing opens a new alarm
    feed(point, [(10, 70), (11, 88)])
    assert Alarm.objects.filter(point=point).count() == 2


def test_database_allows_one_open_alarm_per_point_and_kind():
    point = make_point()
    feed(point, [(0, 85)])
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Alarm.objects.create(
            point=point, kind=AlarmKind.LIMIT, level="H", peak_level="H", raised_at=now, last_event_at=now
        )
    # a different kind, or a closed one, is fine
    Alarm.objects.create(
        point=point, kind=AlarmKind.ROC, level="ROC", peak_level="ROC", raised_at=now, last_event_at=now
    )
    Alarm.objects.create(
        point=point,
        kind=AlarmKind.LIMIT,
        level="H",
        peak_level="H",
        raised_at=now,
        last_event_at=now,
        state="closed",
    )


def test_replayed_readings_are_neither_stored_nor_evaluated_twice():
    point = make_point()
    rows = [(0, 70), (1, 85), (2, 95)]
    feed(point, rows)
    again = feed(point, rows)
    assert again.stored == 0 and again.duplicates == 3 and again.events == 0
    assert Reading.objects.filter(point=point).count() == 3
    assert AlarmEvent.objects.filter(point=point).count() == 2


def test_pending_on_delay_timer_survives_between_batches():
    # given a 30 s on-delay: the run starts in one batch and completes in the next
    point = make_point(on_delay_s=30.0)
    feed(point, [(0, 85), (10, 86)])
    assert not Alarm.objects.filter(point=point).exists()
    state = PointState.objects.get(point=point).engine_state
    assert state["enter_start"][0] == pytest.approx(T0)
    feed(point, [(30, 87)])
    assert Alarm.objects.get(point=point).raised_at == datetime.fromtimestamp(T0 + 30, tz=UTC)


def test_out_of_order_and_invalid_readings(duty_officer):
    point = make_point()
    feed(point, [(10, 70)])
    result = ingest.ingest_readings(
        [
            ingest.RawReading(point.code, T0 + 5, 99.0),  # older: stored, not evaluated
            ingest.RawReading("NO-SUCH", T0, 1.0),
            ingest.RawReading(point.code, float("nan"), 1.0),
            ingest.RawReading(point.code, timezone.now().timestamp() + 3600, 1.0),
        ]
    )
    assert result.stored == 1 and result.out_of_order == 1 and not Alarm.objects.exists()
    assert [r["reason"] for r in result.rejected] == [
        "unknown point",
        "ts and value must be finite",
        "timestamp is in the future",
    ]


def test_out_of_service_and_maintenance_windows_suppress_raises(admin_user):
    point = make_point()
    services.set_point_out_of_service(point, actor=admin_user, out_of_service=True, reason="检修")
    feed(point, [(0, 85), (1, 70)])
    assert not Alarm.objects.exists() and PointState.objects.get(point=point).suppressed == 1
    services.set_point_out_of_service(point, actor=admin_user, out_of_service=False)
    start = datetime.fromtimestamp(T0 + 100, tz=UTC)
    services.create_maintenance_window(
        actor=admin_user,
        organization=point.organization,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        reason="校验仪表",
    )
    feed(point, [(200, 85), (201, 70)])
    assert not Alarm.objects.exists()
    feed(point, [(4000, 85)])
    assert Alarm.objects.filter(point=point).count() == 1
    with pytest.raises(ValidationError):
        services.set_point_out_of_service(point, actor=admin_user, out_of_service=True, reason="")


def test_offline_alarm_inhibits_value_alarms_and_online_lifts_it():
    point = make_point(offline_s=60.0)
    feed(point, [(0, 85)])
    assert ingest.detect_offline(now=datetime.fromtimestamp(T0 + 30, tz=UTC)) == 0
    assert ingest.detect_offline(now=datetime.fromtimestamp(T0 + 61, tz=UTC)) == 1
    assert ingest.detect_offline(now=datetime.fromtimestamp(T0 + 120, tz=UTC)) == 0  # idempotent
    offline = Alarm.objects.get(point=point, kind=AlarmKind.OFFLINE)
    limit = Alarm.objects.get(point=point, kind=AlarmKind.LIMIT)
    assert offline.priority == "info" and offline.active and limit.inhibited
    assert offline.raised_at == datetime.fromtimestamp(T0 + 60, tz=UTC)
    # when readings come back
    feed(point, [(300, 70)])
    offline.refresh_from_db()
    limit.refresh_from_db()
    assert not offline.active and not limit.inhibited
    assert PointState.objects.get(point=point).offline is False


def test_shelving_is_time_limited_and_expires(duty_officer):
    point = make_point()
    feed(point, [(0, 85)])
    alarm = Alarm.objects.get(point=point)
    now = timezone.now()
    with pytest.raises(ValidationError) as err:
        services.shelve_alarm(alarm, actor=duty_officer, until=now + timedelta(days=3), reason="误报排查")
    assert "until" in err.value.message_dict
    services.shelve_alarm(alarm, actor=duty_officer, until=now + timedelta(hours=1), reason="误报排查")
    alarm.refresh_from_db()
    assert alarm.state == AlarmState.SHELVED and alarm.shelved_from == AlarmState.RAISED
    assert services.expire_shelving(now=now + timedelta(minutes=30)) == 0
    assert services.expire_shelving(now=now + timedelta(hours=2)) == 1
    alarm.refresh_from_db()
    assert alarm.state == AlarmState.RAISED and alarm.next_escalation_at is not None


def test_bad_alarm_configuration_is_a_field_error():
    with pytest.raises(ValidationError) as err:
        make_point(h=95.0, hh=90.0)
    assert "hh" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        make_point(deadband=-1.0)
    assert "deadband" in err.value.message_dict
