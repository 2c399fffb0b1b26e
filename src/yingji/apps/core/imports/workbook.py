"""The downloadable template of a kind: an .xlsx with the kind's header row."""

from __future__ import annotations

import io

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from yingji.apps.core.imports.registry import template_header
from yingji.engines.normalize.columns import header_matches
from yingji.engines.normalize.schema import KINDS

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_ROWS = 1000


def template_xlsx(kind: str, *, title: str = "") -> bytes:
    """An Office Open XML workbook (ECMA-376) with one sheet: the header of ``kind`` in
    row 1 (bold, frozen), code columns (IDs, codes, phones) formatted as Text (``@``) for
    the first 1000 data rows so Excel keeps leading zeros and long digits.

    Args:
        kind: engine kind; title: sheet title (default the kind's engine label).

    Returns:
        The .xlsx bytes.

    Raises:
        UnknownImportKind: ``kind`` is not an engine kind.
    """
    header = template_header(kind)
    spec = KINDS[kind]
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = (title or spec.title)[:31]
    ws.append(list(header))
    fill = PatternFill("solid", fgColor="EEF2F7")
    for idx, label in enumerate(header, start=1):
        cell = ws.cell(1, idx)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center")
        letter = get_column_letter(idx)
        ws.column_dimensions[letter].width = max(12, len(label) * 2 + 4)
        if any(c.code and header_matches(label, c.synonyms) for c in spec.columns):
            for row in range(2, TEMPLATE_ROWS + 2):
                ws.cell(row, idx).number_format = "@"
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
