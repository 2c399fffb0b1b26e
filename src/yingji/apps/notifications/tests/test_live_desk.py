"""Live desk stream (SSE): events after Last-Event-ID, restricted per user; the bell and inbox pages."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from yingji.apps.notifications import services
from yingji.apps.notifications.models import DeskEvent, UserNotification

pytestmark = pytest.mark.django_db


def _read(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_stream_sends_new_events_the_user_may_see(
    make_persona, township, other_township, django_capture_on_commit_callbacks
):
    officer = make_persona("township_officer", division=township)
    start = DeskEvent.objects.create(kind="x", title="old", division=township)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_desk_event(
            kind="incident.created", title="焉耆镇事件", division=township, severity="critical"
        )
        services.publish_desk_event(kind="incident.created", title="七个星镇事件", division=other_township)
    c = Client()
    c.force_login(officer)
    response = c.get("/notifications/stream/?max_s=0", HTTP_LAST_EVENT_ID=str(start.pk))
    assert response["Content-Type"].startswith("text/event-stream")
    body = _read(response)
    assert "retry: 1000" in body
    events = [json.loads(line[6:]) for line in body.splitlines() if line.startswith("data: ")]
    assert [e["title"] for e in events] == ["焉耆镇事件"]
    assert events[0]["severity"] == "critical"


def test_stream_without_position_starts_at_newest(duty_officer, county):
    DeskEvent.objects.create(kind="x", title="history", division=county)
    c = Client()
    c.force_login(duty_officer)
    assert "data:" not in _read(c.get("/notifications/stream/?max_s=0"))
    assert "history" in _read(c.get("/notifications/stream/?max_s=0&after=0"))


def test_stream_refuses_anonymous_and_public(make_persona):
    assert Client().get("/notifications/stream/").status_code == 302
    c = Client()
    c.force_login(make_persona("public_viewer"))
    assert c.get("/notifications/stream/").status_code == 403


def test_inbox_bell_and_mark_read(duty_officer, make_persona):
    other = make_persona("duty_officer")
    mine = UserNotification.objects.create(user=duty_officer, title="报告超时", url="/incidents/")
    UserNotification.objects.create(user=other, title="别人的")
    c = Client()
    c.force_login(duty_officer)
    html = c.get("/notifications/").content.decode()
    assert "报告超时" in html and "别人的" not in html
    assert 'data-unread="1"' in c.get("/notifications/bell/").content.decode()
    assert c.post(f"/notifications/{mine.pk}/read/")["Location"] == "/incidents/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    theirs = UserNotification.objects.get(user=other)
    assert c.post(f"/notifications/{theirs.pk}/read/").status_code == 404


def test_api_inbox_is_owner_only_and_outbox_admin_only(duty_officer, admin_user):
    from rest_framework.test import APIClient

    UserNotification.objects.create(user=duty_officer, title="a")
    api = APIClient()
    api.force_authenticate(duty_officer)
    assert api.get("/api/notifications/").json()["count"] == 1
    assert api.post("/api/notifications/read-all/").json() == {"marked": 1}
    assert api.get("/api/outbox/").status_code == 403
    api.force_authenticate(admin_user)
    assert api.get("/api/outbox/").status_code == 200
    assert api.get("/api/notifications/").json()["count"] == 0


def test_header_links_the_inbox_with_the_unread_count_for_every_signed_in_role(make_persona, county):
    from django.utils import timezone

    from yingji.apps.directory.tests.factories import EnterpriseFactory

    commander = make_persona("commander")
    manager = make_persona("enterprise_safety_manager", organization=EnterpriseFactory(division=county))
    UserNotification.objects.create(user=commander, title="a")
    UserNotification.objects.create(user=commander, title="b")
    UserNotification.objects.create(user=commander, title="read", read_at=timezone.now())
    for user, unread in ((commander, 2), (manager, 0)):
        c = Client()
        c.force_login(user)
        html = c.get("/accounts/profile/").content.decode()
        assert 'id="header-notifications"' in html and 'href="/notifications/"' in html
        assert f'data-unread="{unread}"' in html
    assert 'id="header-notifications"' not in Client().get("/accounts/login/").content.decode()


def test_header_count_is_one_query(duty_officer, django_assert_num_queries):
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = duty_officer
    template = Template("{% load notification_tags %}{% notifications_link %}")
    with django_assert_num_queries(1):
        html = template.render(Context({"request": request}))
    assert 'data-unread="0"' in html
