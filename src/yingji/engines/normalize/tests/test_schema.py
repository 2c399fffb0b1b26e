"""Registry kinds and the import preview."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from yingji.engines.normalize.preview import KINDS, preview, preview_cli
from yingji.engines.normalize.tests.builders import MEMBERS, csv_bytes, make_id, members_xlsx

KEYS = {"encoding", "sheet", "ignored_sheets", "header", "imported", "rejected", "warnings", "duplicates"}


def _xlsx(rows: list[list[object]]) -> bytes:
    import io

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_kinds_declared() -> None:
    assert {"rescue-team-members", "depot-stock", "shelters", "enterprises"} <= set(KINDS)
    members = {c.name for c in KINDS["rescue-team-members"].columns}
    assert {"name", "id_number", "sex", "birth_date", "phone", "team", "skills", "township"} == members


def test_members_xlsx_preview_contract() -> None:
    d = preview("rescue-team-members", members_xlsx()).to_dict()
    assert set(d) == KEYS
    json.dumps(d, ensure_ascii=False)
    assert d["sheet"] == "人员" and d["ignored_sheets"] == ["隐藏数据", "代码表"]
    assert [r["row"] for r in d["imported"]] == [5, 6, 7]
    first = d["imported"][0]["values"]
    assert first["id_number"] == MEMBERS[0][1] and first["phone"] == "13800138000"
    assert first["township"] == "652826100000" and first["birth_date"] == "1990-01-01"
    third = d["imported"][2]["values"]
    assert third["sex"] == "男" and third["birth_date"] == "1970-05-05"  # derived from the ID
    assert d["rejected"] == [] and d["duplicates"] == []
    assert any(w["row"] == 9 for w in d["warnings"])  # 合计 row reported, not imported


def test_members_row_rejected_whole_with_all_errors() -> None:
    bad = ["赵六", "6.52826E+17", "男", "1990-01-01", "12345", "", "民兵", "", "和静镇"]
    d = preview("rescue-team-members", members_xlsx([*MEMBERS, bad])).to_dict()
    rows = {r["row"] for r in d["imported"]}
    assert 8 not in rows
    cols = {r["column"] for r in d["rejected"] if r["row"] == 8}
    assert cols == {"id_number", "phone", "township"}
    sci = next(r for r in d["rejected"] if r["column"] == "id_number")
    assert sci["value"] == "6.52826E+17" and "Text" in sci["reason"]


def test_members_id_mismatch_and_duplicates() -> None:
    idn = make_id("652826", "19900101", "123")
    rows = [
        ["姓名", "身份证号", "性别", "出生日期", "联系电话", "所属队伍"],
        ["张三", idn, "女", "1990-01-01", "13800138000", "A队"],
        ["张三", idn, "男", "1990-01-01", "13800138000", "A队"],
        ["张三", idn.lower(), "男", "1990-01-01", "13800138000", "A队"],
        ["李四", make_id("652826", "19910101", "224"), "女", "1991.1", "13900139000", "A队"],
    ]
    d = preview("rescue-team-members", csv_bytes(rows, "gbk")).to_dict()
    assert d["encoding"] == "gb18030"
    assert [r["column"] for r in d["rejected"]] == ["sex"] and d["rejected"][0]["row"] == 2
    assert [r["row"] for r in d["imported"]] == [3, 5]
    assert d["imported"][1]["values"]["birth_date"] == "1991-01-01"  # year-month filled from ID
    assert d["duplicates"] == [{"row": 4, "same_as": 3}]


def test_existing_keys_callback() -> None:
    seen: list[tuple[str, ...]] = []

    def existing(keys: object) -> dict[tuple[str, ...], str]:
        seen.extend(keys)  # type: ignore[arg-type]
        return {(MEMBERS[1][1],): "db:42"}

    d = preview("rescue-team-members", members_xlsx(), existing_keys=existing).to_dict()
    assert len(seen) == 3
    assert d["duplicates"] == [{"row": 6, "same_as": "db:42"}]
    assert [r["row"] for r in d["imported"]] == [5, 7]


def test_missing_required_column_rejects_file() -> None:
    d = preview(
        "rescue-team-members", csv_bytes([["姓名", "电话"], ["张三", "13800138000"]], "utf-8")
    ).to_dict()
    assert d["imported"] == []
    missing = {r["column"] for r in d["rejected"] if r["row"] is None}
    assert {"id_number", "team"} <= missing


def test_unreadable_file_is_a_rejection() -> None:
    d = preview("depot-stock", b"PK\x03\x04junk").to_dict()
    assert d["imported"] == [] and d["rejected"][0]["row"] is None


def test_depot_stock_rules() -> None:
    rows: list[list[object]] = [
        ["2024年应急物资库存表"],
        ["仓库编码", "物资编码", "物资名称", "计量单位", "数量", "批次", "生产日期", "有效期至"],
        ["0101", "00123", "帐篷", "顶", "1,200", "B01", "2024年3月5日", "2027.3.4"],
        ["0101", "00124", "棉被", "床", "三百", "B01", "2024-01-01", "2023-12-31"],
        ["0101", "00125", "饮用水", "箱", "若干", "", "", ""],
        ["0101", "00123", "帐篷", "顶", "5", "B01", "3月5日", ""],
    ]
    d = preview("depot-stock", _xlsx(rows)).to_dict()
    assert [r["row"] for r in d["imported"]] == [3]
    v = d["imported"][0]["values"]
    assert v["depot_code"] == "0101" and v["item_code"] == "00123" and v["quantity"] == "1200"
    assert v["production_date"] == "2024-03-05" and v["expiry_date"] == "2027-03-04"
    by_row = {(r["row"], r["column"]) for r in d["rejected"]}
    assert (4, "expiry_date") in by_row and (5, "quantity") in by_row
    assert d["duplicates"] == [{"row": 6, "same_as": 3}]  # 3月5日 took the title's year


def test_depot_codes_stored_as_numbers_warn() -> None:
    rows: list[list[object]] = [
        ["仓库编码", "物资编码", "物资名称", "计量单位", "数量"],
        [101, 123, "帐篷", "顶", 5],
    ]
    d = preview("depot-stock", _xlsx(rows)).to_dict()
    assert d["imported"][0]["values"]["depot_code"] == "101"
    assert any(w["column"] == "depot_code" for w in d["warnings"])


def test_shelters_coordinates_crs_and_area() -> None:
    rows = [
        ["场所编码", "场所名称", "类型", "乡镇", "经度", "纬度", "坐标系", "容纳人数", "面积(亩)"],
        ["S001", "人民广场", "室外", "焉耆镇", "86.574067", "42.059759", "高德", "5000人", "3"],
        ["S002", "体育场", "室外", "永宁", "42.04182", "86.558344", "WGS84", "2000", "1.5公顷"],
        ["S003", "远处", "室外", "永宁镇", "88.0", "42.0", "", "100", ""],
        ["S004", "坏点", "室外", "永宁镇", "86°60'", "42", "", "很多", ""],
    ]
    d = preview("shelters", csv_bytes(rows, "utf-8")).to_dict()
    got = {r["row"]: r["values"] for r in d["imported"]}
    assert set(got) == {2, 3, 4}
    assert got[2]["lng"] == pytest.approx(86.571822, abs=2e-6) and got[2]["source_crs"] == "gcj02"
    assert got[2]["capacity"] == 5000 and got[2]["area_m2"] == "2000"
    assert got[3]["lng"] == pytest.approx(86.558344) and got[3]["area_m2"] == "15000"
    assert any(w["row"] == 3 and "swapped" in w["message"] for w in d["warnings"])
    assert any(w["row"] == 4 and "outside" in w["message"] for w in d["warnings"])
    assert {r["column"] for r in d["rejected"] if r["row"] == 5} == {"lng", "capacity"}


def test_file_level_crs() -> None:
    rows = [
        ["场所编码", "场所名称", "乡镇", "经度", "纬度", "容纳人数"],
        ["S1", "广场", "焉耆镇", "86.574067", "42.059759", "10"],
    ]
    d = preview("shelters", csv_bytes(rows, "utf-8"), crs="GCJ-02").to_dict()
    assert d["imported"][0]["values"]["lat"] == pytest.approx(42.058579, abs=2e-6)


def test_enterprises_uscc_override() -> None:
    rows = [
        ["企业名称", "统一社会信用代码", "行业", "乡镇", "联系电话"],
        ["甲公司", "91350100M000100Y43", "化工", "七个星镇", "0996-6021234"],
        ["乙公司", "91350100M000100Y44", "建材", "七个星镇", ""],
    ]
    data = csv_bytes(rows, "utf-8")
    d = preview("enterprises", data).to_dict()
    assert [r["row"] for r in d["imported"]] == [2]
    rej = d["rejected"][0]
    assert rej["row"] == 3 and rej["column"] == "uscc" and rej["overridable"] is True
    d2 = preview("enterprises", data, overrides={(3, "uscc"): "营业执照原件如此"}).to_dict()
    assert [r["row"] for r in d2["imported"]] == [2, 3]
    assert d2["imported"][1]["values"]["uscc"] == "91350100M000100Y44"


def test_preview_cli(tmp_path: Path) -> None:
    path = tmp_path / "members.xlsx"
    path.write_bytes(members_xlsx())
    d = preview_cli("rescue-team-members", path)
    assert set(d) == KEYS and len(d["imported"]) == 3
    with pytest.raises(ValueError):
        preview_cli("no-such-kind", path)
