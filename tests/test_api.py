"""API: auth, filtering, field errors (never 500), restriction by grant, audit with request id."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from yingji.apps.audit.models import ChangeRecord
from yingji.apps.directory.models import Organization
from yingji.apps.directory.tests.factories import EnterpriseFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _client(user=None) -> APIClient:
    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


def test_anonymous_is_refused():
    assert _client().get("/api/divisions/").status_code in (401, 403)


def test_divisions_filter_by_level_and_parent(duty_officer):
    c = _client(duty_officer)
    r = c.get("/api/divisions/", {"level": "township", "limit": 500})
    assert r.status_code == 200
    assert r.json()["count"] == 10
    r = c.get("/api/divisions/", {"parent_code": "652826100000", "limit": 500})
    assert r.json()["count"] > 0
    assert all(d["level"] == "village" for d in r.json()["results"])


def test_division_detail_has_boundary(duty_officer):
    r = _client(duty_officer).get("/api/divisions/652826000000/")
    assert r.status_code == 200
    body = r.json()
    assert body["name"] == "焉耆回族自治县" and body["population"] == 122961
    assert body["boundary"]["type"] == "Polygon"
    assert _client(duty_officer).get("/api/divisions/999999999999/").status_code == 404


def test_token_auth(duty_officer):
    c = APIClient()
    r = c.post(
        "/api/auth/token/", {"username": "duty1", "password": duty_officer.test_password}, format="json"
    )
    assert r.status_code == 200
    c.credentials(HTTP_AUTHORIZATION="Token " + r.json()["token"])
    assert c.get("/api/divisions/?level=county").json()["count"] == 1
    bad = APIClient().post("/api/auth/token/", {"username": "duty1", "password": "nope"}, format="json")
    assert bad.status_code == 400


def test_create_organization_field_errors_and_nothing_written(admin_user):
    c = _client(admin_user)
    before = Organization.objects.count()
    r = c.post(
        "/api/organizations/",
        {"name": "", "kind": "nonsense", "division_code": "000000000000", "lat": 123},
        format="json",
    )
    assert r.status_code == 400
    errors = r.json()
    assert {"name", "kind", "division_code", "lat"} <= set(errors)
    r = c.post("/api/organizations/", "not json", content_type="application/json")
    assert r.status_code == 400
    assert Organization.objects.count() == before


def test_create_organization_is_audited_with_request_id(admin_user):
    c = _client(admin_user)
    r = c.post(
        "/api/organizations/",
        {"name": "县林业和草原局", "kind": "member_unit", "division_code": "652826000000"},
        format="json",
        HTTP_X_REQUEST_ID="req-test-0001",
    )
    assert r.status_code == 201, r.content
    assert r["X-Request-ID"] == "req-test-0001"
    rec = ChangeRecord.objects.get(model_name="organization", object_id=str(r.json()["id"]))
    assert rec.action == "create" and rec.actor == admin_user and rec.request_id == "req-test-0001"
    assert rec.after["name"] == "县林业和草原局"
    r = c.post(
        "/api/organizations/",
        {"name": "县林业和草原局", "kind": "member_unit", "division_code": "652826000000"},
        format="json",
    )
    assert r.status_code == 400  # duplicate name in the same division: field error, not 500


def test_update_organization_records_before_and_after(admin_user):
    org = OrganizationFactory()
    c = _client(admin_user)
    r = c.patch(f"/api/organizations/{org.pk}/", {"phone": "0996-1234567"}, format="json")
    assert r.status_code == 200
    rec = ChangeRecord.objects.filter(model_name="organization", object_id=str(org.pk), action="update").get()
    assert rec.before["phone"] == "" and rec.after["phone"] == "0996-1234567"
    assert rec.changed_fields() == ["phone", "updated_at"]


def test_duty_officer_cannot_write(duty_officer):
    r = _client(duty_officer).post(
        "/api/organizations/",
        {"name": "x", "kind": "member_unit", "division_code": "652826000000"},
        format="json",
    )
    assert r.status_code == 403
    assert not Organization.objects.filter(name="x").exists()


def test_township_officer_sees_only_own_township(make_persona, township, other_township):
    mine = OrganizationFactory(division=township)
    theirs = OrganizationFactory(division=other_township)
    officer = make_persona("township_officer", division=township)
    names = {o["name"] for o in _client(officer).get("/api/organizations/?limit=500").json()["results"]}
    assert mine.name in names and theirs.name not in names
    assert _client(officer).get(f"/api/organizations/{theirs.pk}/").status_code == 404


def test_enterprise_manager_sees_only_own_enterprise(make_persona, township):
    from decimal import Decimal

    from yingji.apps.risk.services import record_inventory

    mine, other = EnterpriseFactory(division=township), EnterpriseFactory(division=township)
    record_inventory(
        actor=None, enterprise=mine, unit_name="罐区", substance_name="氨", quantity_t=Decimal("5")
    )
    record_inventory(
        actor=None, enterprise=other, unit_name="罐区", substance_name="氯", quantity_t=Decimal("1")
    )
    manager = make_persona("enterprise_safety_manager", organization=mine)
    c = _client(manager)
    orgs = c.get("/api/organizations/?limit=500").json()["results"]
    assert [o["name"] for o in orgs] == [mine.name]
    inv = c.get("/api/chemical-inventories/").json()["results"]
    assert [i["substance_name"] for i in inv] == ["氨"]
    assert c.get("/api/depots/").status_code == 403


def test_public_viewer_sees_divisions_not_organizations(make_persona):
    viewer = make_persona("public_viewer")
    c = _client(viewer)
    assert c.get("/api/divisions/?level=county").status_code == 200
    assert c.get("/api/organizations/").status_code == 403


def test_schema_and_docs_are_served(client):
    r = client.get("/api/schema/")
    assert r.status_code == 200 and b"openapi" in r.content
    assert client.get("/api/docs/").status_code == 200


def test_token_endpoint_rejects_non_object_bodies():
    for body in ([], "x", None, 123):
        r = APIClient().post("/api/auth/token/", body, format="json")
        assert r.status_code == 400, body


def test_deeply_nested_json_is_400_not_500(admin_user):
    body = "[" * 5000 + "]" * 5000
    r = _client(admin_user).post("/api/organizations/", body, content_type="application/json")
    assert r.status_code == 400
