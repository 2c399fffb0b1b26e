"""API and form validation of the registries: points inside the county, team members' ID numbers
(GB 11643-1999) and phone numbers normalised, plausible stock lot dates; field-level 400s, nothing
written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django import forms
from django.utils import timezone
from rest_framework.test import APIClient

from yingji.apps.resources.models import Depot, Equipment, Expert, RescueTeam, Shelter, StockLot, TeamMember
from yingji.apps.resources.tests.factories import DepotFactory, RescueTeamFactory, SupplyItemFactory
from yingji.engines.normalize.ids import id_check_char

pytestmark = pytest.mark.django_db

INSIDE = (86.574, 42.059)  # 焉耆镇
OUTSIDE = (88.0, 42.0)  # 和静县
BODY = "11010519491231002"
VALID_ID = BODY + id_check_char(BODY)  # 11010519491231002X (女, 1949-12-31)

REGISTRIES = {
    "depots": (Depot, {"code": "CK-9", "name": "测试库", "owner_kind": "bureau"}),
    "rescue-teams": (RescueTeam, {"name": "测试队", "kind": "specialised"}),
    "experts": (Expert, {"name": "测试专家", "specialty": "地质灾害"}),
    "shelters": (Shelter, {"code": "BN-9", "name": "测试场所", "kind": "outdoor", "capacity_persons": 10,
                           "area_m2": "100"}),
    "equipment": (Equipment, {"code": "ZB-9", "name": "水泵", "kind": "pump"}),
}  # fmt: skip


@pytest.fixture
def api(make_persona) -> APIClient:
    c = APIClient()
    c.force_authenticate(make_persona("commander"))
    return c


@pytest.mark.parametrize("path", list(REGISTRIES))
def test_points_outside_the_county_are_field_errors(api, path):
    model, body = REGISTRIES[path]
    base = {**body, "division_code": "652826100000"}
    r = api.post(f"/api/{path}/", {**base, "lon": OUTSIDE[0], "lat": OUTSIDE[1]}, format="json")
    assert r.status_code == 400 and set(r.json()) == {"lon", "lat"}, r.json()
    assert "本县" in r.json()["lon"][0]
    half = api.post(f"/api/{path}/", {**base, "lon": INSIDE[0]}, format="json")
    assert half.status_code == 400 and "lat" in half.json()
    assert not model.objects.exists()
    ok = api.post(f"/api/{path}/", {**base, "lon": INSIDE[0], "lat": INSIDE[1]}, format="json")
    assert ok.status_code == 201, ok.json()
    pk = ok.json()["id"]
    moved = api.patch(f"/api/{path}/{pk}/", {"lon": OUTSIDE[0], "lat": OUTSIDE[1]}, format="json")
    assert moved.status_code == 400 and "lon" in moved.json()
    assert model.objects.get(pk=pk).lon == INSIDE[0]


def test_registry_phone_numbers_are_normalised_or_rejected(api):
    base = {"code": "CK-8", "name": "库", "owner_kind": "bureau", "division_code": "652826100000"}
    bad = api.post("/api/depots/", {**base, "phone": "12345"}, format="json")
    assert bad.status_code == 400 and set(bad.json()) == {"phone"}
    ok = api.post("/api/depots/", {**base, "phone": "(0996) 602 1234"}, format="json")
    assert ok.status_code == 201 and ok.json()["phone"] == "0996-6021234"


def test_team_member_id_numbers_and_phones_are_checked_and_normalised(api):
    team = RescueTeamFactory()
    base = {"team": team.pk, "name": "张伟"}
    cases = [
        ({"id_number": BODY + ("1" if VALID_ID[-1] != "1" else "2")}, "id_number"),  # wrong check character
        ({"id_number": "11010519490231002X"}, "id_number"),  # 31 February
        ({"id_number": "1101051949"}, "id_number"),  # too short
        ({"phone": "12345"}, "phone"),
        ({"phone": "13800138000/13900139000"}, "phone"),  # two numbers in one field
        ({"id_number": VALID_ID, "sex": "男"}, "sex"),  # the ID says 女
        ({"id_number": VALID_ID, "birth_date": "1950-01-01"}, "birth_date"),
    ]
    for extra, field in cases:
        r = api.post("/api/team-members/", {**base, **extra}, format="json")
        assert r.status_code == 400 and field in r.json(), (extra, r.json())
    assert not TeamMember.objects.exists()
    r = api.post(
        "/api/team-members/",
        {**base, "id_number": VALID_ID.lower(), "phone": "+86 138-0013-8000"},
        format="json",
    )
    assert r.status_code == 201, r.json()
    member = TeamMember.objects.get()
    assert member.id_number == VALID_ID and member.phone == "13800138000"
    assert member.sex == "女" and member.birth_date.isoformat() == "1949-12-31"  # taken from the ID
    old = "110105491231002"  # 15 digits: upgraded to 18
    r = api.patch(f"/api/team-members/{member.pk}/", {"id_number": old}, format="json")
    assert r.status_code == 200
    member.refresh_from_db()
    assert member.id_number == VALID_ID


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ({"production_date": "future"}, "production_date"),
        ({"production_date": "0001-01-01"}, "production_date"),
        ({"production_date": "1899-12-31"}, "production_date"),
        ({"expiry_date": "9999-12-31"}, "expiry_date"),
        ({"expiry_date": "0001-01-01"}, "expiry_date"),
        ({"production_date": "2024-05-01", "expiry_date": "2024-04-01"}, "expiry_date"),
    ],
)
def test_implausible_lot_dates_are_field_errors(api, dates, field):
    DepotFactory(code="CK-D")
    SupplyItemFactory(code="WATER")
    if dates.get("production_date") == "future":
        dates = {"production_date": (timezone.localdate() + timedelta(days=1)).isoformat()}
    body = {"depot": "CK-D", "item": "WATER", "quantity": "5", **dates}
    r = api.post("/api/stock-lots/receive/", body, format="json")
    assert r.status_code == 400 and set(r.json()) == {field}, r.json()
    assert not StockLot.objects.exists()
    today = {"depot": "CK-D", "item": "WATER", "quantity": "5", "production_date": timezone.localdate()}
    assert api.post("/api/stock-lots/receive/", today, format="json").status_code == 201


def test_forms_show_the_same_errors_on_their_fields(client, make_persona):
    # the admin's model forms run the model validation: the point error lands on lon/lat
    form_class = forms.modelform_factory(
        Depot, fields=["code", "name", "owner_kind", "division", "lon", "lat"]
    )
    county_depot = DepotFactory()
    data = {"code": "CK-F", "name": "库", "owner_kind": "bureau", "division": county_depot.division_id}
    form = form_class({**data, "lon": OUTSIDE[0], "lat": OUTSIDE[1]})
    assert not form.is_valid() and {"lon", "lat"} <= set(form.errors)
    assert form_class({**data, "lon": INSIDE[0], "lat": INSIDE[1]}).is_valid()
    # the depot page's receive form: a future production date is an error on that field
    item = SupplyItemFactory(code="TENT")
    client.force_login(make_persona("commander"))
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    r = client.post(
        f"/resources/depots/{county_depot.pk}/receive/",
        {"item": item.pk, "quantity": "3", "production_date": tomorrow},
    )
    assert r.status_code == 200 and "晚于今天" in r.content.decode()
    assert r.context["form"].errors["production_date"]
    assert not StockLot.objects.exists()
