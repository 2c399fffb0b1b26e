"""The ``enterprise-inventory`` kind: 企业危险化学品存量 with quantities in tonnes (kg headers converted)."""

from __future__ import annotations

import io

import openpyxl

from yingji.engines.normalize.columns import FieldContext
from yingji.engines.normalize.kinds.prevention import n_cas, n_tonnes
from yingji.engines.normalize.preview import KINDS, preview

USCC = "91350100M000100Y43"


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["焉耆县危险化学品企业存量统计表"])
    for r in rows:
        ws.append([None if v == "" else v for v in r])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_kind_declares_the_columns_the_risk_target_reads() -> None:
    spec = KINDS["enterprise-inventory"]
    assert [c.name for c in spec.columns] == [
        "uscc",
        "enterprise",
        "unit",
        "substance",
        "cas",
        "hazard_class",
        "quantity_t",
    ]
    assert spec.key == ("enterprise_ref", "unit", "substance")


def test_tonnes_and_kilograms_headers() -> None:
    header = ["统一社会信用代码", "企业名称", "单元", "危险化学品", "CAS号", "危险性类别", "最大存量(kg)"]
    rows = [
        [USCC, "甲化工有限公司", "液氯库", "氯", "7782-50-5", "", "12500"],
        ["", "乙燃气有限公司", "储罐区", "液化石油气", "", "", "3.5t"],  # unit in the cell wins
        [USCC, "", "液氨罐区", "氨", "7664-41-8", "", "100"],  # wrong CAS check digit
        ["", "", "液氯库", "氯", "", "", "5"],  # no enterprise
        [USCC, "", "液氯库", "氯", "7782505", "", "1"],  # duplicate of row 3 (same key)
        ["", "丙化工有限公司", "储罐区", "液化石油气", "", "", "2t"],  # as row 4, other name: no duplicate
        [USCC, "", "原料库", "甲苯", "", "", "约20"],  # estimate
    ]
    d = preview("enterprise-inventory", _xlsx([header, *rows])).to_dict()
    imported = {r["row"]: r["values"] for r in d["imported"]}
    assert sorted(imported) == [3, 4, 8]
    assert imported[3]["quantity_t"] == "12.5" and imported[3]["cas"] == "7782-50-5"
    assert imported[3]["enterprise_ref"] == USCC and imported[4]["enterprise_ref"] == "名称:乙燃气有限公司"
    assert imported[4]["quantity_t"] == "3.5" and imported[4]["uscc"] is None
    assert {(r["row"], r["column"]) for r in d["rejected"]} == {(5, "cas"), (6, "uscc"), (9, "quantity_t")}
    assert d["duplicates"] == [{"row": 7, "same_as": 3}]


def test_header_in_tonnes_by_default() -> None:
    header = ["企业名称", "单元名称", "危险化学品名称", "最大储存量"]
    d = preview("enterprise-inventory", _xlsx([header, ["甲化工有限公司", "罐区", "甲醇", "40"]])).to_dict()
    assert d["imported"][0]["values"]["quantity_t"] == "40"


def test_normalisers() -> None:
    assert n_tonnes("500", FieldContext(unit_hint="千克")).value == "0.5"
    assert n_tonnes("2吨", FieldContext(unit_hint="kg")).value == "2"
    assert not n_tonnes("-1", FieldContext()).valid
    assert n_cas("7664417", FieldContext()).value == "7664-41-7"
    assert not n_cas("7664-41-8", FieldContext()).valid
