"""The ``enterprise-inventory`` import target: row checks and commit (engine-independent rows)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yingji.apps.core.imports.registry import ImportRowError
from yingji.apps.risk import imports
from yingji.apps.risk.models import ChemicalInventory, ProductionUnit

pytestmark = pytest.mark.django_db


def _rows(enterprise, other):
    enterprise.uscc, other.uscc = "U1", "U2"
    enterprise.save()
    other.save()
    base = {"unit": "液氯库", "hazard_class": ""}
    return [
        {
            "row": 2,
            "values": {**base, "uscc": "U1", "substance": "氯", "cas": "7782-50-5", "quantity_t": "10"},
        },
        {
            "row": 3,
            "values": {**base, "uscc": "U1", "substance": "氨", "cas": "7664-41-8", "quantity_t": "1"},
        },
        {"row": 4, "values": {**base, "uscc": "U2", "substance": "氯", "cas": "", "quantity_t": "1"}},
        {"row": 5, "values": {**base, "uscc": "U9", "substance": "氯", "cas": "", "quantity_t": "1"}},
        {"row": 6, "values": {**base, "uscc": "U1", "substance": "氯", "cas": "", "quantity_t": "3"}},
    ]


def test_row_checks_report_errors_per_row_and_scope(enterprise, other_enterprise, manager):
    checks = imports.check_rows(_rows(enterprise, other_enterprise), actor=manager)
    assert set(checks.errors) == {3, 4, 5}
    assert checks.errors[3][0][0] == "cas" and "无权" in checks.errors[4][0][1]
    assert checks.duplicates == {6: 2}


def test_commit_stores_lines_and_reassesses_units(enterprise, other_enterprise):
    rows = _rows(enterprise, other_enterprise)
    result = imports.commit([rows[0], rows[2]], actor=None, job=None)
    assert result["created"] == 2
    unit = ProductionUnit.objects.get(enterprise=enterprise)
    assert unit.is_major_hazard and unit.major_hazard_level == 4
    with pytest.raises(ImportRowError) as exc:
        imports.commit([rows[1]], actor=None, job=None)
    assert exc.value.row == 3 and "cas" in exc.value.messages
    assert ChemicalInventory.objects.filter(quantity_t=Decimal("10")).count() == 1
    assert imports.existing_keys([("U1", "液氯库", "氯")]) == {
        ("U1", "液氯库", "氯"): f"已登记 {enterprise.name} 液氯库 氯"
    }


def test_excel_upload_runs_the_engine_kind_and_commits(
    admin_user, enterprise, other_enterprise, settings, tmp_path
):
    """The real path: an .xlsx with a (kg) header → engine preview (tonnes) → row checks → commit."""
    import io

    import openpyxl

    from yingji.apps.core.imports import services as import_services
    from yingji.engines.normalize.ids import uscc_check_char

    settings.MEDIA_ROOT = str(tmp_path / "media")
    body = "91652826MA7000001"
    enterprise.uscc = body + uscc_check_char(body)
    enterprise.save()
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["统一社会信用代码", "企业名称", "单元", "危险化学品", "CAS号", "危险性类别", "最大存量(kg)"])
    ws.append([enterprise.uscc, "", "液氯库", "氯", "7782-50-5", "", 12500])
    ws.append(["", other_enterprise.name, "储罐区", "甲醇", "67-56-1", "", "40t"])
    ws.append([enterprise.uscc, "", "液氨罐区", "氨", "7664-41-8", "", 100])  # bad CAS check digit
    buf = io.BytesIO()
    wb.save(buf)
    job = import_services.preview_upload(
        actor=admin_user, kind="enterprise-inventory", data=buf.getvalue(), filename="存量.xlsx"
    )
    assert [r["row"] for r in job.preview.rows("imported")] == [2, 3]
    assert [(r["row"], r["column"]) for r in job.preview.rows("rejected")] == [(4, "cas")]
    assert ChemicalInventory.objects.count() == 0
    job = import_services.commit_import(job, actor=admin_user)
    assert job.imported_rows == 2
    chlorine = ChemicalInventory.objects.get(enterprise=enterprise)
    assert chlorine.quantity_t == Decimal("12.5") and chlorine.unit_name == "液氯库"
    assert ChemicalInventory.objects.get(enterprise=other_enterprise).quantity_t == Decimal("40")
    # the same file again: both lines are stored already (by credit code, and by the resolved name)
    again = import_services.preview_upload(
        actor=admin_user, kind="enterprise-inventory", data=buf.getvalue(), filename="存量.xlsx"
    )
    assert [r["row"] for r in again.preview.rows("duplicates")] == [2, 3]
    assert again.preview.rows("imported") == []
