"""The supply catalogue is county-wide reference data: the API (like the import) refuses a
township-scoped grant creating or changing items (403 with the reason), nothing written."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from yingji.apps.audit.models import ChangeRecord
from yingji.apps.resources import services
from yingji.apps.resources.models import SupplyItem
from yingji.apps.resources.tests.factories import SupplyClassFactory, SupplyItemFactory

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_township_grant_cannot_create_or_change_catalogue_items(make_persona, township):
    klass = SupplyClassFactory()
    item = SupplyItemFactory(code="WZ-0501", name="帐篷")
    township_commander = make_persona("commander", division=township)
    body = {"code": "WZ-0502", "name": "棉被", "supply_class": klass.code, "unit": "床"}
    c = _client(township_commander)
    r = c.post("/api/supply-items/", body, format="json")
    assert r.status_code == 403 and "全县共用" in r.json()["detail"]
    r = c.patch(f"/api/supply-items/{item.pk}/", {"name": "改名"}, format="json")
    assert r.status_code == 403 and "county-wide" in r.json()["detail"]
    assert not SupplyItem.objects.filter(code="WZ-0502").exists()
    item.refresh_from_db()
    assert item.name == "帐篷" and not ChangeRecord.objects.filter(model_name="supplyitem").exists()
    # they still read the catalogue (county-wide reference data)
    assert c.get("/api/supply-items/").json()["count"] == 1
    # the service itself refuses, whoever calls it; the system (None) may
    with pytest.raises(PermissionDenied):
        services.create_supply_item(
            actor=township_commander, code="WZ-9", name="x", supply_class=klass, unit="个"
        )
    assert services.create_supply_item(actor=None, code="WZ-9", name="x", supply_class=klass, unit="个").pk


def test_county_grant_creates_and_changes_catalogue_items(make_persona):
    klass = SupplyClassFactory()
    c = _client(make_persona("commander"))
    body = {"code": "WZ-0502", "name": "棉被", "supply_class": klass.code, "unit": "床"}
    r = c.post("/api/supply-items/", body, format="json")
    assert r.status_code == 201, r.content
    r = c.patch(f"/api/supply-items/{r.json()['id']}/", {"shelf_life_days": 1825}, format="json")
    assert r.status_code == 200 and SupplyItem.objects.get(code="WZ-0502").shelf_life_days == 1825
    # field errors stay 400
    r = c.post("/api/supply-items/", {**body, "code": "坏 编码"}, format="json")
    assert r.status_code == 400 and "code" in r.json()
