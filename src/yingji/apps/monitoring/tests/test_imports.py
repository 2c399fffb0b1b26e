"""Excel import of monitoring points (kind ``monitoring-points``) through the shared import layer."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.test import Client

from yingji.apps.audit.models import ChangeRecord
from yingji.apps.core.imports import services as imports
from yingji.apps.core.imports.registry import get_import_kind
from yingji.apps.directory.tests.factories import EnterpriseFactory
from yingji.apps.monitoring import services
from yingji.apps.monitoring.models import MonitoringPoint, PointState
from yingji.apps.monitoring.tests.factories import make_gateway, make_point
from yingji.engines.normalize.ids import uscc_check_char

pytestmark = pytest.mark.django_db

USCC_A = "91652826MA7" + "000001"
USCC_A += uscc_check_char(USCC_A)
USCC_B = "91652826MA7" + "000002"
USCC_B += uscc_check_char(USCC_B)
HEADER = [
    "测点编码", "测点名称", "统一社会信用代码", "企业名称", "装置", "监测项目", "单位", "采样周期(s)",
    "高高报", "高报", "低报", "低低报", "死区", "报警延时(s)", "消警延时(s)", "离线判定(s)",
    "设备编码", "网关编码", "经度", "纬度",
]  # fmt: skip
OUTSIDE = (87.6, 43.8)  # Urumqi: in China, outside Yanqi county


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def enterprises(township: Any, other_township: Any) -> tuple[Any, Any]:
    a = EnterpriseFactory(name="甲化工有限公司", uscc=USCC_A, division=township)
    b = EnterpriseFactory(name="乙燃气有限公司", uscc=USCC_B, division=other_township)
    return a, b


def _row(code: str, uscc: str = USCC_A, **over: Any) -> list[object]:
    values: dict[str, object] = {
        "测点编码": code,
        "测点名称": f"{code}温度",
        "统一社会信用代码": uscc,
        "企业名称": "",
        "装置": "氯化装置",
        "监测项目": "温度",
        "单位": "℃",
        "采样周期(s)": 10,
        "高高报": 120,
        "高报": 100,
        "低报": "",
        "低低报": "",
        "死区": 2,
        "报警延时(s)": 5,
        "消警延时(s)": 10,
        "离线判定(s)": 60,
        "设备编码": "",
        "网关编码": "",
        "经度": 86.57,
        "纬度": 42.06,
    }
    values.update(over)
    return [values[h] for h in HEADER]


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["监测点台账"])
    ws.append(HEADER)
    for r in rows:
        ws.append([None if v == "" else v for v in r])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _preview(user: Any, rows: list[list[object]]) -> Any:
    return imports.preview_upload(
        actor=user, kind="monitoring-points", data=_xlsx(rows), filename="测点.xlsx"
    )


def _rejected(job: Any) -> set[tuple[int, str]]:
    return {(r["row"], r["column"]) for r in job.preview.rows("rejected")}


def test_kind_is_registered_with_its_permission() -> None:
    entry = get_import_kind("monitoring-points")
    assert entry.permission == "monitoring.add_monitoringpoint"
    assert entry.template_columns[:2] == ("测点编码", "测点名称")


def test_good_file_creates_points_with_their_alarm_configuration(admin_user, enterprises):
    a, _b = enterprises
    gateway, _token = make_gateway(a)
    services.create_device(actor=None, code="DEV-1", name="温度变送器", organization=a, gateway=gateway)
    rows = [
        _row("TT-101", **{"设备编码": "DEV-1"}),
        _row(
            "LT-201",
            uscc="",
            **{
                "企业名称": "甲化工有限公司",
                "测点名称": "储罐液位",
                "监测项目": "液位",
                "单位": "m",
                "高高报": 9.5,
                "高报": 9,
                "低报": 1,
                "低低报": 0.5,
                "死区": 0.05,
                "经度": "",
                "纬度": "",
            },
        ),
    ]
    job = _preview(admin_user, rows)
    assert job.preview.rows("rejected") == [] and [r["row"] for r in job.preview.rows("imported")] == [3, 4]
    assert MonitoringPoint.objects.count() == 0  # the preview writes nothing
    job = imports.commit_import(job, actor=admin_user)
    assert job.imported_rows == 2
    tt = MonitoringPoint.objects.get(code="TT-101")
    assert tt.organization == a and tt.site_kind == "installation" and tt.site_name == "氯化装置"
    assert tt.config_dict() == {
        "hh": 120.0,
        "h": 100.0,
        "deadband": 2.0,
        "on_delay_s": 5.0,
        "off_delay_s": 10.0,
        "offline_s": 60.0,
    }
    assert tt.device.code == "DEV-1" and tt.gateway == gateway  # the device's gateway
    lt = MonitoringPoint.objects.get(code="LT-201")
    assert lt.quantity == "level" and (lt.ll, lt.l, lt.h, lt.hh) == (0.5, 1.0, 9.0, 9.5)
    assert lt.engine_config().deadband == 0.05 and lt.lon is None
    assert PointState.objects.filter(point__in=[tt, lt]).count() == 2
    assert ChangeRecord.objects.filter(model_name="monitoringpoint", action="create").count() == 2


def test_bad_limits_reported_by_row_number_and_not_written(admin_user, enterprises):
    rows = [_row("TT-101"), _row("TT-102", **{"高报": 130}), _row("TT-103")]  # row 4: H 130 > HH 120
    job = _preview(admin_user, rows)
    rejected = job.preview.rows("rejected")
    assert [(r["row"], r["column"]) for r in rejected] == [(4, "hh")]
    assert "高报 < 高高报" in rejected[0]["reason"]
    assert MonitoringPoint.objects.count() == 0
    imports.commit_import(job, actor=admin_user)
    assert sorted(MonitoringPoint.objects.values_list("code", flat=True)) == ["TT-101", "TT-103"]


def test_unknown_enterprise_device_gateway_and_out_of_county_point(admin_user, enterprises):
    _a, b = enterprises
    other_gateway, _ = make_gateway(b)
    unknown = "91652826MA7" + "000009"
    unknown += uscc_check_char(unknown)
    rows = [
        _row("TT-101", uscc=unknown),
        _row("TT-102", uscc="", **{"企业名称": "不存在的企业"}),
        _row("TT-103", **{"设备编码": "NO-SUCH"}),
        _row("TT-104", **{"网关编码": other_gateway.code}),
        _row("TT-105", **{"经度": OUTSIDE[0], "纬度": OUTSIDE[1]}),
    ]
    job = _preview(admin_user, rows)
    assert job.preview.rows("imported") == []
    assert _rejected(job) == {
        (3, "uscc"),
        (4, "enterprise"),
        (5, "device_code"),
        (6, "gateway_code"),
        (7, "lng"),
        (7, "lat"),
    }
    reasons = {r["row"]: r["reason"] for r in job.preview.rows("rejected")}
    assert "本县范围" in reasons[7]


def test_duplicate_codes_in_the_file_and_in_the_database(admin_user, enterprises):
    a, _b = enterprises
    make_point(a, code="TT-OLD")
    job = _preview(admin_user, [_row("TT-101"), _row("TT-OLD"), _row("TT-101")])
    dups = {d["row"]: d["same_as"] for d in job.preview.rows("duplicates")}
    assert dups == {4: "已登记的测点 TT-OLD", 5: 3}
    assert [r["row"] for r in job.preview.rows("imported")] == [3]


def test_enterprise_manager_cannot_import_points_of_another_enterprise(make_persona, enterprises):
    _a, b = enterprises
    manager_b = make_persona("enterprise_safety_manager", organization=b, username="mgr-b")
    job = _preview(manager_b, [_row("TT-101"), _row("TT-201", uscc=USCC_B)])
    assert _rejected(job) == {(3, "uscc")}
    assert "无权" in job.preview.rows("rejected")[0]["reason"]
    imports.commit_import(job, actor=manager_b)
    assert list(MonitoringPoint.objects.values_list("code", "organization")) == [("TT-201", b.pk)]


def test_points_page_links_to_the_import_and_template(admin_user, duty_officer):
    c = Client()
    c.force_login(admin_user)
    page = c.get("/monitoring/").content.decode()
    assert 'id="points-import"' in page and "/imports/templates/monitoring-points.xlsx" in page
    template = c.get("/imports/templates/monitoring-points.xlsx")
    assert template.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(template.content)).active
    assert sheet is not None and sheet.cell(1, 1).value == "测点编码"
    c.force_login(duty_officer)
    assert 'id="points-import"' not in c.get("/monitoring/").content.decode()
