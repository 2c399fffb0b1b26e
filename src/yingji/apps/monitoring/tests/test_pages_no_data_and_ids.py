"""A point without a reading reads 无数据 (not 正常) on the pages and the map; the alarm page's
forms have distinct element ids."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.test import Client

from yingji.apps.monitoring import selectors
from yingji.apps.monitoring.models import Alarm
from yingji.apps.monitoring.tests.factories import feed, make_point

pytestmark = pytest.mark.django_db


def test_point_without_readings_shows_no_data_until_the_first_one(admin_user):
    point = make_point()
    c = Client()
    c.force_login(admin_user)
    page = c.get(f"/monitoring/points/{point.pk}/").content.decode()
    assert '<span id="point-status">无数据</span>' in page
    overview = c.get("/monitoring/").content.decode()
    row = overview[overview.index(point.code) :]
    assert re.search(r'<td class="status"[^>]*>无数据</td>', row[:1500])
    feature = next(
        f
        for f in selectors.monitoring_map_layer_for(admin_user)["features"]
        if f["properties"]["code"] == point.code
    )
    props = feature["properties"]
    assert (props["no_data"], props["level"], props["status"]) == (True, None, "无数据")
    assert props["colour"] == selectors.NO_DATA_COLOUR
    feed(point, [(0, 70)])
    assert '<span id="point-status">正常</span>' in c.get(f"/monitoring/points/{point.pk}/").content.decode()
    overview = c.get("/monitoring/").content.decode()
    row = overview[overview.index(point.code) :]
    assert re.search(r'<td class="status"[^>]*>正常</td>', row[:1500])
    feature = next(
        f
        for f in selectors.monitoring_map_layer_for(admin_user)["features"]
        if f["properties"]["code"] == point.code
    )
    assert (feature["properties"]["no_data"], feature["properties"]["level"]) == (False, "N")
    assert feature["properties"]["colour"] == selectors.STATE_COLOURS["N"]


def test_alarm_page_element_ids_are_unique_and_posts_still_work(admin_user):
    point = make_point()
    feed(point, [(0, 85)])
    alarm = Alarm.objects.get(point=point)
    c = Client()
    c.force_login(admin_user)
    page = c.get(f"/monitoring/alarms/{alarm.pk}/").content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [i for i, n in ids.items() if n > 1] == []
    assert "id_acknowledge_note" in ids
    assert re.search(r'<label for="id_acknowledge_note"', page)
    r = c.post(f"/monitoring/alarms/{alarm.pk}/acknowledge/", {"note": "已到现场"})
    assert r.status_code == 302
    alarm.refresh_from_db()
    assert alarm.state == "acknowledged"
    # a rejected post re-renders the page with the same distinct ids
    r = c.post(f"/monitoring/alarms/{alarm.pk}/handle/", {"note": ""})
    assert r.status_code == 400
    ids = Counter(re.findall(r'\sid="([^"]+)"', r.content.decode()))
    assert [i for i, n in ids.items() if n > 1] == [] and "id_handle_note" in ids
