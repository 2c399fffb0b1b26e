"""Outbox: written in the business transaction, delivered after commit, retried, idempotent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from yingji.apps.notifications import delivery, services, tasks
from yingji.apps.notifications.models import OutboxMessage, UserNotification

pytestmark = pytest.mark.django_db


def test_rolled_back_business_change_sends_nothing(duty_officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.queue_notification(
                    channel="in_app", recipient=duty_officer, subject="x", dedupe_key="k1"
                )
                raise RuntimeError("business change failed")
        except RuntimeError:
            pass
    assert callbacks == [] and OutboxMessage.objects.count() == 0


def test_in_app_is_delivered_after_commit_once(duty_officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            first = services.queue_notification(
                channel="in_app", recipient=duty_officer, subject="新接报", dedupe_key="k2", url="/incidents/"
            )
            again = services.queue_notification(
                channel="in_app", recipient=duty_officer, subject="新接报", dedupe_key="k2"
            )
    assert first.pk == again.pk
    first.refresh_from_db()
    assert first.status == "sent" and first.attempts == 1
    assert UserNotification.objects.filter(user=duty_officer).count() == 1
    # delivering again (a duplicate task) changes nothing
    delivery.deliver_outbox_message(first.pk)
    assert UserNotification.objects.count() == 1


def test_sms_retries_with_backoff_then_succeeds(duty_officer, sms_gateway):
    duty_officer.phone = "13900000000"
    sms_gateway.fail_next(2)
    msg = services.queue_notification(channel="sms", recipient=duty_officer, subject="超时", dedupe_key="k3")
    now = timezone.now()
    msg = delivery.deliver_outbox_message(msg.pk, now=now)
    assert msg.status == "queued" and msg.attempts == 1 and "503" in msg.last_error
    assert msg.next_attempt_at == now + timedelta(seconds=30)
    # not yet due: nothing happens
    assert delivery.deliver_outbox_message(msg.pk, now=now + timedelta(seconds=5)).attempts == 1
    msg = delivery.deliver_outbox_message(msg.pk, now=now + timedelta(seconds=31))
    assert msg.attempts == 2 and msg.next_attempt_at == now + timedelta(seconds=31 + 60)
    msg = delivery.deliver_outbox_message(msg.pk, now=now + timedelta(minutes=5))
    assert msg.status == "sent" and msg.attempts == 3
    assert [m["to"] for m in sms_gateway.messages] == ["13900000000"]
    assert sms_gateway.messages[0]["id"] == "k3"


def test_sms_fails_after_max_attempts(duty_officer, settings):
    settings.YINGJI_SMS_GATEWAY_URL = "http://127.0.0.1:9/unreachable"
    msg = services.queue_notification(channel="sms", address="13900000001", subject="x", dedupe_key="k4")
    when = timezone.now()
    for _ in range(OutboxMessage.MAX_ATTEMPTS):
        msg = delivery.deliver_outbox_message(msg.pk, now=when)
        when = msg.next_attempt_at
    assert msg.status == "failed" and "unreachable" in msg.last_error


def test_email_and_periodic_flush(duty_officer):
    duty_officer.email = "duty@example.org"
    services.queue_notification(channel="email", recipient=duty_officer, subject="报告超时", dedupe_key="k5")
    assert (
        services.queue_notification(channel="sms", recipient=duty_officer, subject="x", dedupe_key="k6")
        is None
    )
    assert tasks.flush_outbox_task.call_local() == 1
    assert mail.outbox[0].to == ["duty@example.org"] and mail.outbox[0].subject == "报告超时"


def test_unknown_channel_is_a_field_error():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as err:
        services.queue_notification(channel="pigeon", address="x", subject="x", dedupe_key="k7")
    assert "channel" in err.value.message_dict
