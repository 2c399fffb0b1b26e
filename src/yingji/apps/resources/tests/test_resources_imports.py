"""Excel imports of depot stock and team members through the shared import layer: row-level errors,
duplicates in the file and in the database, all or nothing."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from yingji.apps.core.imports import services as imports
from yingji.apps.core.tests.import_files import xlsx_bytes
from yingji.apps.resources.models import StockLot, StockMovement, TeamMember
from yingji.apps.resources.tests.factories import DepotFactory, RescueTeamFactory, SupplyItemFactory
from yingji.engines.normalize.ids import id_check_char

pytestmark = pytest.mark.django_db

OTHER_ID = "11010519800101003" + id_check_char("11010519800101003")
STOCK_HEADER = ["仓库编码", "物资编码", "物资名称", "计量单位", "数量", "批次", "生产日期", "有效期至"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _preview(user, kind, rows):
    return imports.preview_upload(
        actor=user, kind=kind, data=xlsx_bytes(rows, merge_header=False, hidden=False), filename="x.xlsx"
    )


def test_depot_stock_import_reports_bad_rows_by_number_and_imports_the_rest(admin_user):
    DepotFactory(code="CK-101")
    SupplyItemFactory(code="TENT-01", name="帐篷", unit="顶")
    rows = [
        STOCK_HEADER,
        ["CK-101", "TENT-01", "帐篷", "顶", "120", "2024A", "2024-01-05", "2034-01-04"],
        ["CK-101", "TENT-01", "帐篷", "顶", "30", "2024B", "2024-03-01", ""],
        ["CK-999", "TENT-01", "帐篷", "顶", "5", "X", "", ""],  # unknown depot
        ["CK-101", "TENT-01", "帐篷", "顶", "5", "2024C", "2024-05-01", "2024-04-01"],  # expiry < production
        ["CK-101", "TENT-01", "帐篷", "顶", "7", "2024A", "", ""],  # duplicate of row 2
    ]
    job = _preview(admin_user, "depot-stock", rows)
    imported = [r["row"] for r in job.preview.rows("imported")]
    rejected = {(r["row"], r["column"]) for r in job.preview.rows("rejected")}
    duplicates = [r["row"] for r in job.preview.rows("duplicates")]
    assert imported == [2, 3]
    assert (4, "depot_code") in rejected and (5, "expiry_date") in rejected
    assert duplicates == [6]
    job = imports.commit_import(job, actor=admin_user)
    assert job.imported_rows == 2
    assert sum(lot.quantity_on_hand for lot in StockLot.objects.all()) == D("150")
    assert StockMovement.objects.filter(kind="receive").count() == 2
    # the same file again: both lots exist already → duplicates, nothing to import
    again = _preview(admin_user, "depot-stock", rows[:3])
    assert [r["row"] for r in again.preview.rows("duplicates")] == [2, 3]
    assert again.preview.rows("imported") == []


def test_team_members_import(admin_user):
    RescueTeamFactory(name="防汛抢险专业队")
    rows = [
        ["姓名", "身份证号", "性别", "出生日期", "联系电话", "所属队伍", "专业技能"],
        ["张伟", "11010519491231002X", "女", "", "13800138000", "防汛抢险专业队", "水域救援、搜救"],
        ["李强", OTHER_ID, "", "", "13800138001", "不存在的队伍", ""],
    ]
    job = _preview(admin_user, "rescue-team-members", rows)
    assert [r["row"] for r in job.preview.rows("imported")] == [2]
    assert [(r["row"], r["column"]) for r in job.preview.rows("rejected")] == [(3, "team")]
    imports.commit_import(job, actor=admin_user)
    member = TeamMember.objects.get()
    assert member.team.name == "防汛抢险专业队" and member.birth_date.isoformat() == "1949-12-31"
    assert member.masked_id == "110105**********2X"
