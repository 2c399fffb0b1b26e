"""Realistic county register files for the import tests (generated, not committed).

``shelter_rows()`` is a 避难场所登记表 as a clerk keeps it: a title row, a two-row header
whose 位置 cell spans 经度/纬度, a row with an estimate instead of a number (bad row).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import openpyxl

TITLE = "焉耆县2024年应急避难场所登记表"
HEADER_TOP = ["场所编码", "场所名称", "场所类型", "乡镇", "位置", "", "容纳人数", "面积(亩)"]
HEADER_SUB = ["", "", "", "", "经度", "纬度", "", ""]
GOOD = [
    ["BN-001", "人民广场", "室外场地", "焉耆镇", "86.574067", "42.059759", "5000", "3"],
    ["BN-002", "县一中体育馆", "室内场所", "永宁镇", "86.558344", "42.04182", "800", "1.5公顷"],
    ["BN-003", "七个星镇文化广场", "室外场地", "七个星镇", "86.47", "42.1", "1200", "2"],
]
BAD = ["BN-004", "河滩空地", "室外场地", "四十里城子镇", "86.57", "42.06", "很多", "5"]  # 容纳人数 bad


def shelter_rows(good: Sequence[Sequence[str]] = GOOD, *, bad: bool = True) -> list[list[str]]:
    """Title, merged two-row header, the good rows and (optionally) the bad row 6 (Excel row 7
    with the title: rows are 1 title, 2-3 header, 4.. data)."""
    rows = [[TITLE], list(HEADER_TOP), list(HEADER_SUB), *[list(r) for r in good]]
    if bad:
        rows.append(list(BAD))
    return rows


def csv_bytes(rows: Sequence[Sequence[object]], encoding: str = "gbk", delimiter: str = ",") -> bytes:
    """Rows as CSV in ``encoding`` with CRLF line ends (Excel on Windows)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[object]], *, merge_header: bool = True, hidden: bool = True) -> bytes:
    """The rows as an .xlsx: title merged across, header cells merged (位置 over 经度/纬度, the
    others over two rows), a footer signature row and a hidden sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "避难场所"
    for row in rows:
        ws.append([None if v == "" else v for v in row])
    if merge_header:
        ws.merge_cells("A1:H1")
        for col in "ABCDGH":
            ws.merge_cells(f"{col}2:{col}3")
        ws.merge_cells("E2:F2")
    ws.append([])
    ws.append(["填表人：张三", None, None, "审核人：李四"])
    if hidden:
        h = wb.create_sheet("旧数据")
        h.append(["场所编码", "场所名称"])
        h.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def html_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    """An HTML table saved as ".xls" by a web system: 位置 with colspan=2, others rowspan=2."""
    out = ["<html><head><meta charset='utf-8'></head><body><table border='1'>"]
    out.append(f"<tr><td colspan='8'>{rows[0][0]}</td></tr>")
    top = rows[1]
    cells = []
    for i, label in enumerate(top):
        if label == "位置":
            cells.append("<td colspan='2'>位置</td>")
        elif label:
            cells.append(f"<td rowspan='2'>{label}</td>")
        _ = i
    out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("<tr><td>经度</td><td>纬度</td></tr>")
    for row in rows[3:]:
        out.append("<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>")
    out.append("</table></body></html>")
    return "".join(out).encode("utf-8")


def enterprise_rows() -> list[list[str]]:
    """企业名录: one valid, one with a wrong USCC check character (overridable)."""
    return [
        ["企业名称", "统一社会信用代码", "行业", "乡镇", "联系电话"],
        ["焉耆甲化工有限公司", "91350100M000100Y43", "化工", "七个星镇", "0996-6021234"],
        ["焉耆乙建材有限公司", "91350100M000100Y44", "建材", "七个星镇", "13800138000"],
    ]
