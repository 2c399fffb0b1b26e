"""Duty API: permissions per persona, field errors, optimistic locking (409), who is on duty."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from rest_framework.test import APIClient

from yingji.apps.duty.models import DutyLogEntry, Shift, ShiftSwap, SwapStatus
from yingji.apps.duty.tests.factories import SH, make_shift

pytestmark = pytest.mark.django_db
T0 = datetime(2025, 3, 3, 8, tzinfo=SH)


def _api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_now_endpoint(current_shift, duty_officer, leader):
    data = _api(duty_officer).get("/api/duty/now/").json()
    assert data["shift"] == current_shift.pk
    assert data["leader"]["id"] == leader.pk and [o["id"] for o in data["officers"]] == [duty_officer.pk]
    empty = _api(duty_officer).get("/api/duty/now/", {"at": "2001-01-01T00:00:00+08:00"}).json()
    assert empty["shift"] is None and empty["officers"] == []
    assert _api(duty_officer).get("/api/duty/now/", {"at": "yesterday"}).status_code == 400
    assert APIClient().get("/api/duty/now/").status_code in (401, 403)


def test_enterprise_manager_sees_no_duty(make_persona, current_shift):
    from yingji.apps.directory.tests.factories import EnterpriseFactory

    manager = make_persona("enterprise_safety_manager", organization=EnterpriseFactory())
    assert _api(manager).get("/api/duty/now/").status_code == 403
    assert _api(manager).get("/api/duty/shifts/").status_code == 403


def test_shift_create_errors_and_update_conflict(roster, leader, duty_officer, officer2):
    api = _api(leader)
    bad = api.post(
        "/api/duty/shifts/",
        {"roster": roster.pk, "starts_at": T0.isoformat(), "ends_at": (T0 - timedelta(hours=1)).isoformat()},
        format="json",
    )
    assert bad.status_code == 400 and "ends_at" in bad.json()
    ok = api.post(
        "/api/duty/shifts/",
        {"roster": roster.pk, "starts_at": T0.isoformat(), "ends_at": (T0 + timedelta(hours=24)).isoformat(),
         "leader": leader.pk, "officers": [duty_officer.pk]},
        format="json",
    )  # fmt: skip
    assert ok.status_code == 201, ok.json()
    shift_id = ok.json()["id"]
    overlap = api.post(
        "/api/duty/shifts/",
        {"roster": roster.pk, "starts_at": (T0 + timedelta(hours=1)).isoformat(),
         "ends_at": (T0 + timedelta(hours=5)).isoformat(), "officers": [duty_officer.pk]},
        format="json",
    )  # fmt: skip
    assert overlap.status_code == 400 and "officers" in overlap.json()
    # two editors read version 1
    first = _api(duty_officer).patch(
        f"/api/duty/shifts/{shift_id}/", {"label": "A", "version": 1}, format="json"
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    second = api.patch(
        f"/api/duty/shifts/{shift_id}/", {"officers": [officer2.pk], "version": 1}, format="json"
    )
    assert second.status_code == 409 and second.json()["version"] == 2
    assert list(Shift.objects.get(pk=shift_id).officers.all()) == [duty_officer]
    missing = api.patch(f"/api/duty/shifts/{shift_id}/", {"label": "B"}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()


def test_swap_approval_via_api(roster, leader, duty_officer, officer2, make_persona, township):
    a = make_shift(roster, T0, leader=leader, officers=[duty_officer])
    created = _api(duty_officer).post(
        "/api/duty/swaps/",
        {"shift": a.pk, "original_person": duty_officer.pk, "replacement": officer2.pk, "kind": "override"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    swap_id = created.json()["id"]
    township_officer = make_persona("township_officer", division=township)
    assert _api(township_officer).post(f"/api/duty/swaps/{swap_id}/approve/", {}).status_code == 403
    assert _api(duty_officer).post(f"/api/duty/swaps/{swap_id}/approve/", {}).status_code == 403
    # a leader requesting then approving their own request is refused
    own = (
        _api(leader)
        .post(
            "/api/duty/swaps/",
            {"shift": a.pk, "original_person": leader.pk, "replacement": officer2.pk, "kind": "override"},
            format="json",
        )
        .json()["id"]
    )
    assert _api(leader).post(f"/api/duty/swaps/{own}/approve/", {}).status_code == 403
    assert ShiftSwap.objects.get(pk=own).status == SwapStatus.PENDING
    done = _api(leader).post(f"/api/duty/swaps/{swap_id}/approve/", {"note": "同意"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "approved"


def test_handover_acknowledge_via_api(open_items, duty_officer, officer2, leader):
    from yingji.apps.duty.handover_items import HandoverItem

    open_items.append(HandoverItem("incident", "incidents.incident:9", "未结事件"))
    created = _api(duty_officer).post(
        "/api/duty/handovers/", {"incoming_officer": officer2.pk, "summary": "交班"}, format="json"
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert [i["ref"] for i in body["items"]] == ["incidents.incident:9"]
    url = f"/api/duty/handovers/{body['id']}/acknowledge/"
    assert _api(leader).post(url, {"all": True}, format="json").status_code == 403
    assert _api(officer2).post(url, {}, format="json").status_code == 400
    done = _api(officer2).post(url, {"item_ids": [body["items"][0]["id"]]}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "complete"


def test_duty_log_api(current_shift, duty_officer, make_persona, township):
    api = _api(duty_officer)
    bad = api.post("/api/duty/log/", {"kind": "call_in", "summary": "x"}, format="json")
    assert bad.status_code == 400 and "caller_number" in bad.json()
    ok = api.post(
        "/api/duty/log/", {"kind": "call_in", "caller_number": "110", "summary": "转来警情"}, format="json"
    )
    assert ok.status_code == 201 and ok.json()["shift"] == current_shift.pk
    listed = api.get("/api/duty/log/", {"shift": current_shift.pk}).json()
    assert listed["count"] == 1
    assert api.get("/api/duty/log/", {"date": "not-a-date"}).status_code == 400
    township_officer = make_persona("township_officer", division=township)
    assert _api(township_officer).get("/api/duty/log/").json()["count"] == 0
    refused = _api(township_officer).post(
        "/api/duty/log/", {"kind": "note", "summary": "x", "division_code": "652826000000"}, format="json"
    )
    assert refused.status_code == 403
    assert DutyLogEntry.objects.count() == 1


def test_generate_and_gaps_via_api(roster, leader, duty_officer):
    api = _api(leader)
    r = api.post(
        f"/api/duty/rosters/{roster.pk}/generate/",
        {"starts_on": "2025-03-03", "ends_on": "2025-03-05", "slots": [{"start": "08:00", "hours": 24}],
         "leaders": [leader.pk], "officers": [duty_officer.pk], "weekdays": [0, 2]},
        format="json",
    )  # fmt: skip
    assert r.status_code == 201, r.json()
    body = r.json()
    assert len(body["shifts"]) == 2 and body["gaps"][0]["reasons"] == ["uncovered"]
    gaps = api.get(
        f"/api/duty/rosters/{roster.pk}/gaps/", {"start": "2025-03-03", "end": "2025-03-06"}
    ).json()
    assert gaps[0]["gaps"][0]["reasons"] == ["uncovered"]
    bad = api.post(
        f"/api/duty/rosters/{roster.pk}/generate/",
        {"starts_on": "2025-03-09", "ends_on": "2025-03-08", "slots": [], "leaders": [], "officers": []},
        format="json",
    )
    assert bad.status_code == 400 and "slots" in bad.json()
    assert _api(duty_officer).post(f"/api/duty/rosters/{roster.pk}/generate/", {}).status_code == 400


def test_holidays_are_admin_data(leader, admin_user):
    payload = {"day": "2030-01-01", "name": "元旦", "kind": "holiday", "source": "测试"}
    assert _api(leader).post("/api/duty/holidays/", payload, format="json").status_code == 403
    assert _api(admin_user).post("/api/duty/holidays/", payload, format="json").status_code == 201
    assert _api(leader).get("/api/duty/holidays/").json()["count"] == 1
