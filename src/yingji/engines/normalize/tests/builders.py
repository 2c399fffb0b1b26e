"""Builders of realistic registry files for the tests (generated, not committed)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence

import openpyxl

from yingji.engines.normalize.ids import id_check_char

TITLE = "焉耆县2024年度应急救援队伍人员登记表"


def make_id(region: str, birth: str, seq: str) -> str:
    """A valid 18-character ID from region (6), birth YYYYMMDD and sequence (3)."""
    body = region + birth + seq
    return body + id_check_char(body)


MEMBERS: list[list[object]] = [
    # name, id, sex, birth, mobile, landline, team, skills, township
    ["张三", make_id("652826", "19900101", "123"), "男", "1990-01-01", "138 0013 8000", "0996-6021234",
     "县消防救援大队", "水域救援", "焉耆镇"],
    ["李四", make_id("652826", "19851231", "224"), "女", "1985年12月31日", "+86 139-0013-9000", "",
     "县消防救援大队", "医疗", "七个星"],
    ["王五", make_id("652826", "19700505", "335"), "", "", "13700137000", "", "民兵应急连", "", "四十里"],
]  # fmt: skip


def members_xlsx(
    rows: Sequence[Sequence[object]] = MEMBERS, *, wrong_dimension: bool = True, hidden_sheet: bool = True
) -> bytes:
    """Title row, 填报单位 row, two-row merged header (联系电话 → 手机/固话), data with the
    队伍 column merged vertically over the first two rows, 合计 and signature footer,
    a hidden sheet, and (optionally) a wrong declared <dimension>."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "人员"
    ws.append([TITLE])
    ws.merge_cells("A1:I1")
    ws.append(["填报单位：焉耆县应急管理局", None, None, None, None, None, "填报日期：2024年3月5日"])
    ws.append(["姓名", "身份证号", "性别", "出生日期", "联系电话", None, "所属队伍", "专业技能", "乡镇"])
    ws.append([None, None, None, None, "手机", "固话", None, None, None])
    for col in "ABCDGHI":
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("E3:F3")
    first = ws.max_row + 1
    for row in rows:
        ws.append(list(row))
    if len(rows) >= 2 and rows[0][6] == rows[1][6]:
        ws.cell(first + 1, 7).value = None
        ws.merge_cells(start_row=first, start_column=7, end_row=first + 1, end_column=7)
    ws.append([])
    ws.append(["合计", f"{len(rows)}人"])
    ws.append(["负责人：赵六", None, None, "填表人：钱七", None, None, "审核人：孙八"])
    if hidden_sheet:
        h = wb.create_sheet("隐藏数据")
        h.append(["姓名", "身份证号"])
        h.append(["不应读取", "11010519491231002X"])
        h.sheet_state = "hidden"
        v = wb.create_sheet("代码表")
        v.sheet_state = "veryHidden"
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    return set_dimension(data, "A1:C3") if wrong_dimension else data


def set_dimension(xlsx: bytes, ref: str) -> bytes:
    """Rewrite every worksheet's declared <dimension ref> (as some exporters get it wrong)."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                if "<dimension" in text:
                    text = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"', text)
                else:
                    text = text.replace("<sheetViews>", f'<dimension ref="{ref}"/><sheetViews>', 1)
                data = text.encode("utf-8")
            dst.writestr(info, data)
    return out.getvalue()


def csv_bytes(
    rows: Sequence[Sequence[object]], encoding: str, *, bom: bool = False, delimiter: str = ","
) -> bytes:
    """Rows as CSV text in ``encoding`` with CRLF line ends (as Excel on Windows writes)."""
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    data = buf.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data
