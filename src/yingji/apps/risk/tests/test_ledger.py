"""Enterprise ledger: USCC check character, location inside the county, contact visibility, export."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from openpyxl import load_workbook

from yingji.apps.risk import services
from yingji.apps.risk.models import EnterpriseProfile, SafetyManager
from yingji.engines.normalize.ids import uscc_check_char

from .factories import api

pytestmark = pytest.mark.django_db

BODY = "91652826MA78XY212"  # 17 characters before the check character


def _uscc() -> str:
    return BODY + uscc_check_char(BODY)


def test_valid_uscc_and_location_are_saved_on_the_organisation(enterprise, manager):
    r = api(manager).post(
        "/api/enterprise-profiles/",
        {
            "enterprise": enterprise.pk,
            "uscc": _uscc().lower(),
            "lon": 86.57,
            "lat": 42.06,
            "industry_code": "C2614",
            "legal_representative": "李总",
            "employees": 80,
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    enterprise.refresh_from_db()
    assert enterprise.uscc == _uscc() and r.json()["uscc"] == _uscc()


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"uscc": BODY + ("0" if uscc_check_char(BODY) != "0" else "1")}, "uscc"),
        ({"lon": 90.0, "lat": 42.0}, "lon"),  # outside 焉耆县
        ({"industry_code": "C99999"}, "industry_code"),
    ],
)
def test_bad_ledger_input_is_a_field_error(enterprise, fields, error_field):
    with pytest.raises(ValidationError) as exc:
        services.save_enterprise_ledger(actor=None, enterprise=enterprise, **fields)
    assert error_field in exc.value.message_dict
    assert not EnterpriseProfile.objects.exists()


def test_api_bad_location_is_400(enterprise, manager):
    r = api(manager).post(
        "/api/enterprise-profiles/", {"enterprise": enterprise.pk, "lon": 100.0, "lat": 30.0}, format="json"
    )
    assert r.status_code == 400 and "lon" in r.json()


def test_contact_details_only_for_roles_that_need_them(enterprise, manager, officer, make_persona):
    # township officers read the ledger but hold no risk.contact_safetymanager (duty desks do: they call)
    duty_officer = make_persona("township_officer", division=enterprise.division)
    services.create_ledger_record(
        SafetyManager, actor=None, enterprise=enterprise, name="王", phone="13900000000"
    )
    phones = {
        who: api(user).get("/api/safety-managers/").json()["results"][0]["phone"]
        for who, user in (("manager", manager), ("officer", officer), ("duty", duty_officer))
    }
    assert phones == {"manager": "13900000000", "officer": "13900000000", "duty": None}
    c = Client()
    c.force_login(duty_officer)
    html = c.get(f"/risk/enterprises/{enterprise.pk}/").content.decode()
    assert "王" in html and "13900000000" not in html


def test_export_workbook_has_the_visible_ledger(enterprise, other_enterprise, manager):
    from decimal import Decimal

    services.record_inventory(
        actor=None, enterprise=enterprise, unit_name="A", substance_name="氨", quantity_t=Decimal(1)
    )
    services.record_inventory(
        actor=None, enterprise=other_enterprise, unit_name="B", substance_name="氯", quantity_t=Decimal(1)
    )
    c = Client()
    c.force_login(manager)
    r = c.get("/risk/export.xlsx")
    assert r.status_code == 200
    wb = load_workbook(BytesIO(r.content))
    assert {"企业", "单元", "危险化学品", "风险点", "隐患"} <= set(wb.sheetnames)
    rows = list(wb["危险化学品"].iter_rows(values_only=True))
    assert [row[2] for row in rows[1:]] == ["氨"]
    assert api(manager).get("/api/risk-ledger-export/").status_code == 200
