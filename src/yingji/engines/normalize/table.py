"""From a raw cell grid to a header and data rows: title rows, multi-row merged
headers, fill-down of merged data cells, footer/signature/blank rows.

Row numbers are the ones the clerk sees in Excel: 1-based, header and title rows
counted (for CSV: the record number).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from yingji.engines.normalize.reader import Grid
from yingji.engines.normalize.text import header_key

MAX_HEADER_SCAN = 30
MAX_HEADER_DEPTH = 4

_META = re.compile(
    r"^(填报单位|填表单位|报送单位|填报日期|填表日期|报送日期|统计日期|统计时间|制表|制表单位|制表日期|"
    r"制表人|单位[:：]|日期[:：]|金额单位[:：]|计量单位[:：])"
)
_FOOTER = re.compile(r"^(合计|总计|小计|累计|共计|总数)")
_SIGNATURE = re.compile(
    r"(单位负责人|负责人|填表人|填报人|审核人|制表人|统计人|审批人|经办人|分管领导|主要领导|联系人)\s*[:：]"
)
_SIGNATURE_START = re.compile(r"^(单位负责人|负责人|填表人|填报人|审核人|制表人|统计人|审批人|经办人)")
_NOTE = re.compile(r"^(注|备注|说明|填表说明|附注)\s*[:：\d一二三四五六七八九]")
_EMPTY_MARK = re.compile(r"^(以下空白|以下无数据|此处空白|空白)$")


@dataclass(frozen=True)
class DataRow:
    """One data row: Excel row number, cell texts (one per header column) and the
    indexes of cells that held numbers."""

    row: int
    cells: tuple[str, ...]
    numeric: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Table:
    """A sheet split into header and data.

    Attributes:
        header: one path per column, parent/child labels joined with ``/``
            (``联系电话/手机``); an unlabeled column is ``列F``.
        header_rows: Excel row numbers of the header.
        title: text of the title/meta rows above the header (for the report year).
        rows: data rows.
        skipped: (row, reason) for non-blank rows that are not data (合计, signatures...).
    """

    header: tuple[str, ...]
    header_rows: tuple[int, ...]
    title: str
    rows: tuple[DataRow, ...]
    skipped: tuple[tuple[int, str], ...]


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 27 → AB)."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _is_meta(texts: list[str]) -> bool:
    return any(_META.match(header_key(t)) for t in texts if t.strip())


def _find_header_top(grid: Grid, matcher: Callable[[str], bool] | None) -> int:
    cells = grid.cells
    limit = min(len(cells), MAX_HEADER_SCAN)
    if matcher is not None:
        best, best_score = -1, 0
        for r in range(limit):
            keys = {header_key(t) for t in cells[r] if t.strip()}
            score = sum(1 for k in keys if matcher(k))
            if score > best_score:
                best, best_score = r, score
        if best >= 0 and best_score >= 2:
            return best
    for r in range(limit):
        texts = [t for t in cells[r] if t.strip()]
        if len(set(texts)) >= 2 and not _is_meta(texts):
            return r
    return 0


def _header_bottom(grid: Grid, top: int) -> int:
    bottom = top
    changed = True
    while changed:
        changed = False
        for r0, c0, r1, c1 in grid.merges:
            if top <= r0 <= bottom:
                new = bottom
                if r1 > bottom:
                    new = r1
                if c1 > c0 and r0 == bottom and r0 + 1 < len(grid.cells):
                    below = grid.cells[r0 + 1][c0 : c1 + 1]
                    if sum(1 for t in below if t.strip()) >= 2:
                        new = max(new, r0 + 1)
                new = min(new, top + MAX_HEADER_DEPTH - 1)
                if new > bottom:
                    bottom, changed = new, True
    return bottom


def _spans(row: list[str]) -> list[tuple[int, int]]:
    """(start, end) spans of each label filled right over following blanks."""
    spans: list[tuple[int, int]] = []
    for c, t in enumerate(row):
        if t.strip():
            spans.append((c, c))
        elif spans:
            spans[-1] = (spans[-1][0], c)
    return spans


def _text_subheader(grid: Grid, top: int) -> list[tuple[int, int]] | None:
    """Detect a second header row in a file without merges (CSV saved from a merged
    header): labels only under multi-column spans, nothing under single columns."""
    if top + 1 >= len(grid.cells):
        return None
    row, nxt = grid.cells[top], grid.cells[top + 1]
    spans = _spans(row)
    if not spans or not any(e > s for s, e in spans):
        return None
    wide_ok = False
    for s, e in spans:
        below = [t for t in nxt[s : e + 1] if t.strip()]
        if e == s and below:
            return None
        if e > s and len(below) >= 2:
            wide_ok = True
    if not wide_ok:
        return None
    if any(re.fullmatch(r"[\d.,\-+/: ]+", t.strip()) for t in nxt if t.strip()):
        return None
    return spans


def _filled(
    grid: Grid,
) -> tuple[list[list[str]], set[tuple[int, int]], dict[tuple[int, int], tuple[int, int]]]:
    cells = [list(r) for r in grid.cells]
    numeric = set(grid.numeric)
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    n_rows = len(cells)
    for r0, c0, r1, c1 in grid.merges:
        if r0 >= n_rows:
            continue
        value = cells[r0][c0] if c0 < len(cells[r0]) else ""
        for r in range(r0, min(r1, n_rows - 1) + 1):
            for c in range(c0, min(c1, len(cells[r]) - 1) + 1):
                origin[(r, c)] = (r0, c0)
                if (r, c) != (r0, c0):
                    cells[r][c] = value
                    if (r0, c0) in grid.numeric:
                        numeric.add((r, c))
    return cells, numeric, origin


def build_table(grid: Grid, header_matcher: Callable[[str], bool] | None = None) -> Table:
    """Split a grid into header paths and data rows.

    Args:
        grid: cells as read (see :func:`yingji.engines.normalize.reader.read_source`).
        header_matcher: optional predicate "is this (normalised) label a known
            column name"; the row with most matches in the first 30 rows is the
            header. Without it the first row with two different labels that is not
            a 填报单位/填报日期/制表 row is.

    Header depth follows merged cells (vertical merges from the header row, or a
    horizontally merged label with labels under it); for CSV the pattern a merged
    header leaves (labels only under multi-column spans) is recognised. Vertically
    merged data cells are filled down. Never raises.
    """
    if not grid.cells:
        return Table((), (), "", (), ())
    top = _find_header_top(grid, header_matcher)
    bottom = _header_bottom(grid, top)
    filled, numeric, origin = _filled(grid)
    width = max((len(r) for r in filled), default=0)
    text_spans = _text_subheader(grid, top) if bottom == top and not grid.merges else None
    if text_spans is not None:
        bottom = top + 1
        for s, e in text_spans:
            for c in range(s + 1, e + 1):
                filled[top][c] = filled[top][s]
    header: list[str] = []
    for c in range(width):
        parts: list[str] = []
        for r in range(top, bottom + 1):
            key = header_key(filled[r][c]) if c < len(filled[r]) else ""
            if key and (not parts or parts[-1] != key):
                parts.append(key)
        header.append("/".join(parts) if parts else f"列{column_letter(c)}")
    title = " ".join(t.strip() for r in range(top) for t in dict.fromkeys(grid.cells[r]) if t.strip())
    header_raw = [header_key(t) for t in grid.cells[top]]
    header_first = next((k for k in header_raw if k), "")
    rows: list[DataRow] = []
    skipped: list[tuple[int, str]] = []
    for r in range(bottom + 1, len(filled)):
        raw = grid.cells[r]
        texts = [t.strip() for t in raw if t.strip()]
        if not texts:
            continue
        first = header_key(texts[0])
        joined = " ".join(texts)
        reason = None
        if _FOOTER.match(first) or (
            len(texts) > 1 and _FOOTER.match(header_key(texts[1])) and len(first) <= 3
        ):
            reason = "合计行,不是数据 (total row)"
        elif _SIGNATURE.search(joined) or (_SIGNATURE_START.match(first) and len(texts) <= 4):
            reason = "签字行,不是数据 (signature row)"
        elif _NOTE.match(first) and len(texts) <= 2:
            reason = "备注/说明行,不是数据 (note row)"
        elif _EMPTY_MARK.match(first) and len(texts) == 1:
            reason = "“以下空白”标记 (end-of-data marker)"
        elif _is_meta(texts) and len(texts) <= 3:
            reason = "填报信息行,不是数据 (report metadata row)"
        elif first == header_first and [header_key(t) for t in raw] == header_raw:
            reason = "重复的表头行 (repeated header row)"
        elif len(texts) == 1 and width > 2:
            pos = next(c for c, t in enumerate(raw) if t.strip())
            o = origin.get((r, pos))
            if o is not None and any(
                m[0] == o[0] and m[1] == o[1] and m[3] - m[1] + 1 >= max(2, width // 2) for m in grid.merges
            ):
                reason = "分组标题行,不是数据 (section heading row)"
        if reason:
            skipped.append((r + 1, reason))
            continue
        cells: list[str] = []
        nums: set[int] = set()
        for c in range(width):
            value = filled[r][c] if c < len(filled[r]) else ""
            o = origin.get((r, c))
            if o is not None and o[1] != c:
                value = raw[c] if c < len(raw) else ""  # horizontal merge in data: keep only the first cell
            cells.append(value)
            if (r, c) in numeric and (o is None or o[1] == c):
                nums.add(c)
        rows.append(DataRow(r + 1, tuple(cells), frozenset(nums)))
    return Table(tuple(header), tuple(range(top + 1, bottom + 2)), title, tuple(rows), tuple(skipped))
