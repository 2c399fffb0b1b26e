"""Registry kinds of the resources registers: depots, rescue teams, experts, equipment and the
supply catalogue (headers as clerks write them, enumerations, shelf life, supply classes)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from yingji.engines.normalize.columns import Choice, FieldContext, n_choice, n_shelf_life_days, n_supply_class
from yingji.engines.normalize.kinds.resources import (
    DEPOT_OWNERS,
    EQUIPMENT_KINDS,
    EXPERT_AVAILABILITY,
    READINESS,
    TEAM_KINDS,
)
from yingji.engines.normalize.places import match_division
from yingji.engines.normalize.preview import KINDS, preview, preview_cli
from yingji.engines.normalize.tests.builders import csv_bytes

NEW = ("depots", "rescue-teams", "experts", "equipment", "supply-items")
CTX = FieldContext()


def _xlsx(rows: list[list[Any]], merges: tuple[str, ...] = ()) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for r in rows:
        ws.append(r)
    for ref in merges:
        ws.merge_cells(ref)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _by_row(d: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {r["row"]: r["values"] for r in d["imported"]}


def _rejected(d: dict[str, Any]) -> set[tuple[int, str]]:
    return {(r["row"], r["column"]) for r in d["rejected"]}


def test_new_kinds_are_declared_after_the_existing_ones() -> None:
    names = list(KINDS)
    assert names[:4] == ["rescue-team-members", "depot-stock", "shelters", "enterprises"]
    assert set(NEW) <= set(names)
    assert all(names.index(k) > names.index("enterprises") for k in NEW)


@pytest.mark.parametrize("kind", NEW)
def test_a_header_of_the_column_labels_previews_with_no_missing_column(kind: str) -> None:
    header = [c.label for c in KINDS[kind].columns]
    d = preview(kind, _xlsx([header])).to_dict()
    assert d["rejected"] == [] and d["header"] == header


def test_match_division_accepts_the_county_itself() -> None:
    for text in ("焉耆县", "焉耆回族自治县", "县级", "652826", "652826000000"):
        assert match_division(text).value == "652826000000", text
    assert match_division("七个星").value == "652826101000"
    assert not match_division("和静县").valid


def test_choice_exact_containment_and_unknown() -> None:
    norm = n_choice("队伍类型", TEAM_KINDS)
    assert norm("专业", CTX).value == "specialised" and not norm("专业", CTX).warnings
    contained = norm("县综合性消防救援队", CTX)
    assert contained.value == "comprehensive" and "综合性" in contained.warnings[0]
    assert norm("志愿者", CTX).value == "volunteer"
    bad = norm("民兵", CTX)
    assert not bad.valid and "综合性" in (bad.error or "") and "社会" in (bad.error or "")
    # the longest spelling inside the cell wins: 不可用 is not read as 可用
    assert n_choice("状态", READINESS)("不可用", CTX).value == "unavailable"
    assert n_choice("可调用", EXPERT_AVAILABILITY)("不可调用", CTX).value is False
    assert n_choice("可调用", EXPERT_AVAILABILITY)("随时可调", CTX).value is True
    assert n_choice("可调用", EXPERT_AVAILABILITY)("不在岗", CTX).value is False
    assert n_choice("储备主体", DEPOT_OWNERS)("县水利局", CTX).value == "department"
    assert n_choice("装备类别", EQUIPMENT_KINDS)("车载卫星电话", CTX).value == "satellite_phone"
    assert n_choice("储备主体", DEPOT_OWNERS)("协议企业", CTX).value == "agreement"
    assert n_choice("装备类别", EQUIPMENT_KINDS)("UAV", CTX).value == "uav"
    assert n_choice("x", (Choice(1, "一"),))("", CTX).valid is False


@pytest.mark.parametrize(
    ("text", "hint", "days"),
    [
        ("730", None, None),  # no unit anywhere: an error
        ("730", "天", 730),
        ("24", "月", 730),
        ("24个月", None, 730),
        ("18月", None, 548),
        ("2年", None, 730),
        ("两年", None, 730),
        ("365天", "月", 365),  # the cell's unit wins over the header's
        ("长期", None, "none"),
        ("0", "月", None),
        ("1.5", "天", None),
        ("若干", "月", None),
    ],
)
def test_shelf_life_in_days(text: str, hint: str | None, days: int | str | None) -> None:
    res = n_shelf_life_days(text, FieldContext(unit_hint=hint))
    if days is None:
        assert not res.valid and res.error
    elif days == "none":
        assert res.valid and res.value is None
    else:
        assert res.valid and res.value == days


@pytest.mark.parametrize(
    ("text", "code"),
    [("05", "05"), ("5", "05"), ("05类", "05"), ("临时食宿类", "05"), ("临时食宿", "05"),
     ("05 临时食宿类", "05"), ("13工程材料类", "13"), ("99", None), ("05 防护用品类", None), ("食品", None)],
)  # fmt: skip
def test_supply_class(text: str, code: str | None) -> None:
    res = n_supply_class(text, CTX)
    assert res.value == code and res.valid is (code is not None)
    if code is None:
        assert "01防护用品类" in (res.error or "") or "不一致" in (res.error or "")


def test_depots_preview() -> None:
    rows: list[list[Any]] = [
        ["焉耆县应急物资储备库名录"],
        ["库点编码", "库点名称", "储备主体", "面积(亩)", "所在区划", "联系电话", "位置", None],
        [None, None, None, None, None, None, "经度", "纬度"],
        ["CK-101", "县级物资库", "县应急管理局", "2", "县级", "0996 6021234", "86.57", "42.06"],
        ["CK-102", "七个星储备点", "七个星镇人民政府", "", "七个星", "", "", ""],
        ["CK-103", "协议超市", "协议企业", "", "", "", "", ""],
        ["CK-104", "某库", "不知道", "", "火星", "110", "", ""],
        ["CK-105", "某点", "企业", "", "焉耆镇", "", "86.57", ""],
        ["CK-101", "重复", "部门", "", "", "", "", ""],
    ]
    merges = ("A1:H1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3", "F2:F3", "G2:H2")
    d = preview("depots", _xlsx(rows, merges)).to_dict()
    got = _by_row(d)
    assert set(got) == {4, 5, 6}
    assert got[4]["owner_kind"] == "bureau" and got[4]["township"] == "652826000000"
    assert got[4]["floor_area_m2"] == "1333.3333" and got[4]["phone"] == "0996-6021234"
    assert got[4]["lng"] == pytest.approx(86.57)
    assert got[5]["owner_kind"] == "township" and got[5]["township"] == "652826101000"
    assert got[6]["owner_kind"] == "agreement" and got[6]["township"] is None
    assert _rejected(d) == {(7, "owner_kind"), (7, "township"), (7, "phone"), (8, "lat")}
    assert d["duplicates"] == [{"row": 9, "same_as": 4}]


def test_rescue_teams_preview() -> None:
    rows: list[list[Any]] = [
        [
            "队伍名称",
            "队伍类型",
            "专业方向",
            "技能标签",
            "队员人数",
            "战备状态",
            "负责人",
            "联系电话",
            "驻地乡镇",
        ],
        [
            "防汛抢险专业队",
            "专业",
            "防汛抢险",
            "排涝、水域救援",
            "30人",
            "备勤",
            "李强",
            "13800138000",
            "永宁镇",
        ],
        ["县消防救援大队", "综合性消防救援队伍", "综合救援", "", "45", "", "", "", ""],
        ["志愿者救援队", "社会力量", "搜救", "", "", "已出动", "", "", "焉耆镇"],
        ["民兵应急连", "民兵", "", "", "很多", "", "", "", ""],
        ["防汛抢险专业队", "专业", "", "", "", "", "", "", "永宁"],
    ]
    d = preview("rescue-teams", csv_bytes(rows, "gbk")).to_dict()
    got = _by_row(d)
    assert set(got) == {2, 3, 4}
    assert got[2]["kind"] == "specialised" and got[2]["readiness"] == "ready" and got[2]["member_count"] == 30
    assert got[2]["contact_name"] == "李强" and got[2]["township"] == "652826102000"
    assert got[3]["kind"] == "comprehensive" and got[3]["readiness"] is None
    assert got[4]["kind"] == "volunteer" and got[4]["readiness"] == "deployed"
    assert _rejected(d) == {(5, "kind"), (5, "member_count")}
    assert d["duplicates"] == [{"row": 6, "same_as": 2}]  # same name and township


def test_experts_preview() -> None:
    rows: list[list[Any]] = [
        ["序号", "专家姓名", "性别", "工作单位", "职称", "专业领域", "是否可调用", "备注", "手机"],
        [1, "王建华", "男", "县人民医院", "主任医师", "医疗救护", "是", "", "13900139000"],
        [2, "刘玉梅", "女", "县水利局", "高级工程师", "防汛抗旱", "出差", "至6月底", ""],
        [3, "王建华", "男", "县人民医院", "主任医师", "医疗救护", "", "", ""],
        [4, "陈志勇", "男", "", "", "", "", "", ""],
    ]
    d = preview("experts", _xlsx(rows)).to_dict()
    got = _by_row(d)
    assert set(got) == {2, 3}
    assert got[2]["available"] is True and got[2]["organization"] == "县人民医院"
    assert got[3]["available"] is False and got[3]["availability_note"] == "至6月底"
    assert d["duplicates"] == [{"row": 4, "same_as": 2}]
    assert _rejected(d) == {(5, "specialty")}
    assert any("性别" in w["message"] for w in d["warnings"] if w["row"] is None)  # unused columns named


def test_equipment_preview() -> None:
    rows: list[list[Any]] = [
        ["装备编号", "装备名称", "装备类别", "规格型号", "数量", "状态", "所属队伍", "存放储备库"],
        ["ZB-001", "抢险指挥车", "车辆", "JX5030", "1", "完好", "防汛抢险专业队", ""],
        ["ZB-002", "大流量排水泵", "水泵", "", "3台", "维修", "", "CK-001"],
        ["ZB-003", "冲锋舟", "舟艇", "", "2", "", "", ""],
        ["ZB-004", "无人机", "无人机", "", "-1", "在用", "", ""],
    ]
    d = preview("equipment", _xlsx(rows)).to_dict()
    got = _by_row(d)
    assert got[2]["kind"] == "vehicle" and got[2]["status"] == "ready" and got[2]["team"] == "防汛抢险专业队"
    assert got[3]["kind"] == "pump" and got[3]["status"] == "maintenance" and got[3]["depot"] == "CK-001"
    assert set(got) == {2, 3}
    assert _rejected(d) == {(4, "kind"), (5, "quantity")}
    reason = next(r["reason"] for r in d["rejected"] if r["row"] == 4)
    assert "舟艇" in reason and "其他" in reason


def test_supply_items_preview_with_shelf_life_in_months() -> None:
    rows: list[list[Any]] = [
        ["物资编码", "物资名称", "物资分类", "计量单位", "规格型号", "保质期(月)", "储存条件"],
        ["WZ-0504", "瓶装饮用水", "05 临时食宿类", "箱", "550ml×24", "24", "避光"],
        ["WZ-0501", "救灾帐篷", "临时食宿", "顶", "12m²", "长期", ""],
        ["WZ-0901", "铁锹", "9", "把", "", "", ""],
        ["WZ-9999", "未知", "食品", "箱", "", "6个月", ""],
        ["WZ-0504", "重复", "05", "箱", "", "", ""],
    ]
    d = preview("supply-items", _xlsx(rows)).to_dict()
    got = _by_row(d)
    assert set(got) == {2, 3, 4}
    assert got[2]["shelf_life_days"] == 730 and got[2]["supply_class"] == "05"
    assert got[3]["shelf_life_days"] is None and got[4]["supply_class"] == "09"
    assert _rejected(d) == {(5, "supply_class")}
    assert d["duplicates"] == [{"row": 6, "same_as": 2}]


def test_preview_cli_for_a_new_kind(tmp_path: Path) -> None:
    path = tmp_path / "装备.xlsx"
    path.write_bytes(_xlsx([["装备编号", "装备名称", "装备类别"], ["ZB-1", "卫星电话", "海事卫星电话"]]))
    d = preview_cli("equipment", path)
    assert d["imported"][0]["values"]["kind"] == "satellite_phone"
