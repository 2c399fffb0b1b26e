"""An enterprise safety manager imports their own enterprise's registers (inventory, monitoring
points) and only those: other enterprises' rows are row errors, other kinds are neither listed nor
accepted, other users' jobs do not exist for them."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from yingji.apps.core.imports.models import ImportJob, ImportStatus
from yingji.apps.core.imports.registry import scope_allows
from yingji.apps.core.tests.import_files import csv_bytes, shelter_rows
from yingji.apps.directory.tests.factories import EnterpriseFactory
from yingji.apps.monitoring.models import MonitoringPoint
from yingji.apps.resources.models import Shelter
from yingji.apps.risk.models import ChemicalInventory
from yingji.engines.normalize.ids import uscc_check_char

pytestmark = pytest.mark.django_db

MANAGER = "enterprise_safety_manager"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _uscc(serial: str) -> str:
    body = "91652826MA7" + serial
    return body + uscc_check_char(body)


@pytest.fixture
def plants(township: Any, other_township: Any) -> tuple[Any, Any]:
    own = EnterpriseFactory(name="甲化工有限公司", uscc=_uscc("000001"), division=township)
    other = EnterpriseFactory(name="乙燃气有限公司", uscc=_uscc("000002"), division=other_township)
    return own, other


@pytest.fixture
def manager(make_persona: Any, plants: tuple[Any, Any]) -> Any:
    return make_persona(MANAGER, organization=plants[0], username="mgr-own")


def _xlsx(header: list[str], rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _inventory_file(own: Any, other: Any) -> bytes:
    header = ["统一社会信用代码", "企业名称", "单元", "危险化学品", "CAS号", "危险性类别", "最大存量(t)"]
    return _xlsx(
        header,
        [
            [own.uscc, "", "液氯库", "氯", "7782-50-5", "", 12.5],
            [other.uscc, "", "储罐区", "甲醇", "67-56-1", "", 40],  # row 3: another enterprise
            ["", own.name, "液氨罐区", "氨", "7664-41-7", "", 3],
        ],
    )


def _points_file(own: Any, other: Any) -> bytes:
    header = [
        "测点编码",
        "测点名称",
        "统一社会信用代码",
        "监测项目",
        "单位",
        "高高报",
        "高报",
        "经度",
        "纬度",
    ]
    return _xlsx(
        header,
        [
            ["TT-101", "反应釜温度", own.uscc, "温度", "℃", 120, 100, 86.57, 42.06],
            ["TT-201", "储罐温度", other.uscc, "温度", "℃", 120, 100, 86.58, 42.07],  # row 3
        ],
    )


def _upload(client: Client, kind: str, data: bytes, name: str) -> Any:
    return client.post("/imports/upload/", {"kind": kind, "file": SimpleUploadedFile(name, data, XLSX)})


def _login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _api(user: Any) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_manager_imports_own_inventory_and_points_in_the_ui(manager, plants):
    own, other = plants
    c = _login(manager)
    # inventory: the other enterprise's row is refused, the two own rows imported
    r = _upload(c, "enterprise-inventory", _inventory_file(own, other), "存量.xlsx")
    assert r.status_code == 302, r.content.decode()[:500]
    job = ImportJob.objects.get(kind="enterprise-inventory")
    rejected = job.preview.rows("rejected")
    assert [(x["row"], x["column"]) for x in rejected] == [(3, "uscc")]
    assert "无权" in rejected[0]["reason"] and other.name in rejected[0]["reason"]
    page = c.get(f"/imports/{job.pk}/").content.decode()
    assert "commit-button" in page and "无权登记" in page
    assert c.post(f"/imports/{job.pk}/commit/").status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED and job.imported_rows == 2
    assert sorted(ChemicalInventory.objects.values_list("enterprise_id", "quantity_t")) == [
        (own.pk, Decimal("3")),
        (own.pk, Decimal("12.5")),
    ]
    # monitoring points: the same rule
    r = _upload(c, "monitoring-points", _points_file(own, other), "测点.xlsx")
    assert r.status_code == 302
    job = ImportJob.objects.get(kind="monitoring-points")
    assert [(x["row"], x["column"]) for x in job.preview.rows("rejected")] == [(3, "uscc")]
    assert "无权" in job.preview.rows("rejected")[0]["reason"]
    assert c.post(f"/imports/{job.pk}/commit/").status_code == 302
    assert list(MonitoringPoint.objects.values_list("code", "organization_id")) == [("TT-101", own.pk)]
    # the enterprise page links to the inventory import; the import page lists only their kinds
    assert 'id="inventory-import"' in c.get(f"/risk/enterprises/{own.pk}/").content.decode()
    index = c.get("/imports/").content.decode()
    assert "enterprise-inventory" in index and "monitoring-points" in index
    assert "shelters" not in index and "rescue-team-members" not in index
    assert c.get("/imports/templates/shelters.xlsx").status_code == 404
    assert c.get("/imports/templates/enterprise-inventory.xlsx").status_code == 200


def test_manager_cannot_upload_other_kinds(manager, plants):
    data = csv_bytes(shelter_rows())
    r = _upload(_login(manager), "shelters", data, "避难场所.csv")
    assert r.status_code == 403
    r = _api(manager).post(
        "/api/imports/",
        {"kind": "shelters", "file": SimpleUploadedFile("避难场所.csv", data, "text/csv")},
        format="multipart",
    )
    assert r.status_code == 403
    assert ImportJob.objects.count() == 0 and Shelter.objects.count() == 0
    kinds = {k["kind"] for k in _api(manager).get("/api/imports/kinds/").json()}
    assert kinds == {"enterprise-inventory", "monitoring-points"}


def test_manager_sees_only_own_jobs(manager, plants, make_persona, admin_user):
    own, other = plants
    other_manager = make_persona(MANAGER, organization=other, username="mgr-other")
    # a job of the other enterprise's manager, and one of an admin
    theirs = _api(other_manager).post(
        "/api/imports/",
        {
            "kind": "enterprise-inventory",
            "file": SimpleUploadedFile("存量.xlsx", _inventory_file(other, own), XLSX),
        },
        format="multipart",
    )
    assert theirs.status_code == 201, theirs.content
    admins = _api(admin_user).post(
        "/api/imports/",
        {"kind": "shelters", "file": SimpleUploadedFile("s.csv", csv_bytes(shelter_rows()), "text/csv")},
        format="multipart",
    )
    assert admins.status_code == 201
    mine = _api(manager).post(
        "/api/imports/",
        {
            "kind": "enterprise-inventory",
            "file": SimpleUploadedFile("存量.xlsx", _inventory_file(own, other), XLSX),
        },
        format="multipart",
    )
    assert mine.status_code == 201
    # the restriction itself (not only the selector) gives the manager their own job only
    assert list(ImportJob.objects.restrict(manager, "view").values_list("pk", flat=True)) == [
        mine.json()["id"]
    ]
    assert [j["id"] for j in _api(manager).get("/api/imports/").json()["results"]] == [mine.json()["id"]]
    c = _login(manager)
    for job_id in (theirs.json()["id"], admins.json()["id"]):
        assert _api(manager).get(f"/api/imports/{job_id}/").status_code == 404
        assert _api(manager).post(f"/api/imports/{job_id}/commit/").status_code == 404
        assert c.get(f"/imports/{job_id}/").status_code == 404
        assert c.get(f"/imports/{job_id}/original/").status_code == 404
        assert c.post(f"/imports/{job_id}/commit/").status_code == 404
    assert ChemicalInventory.objects.count() == 0
    assert ImportJob.objects.restrict(admin_user, "view").count() == 3


def test_scope_allows_understands_organisation_grants(manager, plants, make_persona, township):
    own, other = plants
    perm = "monitoring.add_monitoringpoint"
    assert scope_allows(manager, perm, own.division.code, own.pk)
    assert not scope_allows(manager, perm, other.division.code, other.pk)
    assert not scope_allows(manager, perm, own.division.code)  # a whole division's record
    assert not scope_allows(manager, "resources.add_shelter", own.division.code, own.pk)
    commander = make_persona("commander", division=township)
    assert scope_allows(commander, perm, own.division.code, own.pk)
    assert scope_allows(commander, perm, own.division.code)
    assert not scope_allows(commander, perm, other.division.code, other.pk)
    assert scope_allows(None, perm, other.division.code)


def test_manager_adds_and_edits_own_points_only(manager, plants):
    own, other = plants
    c = _login(manager)
    form = {
        "code": "PT-1",
        "name": "储罐液位",
        "organization": own.pk,
        "site_kind": "installation",
        "quantity": "level",
        "unit": "m",
        "sampling_period_s": 10,
        "h": 9,
        "hh": 9.5,
        "deadband": 0,
        "on_delay_s": 0,
        "off_delay_s": 0,
    }
    page = c.get("/monitoring/points/new/").content.decode()
    assert own.name in page and other.name not in page
    r = c.post("/monitoring/points/new/", {**form, "code": "PT-X", "organization": other.pk})
    assert r.status_code == 400 and not MonitoringPoint.objects.filter(code="PT-X").exists()
    assert c.post("/monitoring/points/new/", form).status_code == 302
    point = MonitoringPoint.objects.get(code="PT-1")
    assert c.post(f"/monitoring/points/{point.pk}/edit/", {**form, "hh": 9.8}).status_code == 302
    point.refresh_from_db()
    assert point.hh == 9.8
    # over the API: own enterprise yes, another no; another enterprise's point does not exist for them
    api = _api(manager)
    body = {"code": "PT-2", "name": "温度", "quantity": "temperature", "unit": "℃"}
    assert (
        api.post("/api/monitoring/points/", {**body, "organization": own.pk}, format="json").status_code
        == 201
    )
    r = api.post("/api/monitoring/points/", {**body, "code": "PT-3", "organization": other.pk}, format="json")
    assert r.status_code == 400 and "organization" in r.json()
    r = api.patch(f"/api/monitoring/points/{point.pk}/", {"organization": other.pk}, format="json")
    assert r.status_code == 400
    # taking a point out of service (silencing it for the duty desks) is the bureau's decision
    r = api.patch(
        f"/api/monitoring/points/{point.pk}/",
        {"out_of_service": True, "out_of_service_reason": "检修"},
        format="json",
    )
    assert r.status_code == 403
    r = api.patch(
        f"/api/monitoring/points/{point.pk}/", {"out_of_service": False, "name": "储罐A液位"}, format="json"
    )
    assert r.status_code == 200 and r.json()["name"] == "储罐A液位"
    body_oos = {**body, "code": "PT-4", "organization": own.pk, "out_of_service": True}
    assert api.post("/api/monitoring/points/", body_oos, format="json").status_code == 403
    foreign = MonitoringPoint.objects.create(
        code="PT-F", name="他厂", organization=other, quantity="temperature", unit="℃"
    )
    assert (
        api.patch(f"/api/monitoring/points/{foreign.pk}/", {"name": "改"}, format="json").status_code == 404
    )
    assert c.get(f"/monitoring/points/{foreign.pk}/edit/").status_code == 404
    assert sorted(MonitoringPoint.objects.filter(organization=own).values_list("code", flat=True)) == [
        "PT-1",
        "PT-2",
    ]
