"""Reading county spreadsheets into a raw cell grid: .xlsx, .xls, HTML-disguised "xls",
CSV/TSV text.

The format is detected from the content (magic bytes), never from the file name:

* ``PK\\x03\\x04`` + ``xl/workbook.xml`` → Office Open XML (ECMA-376), read with openpyxl
  in normal mode (``read_only=False``) so merged cells are visible; the declared
  ``<dimension>`` is ignored (trailing empty rows/columns are trimmed instead). A workbook
  whose parts unzip to more than ``MAX_UNZIPPED_BYTES`` (200 MiB, a "zip bomb") is refused
  before it is opened. Excel error values (``#DIV/0!``, ``#N/A``, ``#REF!``…) are read as
  empty cells with a file-level note naming them, as xlrd's error cells are for .xls.
* ``D0 CF 11 E0 A1 B1 1A E1`` (OLE2 compound file) → BIFF8 .xls, read with xlrd
  (``formatting_info=True`` for merged cells).
* text whose first tag is ``<html``/``<table`` → an HTML table saved as ".xls" by web
  systems and WPS (lxml.html; colspan/rowspan become merged ranges).
* other text → CSV or TSV (delimiter sniffed from the content).

Text encoding (WHATWG Encoding Standard labels): a byte-order mark first (UTF-8,
UTF-16LE/BE); else strict UTF-8 over the whole file; else GB18030 (the labels
gb2312, GBK and cp936 are treated as GB18030, a superset, as WHATWG does for gbk).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_ENCODING_LABELS = {
    "gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "gb18030": "gb18030", "x-gbk": "gb18030",
    "936": "gb18030", "utf8": "utf-8", "utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "utf-16": "utf-16",
    "utf-16le": "utf-16-le", "utf-16-le": "utf-16-le", "utf-16be": "utf-16-be", "utf-16-be": "utf-16-be",
}  # fmt: skip


class ReadError(ValueError):
    """The file cannot be read as a table (wrong format, encrypted, no visible sheet...).

    The message is one clerk-facing line (Chinese, then English in brackets).
    """


@dataclass(frozen=True)
class Grid:
    """One sheet as read, before header detection.

    Attributes:
        name: sheet name (``"csv"`` / ``"table1"`` for text files).
        cells: row-major cell texts; ``cells[i]`` is Excel row ``i + 1``.
        numeric: (row, col) positions (0-based) whose cell held a number.
        merges: merged ranges as (row0, col0, row1, col1), 0-based inclusive.
    """

    name: str
    cells: list[list[str]]
    numeric: frozenset[tuple[int, int]] = frozenset()
    merges: tuple[tuple[int, int, int, int], ...] = ()


@dataclass(frozen=True)
class SourceSheet:
    """The sheet chosen from a file plus how it was read.

    Attributes:
        format: ``"xlsx"``, ``"xls"``, ``"html"``, ``"csv"`` or ``"tsv"``.
        encoding: text encoding used (``None`` for binary workbooks).
        grid: the cells.
        ignored_sheets: names of hidden / very hidden sheets (not read).
        notes: file-level remarks (other visible sheets, active sheet hidden...).
    """

    format: str
    encoding: str | None
    grid: Grid
    ignored_sheets: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)


def canonical_encoding(label: str) -> str:
    """Map an encoding label to the codec used: gb2312/GBK/cp936 → ``gb18030``.

    Raises:
        ReadError: unknown label.
    """
    key = label.strip().lower().replace("_", "-")
    if key in _ENCODING_LABELS:
        return _ENCODING_LABELS[key]
    try:
        return codecs.lookup(key).name
    except LookupError as exc:
        raise ReadError(f"未知的编码“{label}” (unknown encoding)") from exc


def decode_text(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode a text file; return (text, encoding used).

    Order: explicit ``encoding``; BOM (UTF-8, UTF-16LE/BE); strict UTF-8 over the
    whole file; GB18030.

    Raises:
        ReadError: the bytes are valid in none of them.
    """
    if encoding:
        enc = canonical_encoding(encoding)
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError as exc:
            raise ReadError(f"文件不是{enc}编码 (not valid {enc}: byte {exc.start})") from exc
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith(codecs.BOM_UTF16_LE):
        return data[2:].decode("utf-16-le", errors="replace"), "utf-16-le"
    if data.startswith(codecs.BOM_UTF16_BE):
        return data[2:].decode("utf-16-be", errors="replace"), "utf-16-be"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"无法识别文件编码(既不是UTF-8也不是GB18030/GBK),第{exc.start}字节 "
            "(encoding is neither UTF-8 nor GB18030)"
        ) from exc


def cell_text(value: Any) -> tuple[str, bool]:
    """Render a spreadsheet cell value as text; return (text, held_a_number).

    Integers (and integral floats below 1e15) print without ``.0``; other floats
    print in Python's shortest round-trip form (large values keep their exponent,
    as Excel shows ``6.52826E+17``); datetimes print ISO (time only when not
    midnight); booleans ``TRUE``/``FALSE``.
    """
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), False
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value)), True
        return repr(value), True
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat(), False
        return value.isoformat(sep=" "), False
    if isinstance(value, dt.date):
        return value.isoformat(), False
    if isinstance(value, dt.time):
        return value.isoformat(), False
    return str(value), False


def _trim(cells: list[list[str]]) -> list[list[str]]:
    """Drop trailing blank rows and columns (a wrong declared dimension or formatted
    empty cells must not create phantom rows)."""
    last_row = -1
    width = 0
    for i, row in enumerate(cells):
        for j in range(len(row) - 1, -1, -1):
            if row[j].strip():
                last_row = i
                width = max(width, j + 1)
                break
    return [(row + [""] * width)[:width] for row in cells[: last_row + 1]]


def _read_xlsx(data: bytes, sheet: str | None) -> SourceSheet:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise ReadError(f"无法打开xlsx文件: {exc} (cannot open .xlsx)") from exc
    hidden = tuple(ws.title for ws in wb.worksheets if ws.sheet_state != "visible")
    visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    notes: list[str] = [f"工作表“{n}”是隐藏的,已忽略 (hidden sheet ignored)" for n in hidden]
    if not visible:
        raise ReadError("工作簿中没有可见的工作表 (no visible sheet)")
    if sheet is not None:
        chosen = [ws for ws in wb.worksheets if ws.title == sheet]
        if not chosen:
            raise ReadError(f"没有名为“{sheet}”的工作表 (no such sheet)")
        ws = chosen[0]
    else:
        ws = wb.active if wb.active is not None and wb.active.sheet_state == "visible" else visible[0]
        if wb.active is not None and wb.active is not ws:
            notes.append(f"活动工作表“{wb.active.title}”不可见,改读“{ws.title}” (active sheet hidden)")
    others = [v.title for v in visible if v is not ws]
    if others:
        notes.append(f"只读取了“{ws.title}”,未读取: {'、'.join(others)} (other visible sheets not read)")
    cells: list[list[str]] = []
    numeric: set[tuple[int, int]] = set()
    max_row, max_col = _used_bounds(ws)
    errors: list[str] = []
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=max_row, max_col=max_col)):
        out: list[str] = []
        for c, cell in enumerate(row):
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "e":  # #DIV/0!, #N/A, #REF!...: not data
                errors.append(f"{cell.coordinate}={value}")
                value = None
            text, is_num = cell_text(value)
            if is_num:
                numeric.add((r, c))
            out.append(text)
        cells.append(out)
    if errors:
        shown = "、".join(errors[:10]) + ("…" if len(errors) > 10 else "")
        notes.append(
            f"{len(errors)}个单元格是Excel错误值,按空值处理: {shown} (Excel error values read as empty)"
        )
    merges = tuple(
        (m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges
    )
    grid = Grid(ws.title, _trim(cells), frozenset(numeric), merges)
    return SourceSheet("xlsx", None, grid, hidden, tuple(notes))


def _read_xls(data: bytes, sheet: str | None) -> SourceSheet:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=False)
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct errors...
        raise ReadError(f"无法打开xls文件: {exc} (cannot open .xls; encrypted or damaged?)") from exc
    sheets = book.sheets()
    hidden = tuple(s.name for s in sheets if s.visibility != 0)
    visible = [s for s in sheets if s.visibility == 0]
    notes: list[str] = [f"工作表“{n}”是隐藏的,已忽略 (hidden sheet ignored)" for n in hidden]
    if not visible:
        raise ReadError("工作簿中没有可见的工作表 (no visible sheet)")
    if sheet is not None:
        chosen = [s for s in sheets if s.name == sheet]
        if not chosen:
            raise ReadError(f"没有名为“{sheet}”的工作表 (no such sheet)")
        sh = chosen[0]
    else:
        shown = [s for s in visible if getattr(s, "sheet_visible", 0)]
        sh = shown[0] if shown else visible[0]
    others = [s.name for s in visible if s is not sh]
    if others:
        notes.append(f"只读取了“{sh.name}”,未读取: {'、'.join(others)} (other visible sheets not read)")
    cells: list[list[str]] = []
    numeric: set[tuple[int, int]] = set()
    for r in range(sh.nrows):
        out: list[str] = []
        for c in range(sh.ncols):
            cell = sh.cell(r, c)
            value: Any = cell.value
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                except Exception:  # noqa: S110 - ambiguous serials stay numbers
                    pass
            elif cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                value = None
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                value = bool(value)
            text, is_num = cell_text(value)
            if is_num:
                numeric.add((r, c))
            out.append(text)
        cells.append(out)
    merges = tuple((rlo, clo, rhi - 1, chi - 1) for rlo, rhi, clo, chi in sh.merged_cells)
    return SourceSheet(
        "xls", None, Grid(sh.name, _trim(cells), frozenset(numeric), merges), hidden, tuple(notes)
    )


def _read_html(text: str, encoding: str) -> SourceSheet:
    import lxml.html

    try:
        doc = lxml.html.document_fromstring(text)
    except Exception as exc:  # lxml raises ParserError/ValueError on junk
        raise ReadError(f"无法解析HTML表格: {exc} (cannot parse HTML)") from exc
    tables = doc.xpath("//table")
    if not tables:
        raise ReadError("HTML文件中没有表格 (no <table> in the HTML file)")
    table = max(tables, key=lambda t: len(t.xpath(".//tr")))
    grid_map: dict[tuple[int, int], str] = {}
    merges: list[tuple[int, int, int, int]] = []
    n_rows = 0
    for r, tr in enumerate(table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")):
        c = 0
        for td in tr.xpath("./td|./th"):
            while (r, c) in grid_map:
                c += 1
            value = td.text_content().strip()
            try:
                rs = max(1, int(td.get("rowspan", "1")))
                cs = max(1, int(td.get("colspan", "1")))
            except ValueError:
                rs, cs = 1, 1
            for dr in range(rs):
                for dc in range(cs):
                    grid_map[(r + dr, c + dc)] = value if (dr, dc) == (0, 0) else ""
            if rs > 1 or cs > 1:
                merges.append((r, c, r + rs - 1, c + cs - 1))
            c += cs
        n_rows = max(n_rows, r + 1)
    n_rows = max([n_rows] + [k[0] + 1 for k in grid_map])
    width = max((k[1] + 1 for k in grid_map), default=0)
    cells = [[grid_map.get((r, c), "") for c in range(width)] for r in range(n_rows)]
    name = table.xpath("string(./caption)").strip() or "table1"
    return SourceSheet("html", encoding, Grid(name, _trim(cells), frozenset(), tuple(merges)))


def _sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    if not lines:
        return ","
    scores: dict[str, int] = {}
    for delim in ("\t", ",", ";"):
        counts = [ln.count(delim) for ln in lines]
        scores[delim] = sum(1 for n in counts if n > 0) * 1000 + sum(counts)
    best = max(scores, key=lambda d: scores[d])
    return best if scores[best] > 0 else ","


def _read_delimited(text: str, encoding: str) -> SourceSheet:
    delim = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        cells = [list(row) for row in reader]
    except csv.Error as exc:  # e.g. a field over the csv module's 131,072-character limit
        raise ReadError(f"第 {reader.line_num} 行无法按CSV读取: {exc} (malformed CSV line)") from exc
    fmt = "tsv" if delim == "\t" else "csv"
    return SourceSheet(fmt, encoding, Grid(fmt, _trim(cells)))


# A register is at most this big; a stray value at XFD1048576 must not make us walk 17 billion cells.
MAX_SHEET_ROWS = 200_000
MAX_SHEET_COLUMNS = 1_000
# Largest total uncompressed size of an .xlsx's parts. openpyxl (normal mode) holds every cell in
# memory, about 10 bytes of RAM per byte of sheet XML, so a 1 MB "zip bomb" of 120 MB XML already
# costs 1 GB and a minute; a real 200,000-row register is well below this.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024


def _used_bounds(ws: Any) -> tuple[int, int]:
    """Rows and columns actually holding values (openpyxl keeps only stored cells in ``_cells``).

    Raises:
        ReadError: the used range is beyond ``MAX_SHEET_ROWS`` x ``MAX_SHEET_COLUMNS``.
    """
    rows = cols = 0
    for (r, c), cell in getattr(ws, "_cells", {}).items():
        if cell.value is not None and cell.value != "":
            rows, cols = max(rows, r), max(cols, c)
    if rows > MAX_SHEET_ROWS or cols > MAX_SHEET_COLUMNS:
        raise ReadError(
            f"工作表“{ws.title}”的数据范围过大({rows}行×{cols}列),超过{MAX_SHEET_ROWS}行或"
            f"{MAX_SHEET_COLUMNS}列 (sheet too large; remove stray cells far from the table)"
        )
    return max(rows, 1), max(cols, 1)


def read_source(
    source: bytes | str | Path, *, sheet: str | None = None, encoding: str | None = None
) -> SourceSheet:
    """Read a spreadsheet/text file (path or bytes) into a :class:`SourceSheet`.

    Args:
        source: file path or the file's bytes.
        sheet: sheet name to read (default: the visible active sheet).
        encoding: force a text encoding (default: detect, see module docstring).

    Raises:
        ReadError: unreadable file, unsupported format, no visible sheet.
        OSError: the path cannot be opened.
    """
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if data.startswith(ZIP_MAGIC):
        try:
            infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
            raise ReadError("文件已损坏(zip) (damaged zip container)") from exc
        names = {i.filename for i in infos}
        if "xl/workbook.xml" in names:
            unzipped, cap = sum(i.file_size for i in infos) // 2**20, MAX_UNZIPPED_BYTES // 2**20
            if unzipped > cap:
                raise ReadError(
                    f"xlsx解压后达{unzipped}MB,超过{cap}MB上限,请删除多余的行列或分成几个文件 "
                    "(workbook too large when unzipped)"
                )
            return _read_xlsx(data, sheet)
        if "content.xml" in names:
            raise ReadError("这是ODS/WPS开放格式,请另存为.xlsx (OpenDocument spreadsheet; save as .xlsx)")
        raise ReadError("zip文件不是Excel工作簿 (zip file is not an .xlsx workbook)")
    if data.startswith(OLE2_MAGIC):
        return _read_xls(data, sheet)
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReadError("无法识别的二进制文件 (unknown binary format)")
    text, enc = decode_text(data, encoding)
    head = text[:4096].lstrip().lower()
    if head.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in text[:20000]:
        raise ReadError("这是Excel 2003 XML表格,请另存为.xlsx (SpreadsheetML 2003; save as .xlsx)")
    if head.startswith("<") and re.search(r"<table[\s>]", text[:1_000_000], re.IGNORECASE):
        return _read_html(text, enc)
    return _read_delimited(text, enc)
