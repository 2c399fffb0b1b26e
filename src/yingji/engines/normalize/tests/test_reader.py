"""Reading xlsx / xls / HTML-disguised xls / CSV / TSV, headers and footers."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from yingji.engines.normalize.reader import ReadError, canonical_encoding, decode_text, read_source
from yingji.engines.normalize.table import build_table, column_letter
from yingji.engines.normalize.tests.builders import MEMBERS, csv_bytes, members_xlsx

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = [
    "姓名",
    "身份证号",
    "性别",
    "出生日期",
    "联系电话/手机",
    "联系电话/固话",
    "所属队伍",
    "专业技能",
    "乡镇",
]


def test_xlsx_merged_header_title_hidden_footer_wrong_dimension() -> None:
    src = read_source(members_xlsx())
    assert src.format == "xlsx" and src.encoding is None
    assert src.grid.name == "人员"
    assert src.ignored_sheets == ("隐藏数据", "代码表")
    table = build_table(src.grid)
    assert list(table.header) == HEADER
    assert table.header_rows == (3, 4)
    assert "2024年度" in table.title
    assert [r.row for r in table.rows] == [5, 6, 7]  # Excel row numbers
    assert table.rows[1].cells[6] == "县消防救援大队"  # vertical merge filled down
    reasons = dict(table.skipped)
    assert set(reasons) == {9, 10} and "合计" in reasons[9]


def test_wrong_dimension_is_ignored() -> None:
    for wrong in (True, False):
        table = build_table(read_source(members_xlsx(wrong_dimension=wrong)).grid)
        assert len(table.rows) == len(MEMBERS)


def test_active_sheet_hidden_falls_back_to_visible() -> None:
    wb = openpyxl.Workbook()
    first = wb.active
    assert first is not None
    first.title = "说明"
    first.append(["填表说明"])
    data = wb.create_sheet("数据")
    data.append(["a", "b"])
    first.sheet_state = "hidden"
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    src = read_source(buf.getvalue())
    assert src.grid.name == "数据" and src.ignored_sheets == ("说明",)


def test_real_xls_fixture() -> None:
    # members.xls is a BIFF8 file written by xlwt 1.3.0 (tests/fixtures/make_members_xls.py).
    data = (FIXTURES / "members.xls").read_bytes()
    assert data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    src = read_source(data)
    assert src.format == "xls" and src.grid.name == "人员"
    assert src.ignored_sheets == ("隐藏数据", "代码表")
    table = build_table(src.grid)
    assert list(table.header) == HEADER
    assert [r.row for r in table.rows] == [5, 6, 7]
    assert table.rows[0].cells[3] == "1990-01-01"  # date-formatted cell
    assert table.rows[1].cells[6] == "县消防救援大队"  # merged down
    assert table.rows[1].cells[1].endswith("e+17") and 1 in table.rows[1].numeric


def _html_xls(encoding: str) -> bytes:
    html = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset={encoding}"></head>
<body><table border=1>
<tr><td colspan=4>焉耆县应急避难场所统计表</td></tr>
<tr><td rowspan=2>场所编码</td><td rowspan=2>场所名称</td><td colspan=2>坐标</td></tr>
<tr><th>经度</th><th>纬度</th></tr>
<tr><td>001</td><td>人民广场</td><td>86.57</td><td>42.06</td></tr>
<tr><td>002</td><td>体育场，北区</td><td>86.56</td><td>42.05</td></tr>
<tr><td>合计</td><td colspan=3>2处</td></tr>
</table></body></html>"""
    return html.encode(encoding)


@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_html_disguised_xls(encoding: str, tmp_path: Path) -> None:
    path = tmp_path / "shelters.xls"  # extension lies: content decides
    path.write_bytes(_html_xls(encoding))
    src = read_source(path)
    assert src.format == "html"
    assert src.encoding == ("gb18030" if encoding == "gbk" else "utf-8")
    table = build_table(src.grid)
    assert list(table.header) == ["场所编码", "场所名称", "坐标/经度", "坐标/纬度"]
    assert [r.row for r in table.rows] == [4, 5]
    assert table.rows[0].cells[0] == "001"
    assert table.rows[1].cells[1] == "体育场，北区"


def test_gbk_csv_without_bom() -> None:
    rows = [
        ["焉耆县物资登记表"],
        ["仓库编码", "物资名称", "数量"],
        ["001", "帐篷，单帐篷", "１,200"],
        ["合计", "", "1200"],
    ]
    data = csv_bytes(rows, "gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    src = read_source(data)
    assert src.format == "csv" and src.encoding == "gb18030"
    table = build_table(src.grid)
    assert list(table.header) == ["仓库编码", "物资名称", "数量"]
    # the full-width comma inside a field did not split it (NFKC happens per field, later)
    assert table.rows[0].cells == ("001", "帐篷，单帐篷", "１,200")
    assert table.rows[0].row == 3


def test_utf8_bom_csv_and_tsv_utf16() -> None:
    rows = [["姓名", "身份证号"], ["张三", "11010519491231002X"]]
    src = read_source(csv_bytes(rows, "utf-8", bom=True))
    assert src.encoding == "utf-8-sig" and src.grid.cells[1] == ["张三", "11010519491231002X"]
    utf16 = b"\xff\xfe" + "姓名\t身份证号\r\n张三\t11010519491231002X\r\n".encode("utf-16-le")
    src16 = read_source(utf16)
    assert src16.format == "tsv" and src16.encoding == "utf-16-le"
    assert src16.grid.cells[1] == ["张三", "11010519491231002X"]


def test_plain_utf8_csv_and_forced_encoding() -> None:
    data = csv_bytes([["姓名", "电话"], ["张三", "13800138000"]], "utf-8")
    assert read_source(data).encoding == "utf-8"
    assert read_source(csv_bytes([["a", "b"]], "gbk"), encoding="GBK").encoding == "gb18030"


def test_csv_two_row_header_from_merged_export() -> None:
    rows = [
        ["姓名", "身份证号", "联系电话", "", "所属队伍"],
        ["", "", "手机", "固话", ""],
        ["张三", "11010519491231002X", "13800138000", "", "消防"],
    ]
    table = build_table(read_source(csv_bytes(rows, "utf-8")).grid)
    assert list(table.header) == ["姓名", "身份证号", "联系电话/手机", "联系电话/固话", "所属队伍"]
    assert [r.row for r in table.rows] == [3]


def test_blank_and_signature_rows_not_data() -> None:
    rows = [
        ["姓名", "电话"],
        ["张三", "1"],
        ["", ""],
        ["李四", "2"],
        ["填表人：王五", "审核人：赵六"],
        ["注：以上数据截至年底", ""],
    ]
    table = build_table(read_source(csv_bytes(rows, "utf-8")).grid)
    assert [r.row for r in table.rows] == [2, 4]
    assert [r for r, _ in table.skipped] == [5, 6]


def test_encoding_labels() -> None:
    assert canonical_encoding("GB2312") == "gb18030"
    assert canonical_encoding("gbk") == "gb18030"
    assert decode_text("中文".encode("gb18030"))[1] == "gb18030"
    with pytest.raises(ReadError):
        canonical_encoding("no-such-encoding")


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04garbage", b"\x00\x01\x02\x03binary", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100],
)
def test_unreadable_files(data: bytes) -> None:
    with pytest.raises(ReadError):
        read_source(data)


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27)] == ["A", "Z", "AA", "AB"]


def test_stray_cell_far_away_is_a_clear_error(tmp_path):
    import openpyxl
    import pytest

    from yingji.engines.normalize.reader import ReadError, read_source

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "名称"
    ws["XFD1048576"] = "x"
    path = tmp_path / "huge.xlsx"
    wb.save(path)
    with pytest.raises(ReadError, match="数据范围过大"):
        read_source(path)


def test_overlong_csv_field_is_a_clear_error(tmp_path):
    import pytest

    from yingji.engines.normalize.reader import ReadError, read_source

    path = tmp_path / "long.csv"
    path.write_text("名称,编码\n" + "a" * 200_000 + ",x\n", encoding="utf-8")
    with pytest.raises(ReadError, match="第 2 行"):
        read_source(path)
