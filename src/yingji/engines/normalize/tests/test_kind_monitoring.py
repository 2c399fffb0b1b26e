"""The ``monitoring-points`` kind: a 监测点台账 as an enterprise keeps it, normalised and checked
with the monitoring engine's own alarm-rule validation."""

from __future__ import annotations

import io

import openpyxl
import pytest

from yingji.engines.normalize.columns import FieldContext
from yingji.engines.normalize.kinds.monitoring import (
    config_error_zh,
    n_limit,
    n_period,
    n_quantity_kind,
    n_rate,
    n_seconds,
    n_site_kind,
)
from yingji.engines.normalize.preview import KINDS, preview

USCC = "91350100M000100Y43"  # GB 32100-2015 example, valid check character
HEADER = [
    "测点编码", "测点名称", "统一社会信用代码", "企业名称", "装置", "尾矿库", "监测项目", "单位",
    "采样周期(s)", "高高报", "高报", "低报", "低低报", "死区", "报警延时(s)", "消警延时(s)",
    "离线判定(min)", "变化率限(℃/min)", "设备编码", "经度", "纬度",
]  # fmt: skip
GOOD = [
    ["TT-101", "反应釜温度", USCC, "", "氯化装置", "", "温度", "℃",
     10, 120, 100, "", "", 2, 5, 10, 2, 6, "D-01", 86.57, 42.06],
    ["LT-201", "储罐液位", "", "甲化工有限公司", "", "", "储罐液位", "m",
     "5", "9.5", "9", "1", "0.5", "0.05", "", "", "", "", "", "", ""],
    ["GT-301", "可燃气体", USCC, "", "罐区", "", "可燃气体浓度", "%LEL",
     "", "", "25%LEL", "", "", "", "", "", "", "", "", "", ""],
    ["PL-01", "1#浸润线", USCC, "", "", "一号尾矿库", "浸润线埋深", "",
     "60", "", "", "8", "5", "", "", "", "", "", "", "", ""],
]  # fmt: skip


def _xlsx(rows: list[list[object]], title: str | None = "焉耆县某化工企业监测点台账") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    if title:
        ws.append([title])
    for r in rows:
        ws.append([None if v == "" else v for v in r])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _preview(rows: list[list[object]]) -> dict:
    return preview("monitoring-points", _xlsx([HEADER, *rows])).to_dict()


def test_kind_declared_with_the_engine_columns() -> None:
    spec = KINDS["monitoring-points"]
    names = [c.name for c in spec.columns]
    for name in ("code", "name", "uscc", "enterprise", "quantity", "unit", "sampling_period_s", "hh", "h"):
        assert name in names
    assert {"l", "ll", "deadband", "on_delay_s", "off_delay_s", "offline_s", "roc_per_s"} <= set(names)
    assert {"device_code", "gateway_code", "lng", "lat", "crs"} <= set(names)
    assert spec.key == ("code",)
    assert [c.name for c in spec.columns if c.required] == ["code", "name", "quantity"]


def test_good_points_are_normalised() -> None:
    d = _preview(GOOD)
    assert d["rejected"] == [] and [r["row"] for r in d["imported"]] == [3, 4, 5, 6]
    tt, lt, gt, pl = (r["values"] for r in d["imported"])
    assert tt["quantity"] == "temperature" and tt["unit"] == "℃"
    assert tt["site_kind"] == "installation" and tt["site_name"] == "氯化装置"
    assert (tt["hh"], tt["h"], tt["l"], tt["ll"]) == (120.0, 100.0, None, None)
    assert tt["deadband"] == 2.0 and tt["on_delay_s"] == 5.0 and tt["off_delay_s"] == 10.0
    assert tt["offline_s"] == 120.0  # 离线判定(min): 2 min
    assert tt["roc_per_s"] == pytest.approx(0.1)  # 6 ℃/min
    assert tt["sampling_period_s"] == 10 and tt["device_code"] == "D-01"
    assert tt["lng"] == pytest.approx(86.57) and tt["crs"] == "wgs84"
    assert lt["enterprise"] == "甲化工有限公司" and lt["uscc"] is None and lt["quantity"] == "level"
    assert (lt["ll"], lt["l"], lt["h"], lt["hh"]) == (0.5, 1.0, 9.0, 9.5)
    assert gt["quantity"] == "flammable_gas" and gt["h"] == 25.0
    assert any(w["row"] == 5 and w["column"] == "h" for w in d["warnings"])  # unit text dropped
    # a tailings-dam item in the 尾矿库 column: site kind dam, blank unit → m with a warning
    assert pl["quantity"] == "phreatic_line" and pl["site_kind"] == "dam" and pl["site_name"] == "一号尾矿库"
    assert pl["unit"] == "m" and any(w["row"] == 6 and w["column"] == "unit" for w in d["warnings"])


def test_limits_out_of_order_are_rejected_by_the_engine_rule() -> None:
    bad = list(GOOD[0])
    bad[9], bad[10] = 90, 100  # HH 90 < H 100
    d = _preview([bad, GOOD[1]])
    assert [r["row"] for r in d["imported"]] == [4]
    (rej,) = d["rejected"]
    assert rej["row"] == 3 and rej["column"] == "hh"
    assert "高报 < 高高报" in rej["reason"] and "h=100.0 >= hh=90.0" in rej["reason"]
    # one Chinese sentence, the engine's English in parentheses (no "测点: limits ..." in between)
    assert rej["reason"] == (
        "报警限值须满足 高报 < 高高报,而高报 100 不小于高高报 90"
        " (limits out of order: need h < hh, got h=100.0 >= hh=90.0)"
    )


def test_config_errors_in_words() -> None:
    text = "测点: limits out of order: need h < hh, got h=5.0 >= hh=1.0"
    assert config_error_zh(text, {"h": 5.0, "hh": 1.0}) == (
        "报警限值须满足 高报 < 高高报,而高报 5 不小于高高报 1"
        " (limits out of order: need h < hh, got h=5.0 >= hh=1.0)"
    )
    assert (
        config_error_zh("测点: deadband must be >= 0, got -1.0")
        == "死区不能为负数 (deadband must be >= 0, got -1.0)"
    )
    assert (
        config_error_zh("测点: offline_s must be > 0, got 0.0")
        == "离线判定时间须大于 0 (offline_s must be > 0, got 0.0)"
    )
    assert config_error_zh("测点: unknown key(s) 'x'") == "报警配置无效 (unknown key(s) 'x')"


@pytest.mark.parametrize(
    ("column", "value", "expected_column"),
    [
        (13, -1, "deadband"),  # 死区 < 0
        (14, "-5", "on_delay_s"),  # negative delay
        (15, "-1", "off_delay_s"),
        (16, 0, "offline_s"),  # offline time must be > 0 (engine)
        (8, "0.5", "sampling_period_s"),  # whole seconds
        (6, "噪声", "quantity"),
        (7, "MPa", "unit"),  # a pressure unit on a temperature point
    ],
)
def test_bad_values_are_rejected_on_their_column(column: int, value: object, expected_column: str) -> None:
    bad = list(GOOD[0])
    bad[column] = value
    d = _preview([bad])
    assert d["imported"] == []
    assert {r["column"] for r in d["rejected"]} == {expected_column}


def test_enterprise_site_and_duplicates() -> None:
    no_enterprise = list(GOOD[1])
    no_enterprise[3] = ""
    two_sites = list(GOOD[0])
    two_sites[0], two_sites[5] = "TT-102", "二号尾矿库"
    dup = list(GOOD[2])
    d = _preview([GOOD[2], no_enterprise, two_sites, dup])
    assert [r["row"] for r in d["imported"]] == [3]
    assert {(r["row"], r["column"]) for r in d["rejected"]} == {(4, "uscc"), (5, "dam")}
    assert d["duplicates"] == [{"row": 6, "same_as": 3}]


def test_warnings_for_deadband_offline_and_missing_limits() -> None:
    row = list(GOOD[0])
    row[13] = 25  # deadband wider than HH - H = 20
    row[16] = "0.1"  # 6 s offline < 10 s sampling period
    none = ["FX-1", "流量计", USCC, "", "装置", "", "流量", "t/h"] + [""] * 13
    d = _preview([row, none])
    assert [r["row"] for r in d["imported"]] == [3, 4]
    cols = {(w["row"], w["column"]) for w in d["warnings"]}
    assert {(3, "deadband"), (3, "offline_s"), (4, "hh")} <= cols


def test_unknown_unit_is_a_warning_and_out_of_county_point_flagged() -> None:
    row = list(GOOD[0])
    row[7], row[19], row[20] = "°F", 87.6, 43.8  # Urumqi: outside Yanqi
    d = _preview([row])
    assert [r["row"] for r in d["imported"]] == [3]
    cols = {w["column"] for w in d["warnings"] if w["row"] == 3}
    assert {"unit", "lng"} <= cols


def test_normalisers() -> None:
    ctx = FieldContext()
    assert n_quantity_kind("硫化氢浓度", ctx).value == "toxic_gas"
    assert n_quantity_kind("坝体表面位移", ctx).value == "displacement"
    assert n_quantity_kind("干滩长度", ctx).value == "dry_beach"
    assert n_quantity_kind("库水位", ctx).value == "water_level"
    assert n_quantity_kind("降雨量", ctx).value == "rainfall"
    assert n_quantity_kind("感温探测器", ctx).value == "fire"
    assert n_quantity_kind("pressure", ctx).value == "pressure"
    assert not n_quantity_kind("湿度", ctx).valid
    assert n_site_kind("尾矿库", ctx).value == "dam" and n_site_kind("建筑物", ctx).value == "building"
    assert n_limit("−20", ctx).value == -20.0 and n_limit("80℃", ctx).value == 80.0
    assert not n_limit("约80", ctx).valid and not n_limit("100多", ctx).valid
    assert (
        n_seconds("5分钟", ctx).value == 300.0
        and n_seconds("30", FieldContext(unit_hint="min")).value == 1800
    )
    assert not n_seconds("3天", ctx).valid
    assert n_period("1min", ctx).value == 60 and not n_period("0", ctx).valid
    assert n_rate("2/min", ctx).value == pytest.approx(2 / 60)
    assert n_rate("0.5", FieldContext(unit_hint="每秒")).value == 0.5
    assert not n_rate("2/天", ctx).valid
