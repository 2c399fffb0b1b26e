"""The batched ingest path: one INSERT ... RETURNING decides what is new, one engine call per batch,
alarm transitions of many points in one batch, the SQLite timestamp text, the payload fast path."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime

import pytest
from django.db import connection
from rest_framework.test import APIClient

from yingji.apps.directory.tests.factories import EnterpriseFactory
from yingji.apps.monitoring import ingest
from yingji.apps.monitoring.models import Alarm, AlarmEvent, AlarmKind, PointState, Reading
from yingji.apps.monitoring.payloads import PayloadError, reading_from_mapping, readings_from_json
from yingji.apps.monitoring.tests.factories import T0, feed, make_gateway, make_point
from yingji.engines.monitoring import MonitorState, process_rows

pytestmark = pytest.mark.django_db


def _engine_events(points, rows):
    """The pure engine's (point, event) sequence for ``rows`` = [(point, ts, value)]."""
    configs = {p.code: p.engine_config() for p in points}
    _, events = process_rows(MonitorState.new(configs), [(ts, p.code, v) for p, ts, v in rows])
    return [(e.point, e.event) for e in events]


def test_one_batch_of_interleaved_points_with_repeats_matches_the_engine():
    a, b = make_point(), make_point(hh=None, on_delay_s=2.0)
    feed(a, [(0, 70)])
    rows = [
        (a, T0 + 0, 99.0),  # stored before: a duplicate, not evaluated again
        (a, T0 + 1, 85.0),
        (b, T0 + 1, 85.0),
        (b, T0 + 1, 10.0),  # same point and ts repeated inside the batch: the first one wins
        (a, T0 + 2, 95.0),
        (b, T0 + 3, 86.0),
        (a, T0 + 4, 70.0),
        (b, T0 + 4, 70.0),
    ]
    readings = [ingest.RawReading(p.code, ts, v) for p, ts, v in rows]
    result = ingest.ingest_readings(readings, now=datetime.fromtimestamp(T0 + 5, tz=UTC))
    assert (result.received, result.stored, result.duplicates) == (8, 6, 2)
    assert Reading.objects.get(point=b, ts=datetime.fromtimestamp(T0 + 1, tz=UTC)).value == 85.0
    fresh = [rows[i] for i in (1, 2, 4, 5, 6, 7)]
    expected = _engine_events([a, b], fresh)
    got = list(AlarmEvent.objects.order_by("id").values_list("point__code", "event"))
    assert got == expected and result.events == len(expected)
    assert Alarm.objects.filter(point=a).count() == 1 and Alarm.objects.filter(point=b).count() == 1
    # state persisted: the same batch again changes nothing
    again = ingest.ingest_readings(readings, now=datetime.fromtimestamp(T0 + 5, tz=UTC))
    assert again.stored == 0 and again.duplicates == 8 and again.events == 0
    assert PointState.objects.get(point=b).engine_state["last_ts"] == pytest.approx(T0 + 4)


def test_point_back_online_then_raising_in_one_batch_opens_an_uninhibited_alarm():
    point = make_point(offline_s=60.0)
    feed(point, [(0, 70)])
    assert ingest.detect_offline(now=datetime.fromtimestamp(T0 + 61, tz=UTC)) == 1
    feed(point, [(300, 70), (301, 85)])  # online, then above H, in the same batch
    offline = Alarm.objects.get(point=point, kind=AlarmKind.OFFLINE)
    limit = Alarm.objects.get(point=point, kind=AlarmKind.LIMIT)
    assert not offline.active and limit.active and not limit.inhibited
    assert limit.next_escalation_at is not None


def test_a_raise_inside_a_gateway_maintenance_window_is_suppressed_in_a_batch(admin_user):
    from yingji.apps.monitoring import services

    org = EnterpriseFactory()
    gateway, _token = make_gateway(org)
    covered, other = make_point(organization=org, gateway=gateway), make_point(organization=org)
    start = datetime.fromtimestamp(T0, tz=UTC)
    services.create_maintenance_window(
        actor=admin_user,
        organization=org,
        gateway=gateway,
        starts_at=start,
        ends_at=datetime.fromtimestamp(T0 + 3600, tz=UTC),
        reason="网关检修",
    )
    readings = [ingest.RawReading(p.code, T0 + 10, 85.0) for p in (covered, other)]
    result = ingest.ingest_readings(readings, now=datetime.fromtimestamp(T0 + 10, tz=UTC))
    assert result.alarms_opened == 1
    assert list(Alarm.objects.values_list("point", flat=True)) == [other.pk]
    assert PointState.objects.get(point=covered).suppressed == 1


def test_sqlite_timestamp_text_is_what_django_writes():
    rng = random.Random(652826)
    stamps = [0.0, 1.0, T0, T0 + 0.5e-6, T0 + 1.5e-6, T0 + 0.9999995, T0 + 0.9999999, 1700000000.123456]
    stamps += [rng.uniform(0, 4e9) for _ in range(2000)]
    stamps += [round(rng.uniform(1e9, 2e9), 6) for _ in range(2000)]
    for ts in stamps:
        expected = str(datetime.fromtimestamp(ts, tz=UTC).replace(tzinfo=None))
        assert ingest.sqlite_datetime_text(ts) == expected, ts
    if connection.vendor == "sqlite":
        adapt = connection.ops.adapt_datetimefield_value
        assert ingest.sqlite_datetime_text(T0 + 0.25) == adapt(datetime.fromtimestamp(T0 + 0.25, tz=UTC))


@pytest.mark.parametrize(
    "item",
    [
        {"point": " P-1 ", "ts": 1.5, "value": 2.5},
        {"point": "P-1", "ts": 1, "value": 2},
        {"ts": 1.5, "value": 2.5},
        {"point": "P-1", "ts": 1.5, "v": 2.5},
        {"point": "P-1", "ts": "2025-06-01T16:00:01+08:00", "value": "3"},
        {"point": "", "ts": 1.5, "value": 2.5},
        {"point": "P-1", "ts": float("inf"), "value": 2.5},
        {"point": "P-1", "ts": 1.5, "value": None, "v": 3.0},
        {"point": "P-1", "ts": 10**400, "value": 1.0},
        {"point": "P-1", "ts": 1.5, "value": -(10**400)},
        {"point": "P-1", "ts": True, "value": 1.0},
    ],
)
def test_the_payload_fast_path_agrees_with_the_field_checks(item):
    try:
        expected = [reading_from_mapping(item, default_point="TOPIC")]
    except ValueError as exc:
        with pytest.raises(PayloadError) as err:
            readings_from_json({"readings": [item]}, default_point="TOPIC")
        assert err.value.errors[0]["field"] == str(exc).split(":")[0]
    else:
        assert readings_from_json({"readings": [item]}, default_point="TOPIC") == expected


def test_http_ingest_of_a_huge_integer_is_a_field_error_not_a_crash():
    org = EnterpriseFactory()
    gateway, token = make_gateway(org)
    point = make_point(organization=org, gateway=gateway)
    body = json.dumps({"readings": [{"point": point.code, "ts": T0, "value": 10**400}]})
    r = APIClient().post(
        "/api/monitoring/ingest/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Gateway {token}",
    )
    assert r.status_code == 400, r.content
    assert r.json()["readings"][0]["field"] == "value"
    assert not Reading.objects.exists()
