"""Registry kinds (declarative column specs) and the import preview.

``preview(kind, path_or_bytes, ...)`` reads a file (see :mod:`.reader`), finds the
header (see :mod:`.table`), maps columns by header synonyms, normalises every field,
runs the kind's cross-field check and reports imported rows, rejected fields,
warnings and duplicates. A row with any rejected field is rejected whole (every
field error of the row is listed). Duplicate rows (same key as an earlier row of the
file, or a key the ``existing_keys`` callback knows) are listed under
``duplicates`` and not imported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from yingji.engines.normalize.columns import (
    FieldContext,
    RegistrySpec,
    RowContext,
    header_matches,
    split_header,
)
from yingji.engines.normalize.coords import county_boundary, parse_crs
from yingji.engines.normalize.dates import year_from_title
from yingji.engines.normalize.kinds import KINDS
from yingji.engines.normalize.places import Divisions
from yingji.engines.normalize.reader import ReadError, read_source
from yingji.engines.normalize.table import build_table
from yingji.engines.normalize.text import numeric_text

# ---- preview ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportedRow:
    """A row that would be imported: Excel row number and normalised values by column name."""

    row: int
    values: Mapping[str, Any]


@dataclass(frozen=True)
class Rejection:
    """A rejected field (``row``/``column`` ``None`` for file-level problems).

    ``overridable`` is True for errors an authorised user may accept with a reason
    (credit-code check character, GB 32100-2015); pass ``overrides`` to :func:`preview`.
    """

    row: int | None
    column: str | None
    value: str | None
    reason: str
    overridable: bool = False


@dataclass(frozen=True)
class PreviewWarning:
    """A note on a row/column (``None`` for file-level notes)."""

    row: int | None
    column: str | None
    message: str


@dataclass(frozen=True)
class Duplicate:
    """Row ``row`` has the same key as ``same_as``: an earlier row number of the file,
    or the reference string returned by the ``existing_keys`` callback."""

    row: int
    same_as: int | str


@dataclass(frozen=True)
class Preview:
    """What an import would do. ``to_dict()`` gives the JSON contract.

    ``partial`` (not part of ``to_dict()``): the rows that were rejected, with the values of
    every column (None for the columns that failed, see ``rejected``), so that a caller can
    run its own checks on the columns that did parse and report all of a row's errors at once.
    """

    kind: str
    encoding: str | None
    sheet: str | None
    ignored_sheets: tuple[str, ...]
    header: tuple[str, ...]
    imported: tuple[ImportedRow, ...]
    rejected: tuple[Rejection, ...]
    warnings: tuple[PreviewWarning, ...]
    duplicates: tuple[Duplicate, ...]
    partial: tuple[ImportedRow, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """``{"encoding", "sheet", "ignored_sheets", "header", "imported": [{"row", "values"}],
        "rejected": [{"row", "column", "value", "reason", "overridable"}], "warnings":
        [{"row", "column", "message"}], "duplicates": [{"row", "same_as"}]}``."""
        return {
            "encoding": self.encoding,
            "sheet": self.sheet,
            "ignored_sheets": list(self.ignored_sheets),
            "header": list(self.header),
            "imported": [{"row": r.row, "values": dict(r.values)} for r in self.imported],
            "rejected": [
                {
                    "row": r.row,
                    "column": r.column,
                    "value": r.value,
                    "reason": r.reason,
                    "overridable": r.overridable,
                }
                for r in self.rejected
            ],
            "warnings": [{"row": w.row, "column": w.column, "message": w.message} for w in self.warnings],
            "duplicates": [{"row": d.row, "same_as": d.same_as} for d in self.duplicates],
        }


ExistingKeys = Callable[[Sequence[tuple[str, ...]]], Mapping[tuple[str, ...], str]]


def _assign(spec: RegistrySpec, header: tuple[str, ...]) -> dict[str, int]:
    """Greedy best-score assignment of header columns to spec columns (each used once)."""
    candidates: list[tuple[int, int, int, str]] = []
    for order, col in enumerate(spec.columns):
        for idx, label in enumerate(header):
            score = header_matches(label, col.synonyms)
            if score:
                candidates.append((-score, order, idx, col.name))
    assigned: dict[str, int] = {}
    used: set[int] = set()
    for _, _, idx, name in sorted(candidates):
        if name not in assigned and idx not in used:
            assigned[name] = idx
            used.add(idx)
    return assigned


def preview(
    kind: str,
    path_or_bytes: bytes | str | Path,
    *,
    divisions: Divisions | None = None,
    context_year: int | None = None,
    crs: str | None = None,
    boundary: Any = None,
    check_boundary: bool = True,
    sheet: str | None = None,
    encoding: str | None = None,
    existing_keys: ExistingKeys | None = None,
    overrides: Mapping[tuple[int, str], str] | None = None,
) -> Preview:
    """Preview importing a registry file of ``kind`` (see :data:`KINDS`).

    Args:
        kind: a key of :data:`KINDS` (``shelters``, ``depots``, ``supply-items``...).
        path_or_bytes: the uploaded file (path or bytes); format detected by content.
        divisions: township reference list (default Yanqi 2023 edition).
        context_year: year for dates without one (default: a year in the sheet
            title/report-period rows, with a warning).
        crs: file-level CRS of lng/lat when there is no 坐标系 column (default WGS84).
        boundary: prepared shapely polygon (WGS84) to flag points outside the county
            (default: Yanqi county); ``check_boundary=False`` disables the check.
        sheet, encoding: override sheet choice / text encoding detection.
        existing_keys: callback given the keys of importable rows, returning
            ``{key: reference}`` for keys already in the database (reported as
            duplicates with ``same_as=reference``).
        overrides: ``{(row, column): reason}`` accepting overridable errors.

    Returns:
        A :class:`Preview`. Unreadable files and missing required columns become
        file-level rejections (``row=None``); nothing is imported then.

    Raises:
        KeyError: unknown ``kind`` (a programming error, not user data).
    """
    spec = KINDS[kind]
    try:
        src = read_source(path_or_bytes, sheet=sheet, encoding=encoding)
    except (ReadError, OSError) as exc:
        return Preview(kind, None, None, (), (), (), (Rejection(None, None, None, str(exc)),), (), ())
    all_keys = [c.synonyms for c in spec.columns]

    def matcher(label: str) -> bool:
        return any(header_matches(label, syn) >= 2 for syn in all_keys)

    table = build_table(src.grid, matcher)
    warnings: list[PreviewWarning] = [PreviewWarning(None, None, n) for n in src.notes]
    rejected: list[Rejection] = []
    assigned = _assign(spec, table.header)
    missing = [c for c in spec.columns if c.required and c.name not in assigned]
    for col in missing:
        rejected.append(
            Rejection(
                None,
                col.name,
                None,
                f"缺少必填列“{col.label}”(可用表头: {'、'.join(col.synonyms[:4])}) (required column missing)",
            )
        )
    unused = [h for i, h in enumerate(table.header) if i not in assigned.values()]
    if unused:
        warnings.append(PreviewWarning(None, None, f"未使用的列: {'、'.join(unused)} (columns not imported)"))
    base = Preview(kind, src.encoding, src.grid.name, src.ignored_sheets, table.header, (), (), (), ())
    if missing:
        return replace(base, rejected=tuple(rejected), warnings=tuple(warnings))
    if context_year is None:
        context_year = year_from_title(table.title)
        if context_year is not None:
            warnings.append(
                PreviewWarning(None, None, f"报表年度取自标题: {context_year} (context year from the title)")
            )
    if crs is not None:
        crs_res = parse_crs(crs)
        if not crs_res.valid:
            return replace(base, rejected=(Rejection(None, "crs", crs, crs_res.error or "unknown CRS"),))
        crs = crs_res.value
    if check_boundary and boundary is None and any(c.name == "lng" for c in spec.columns):
        boundary = county_boundary()
    row_ctx = RowContext(crs=crs, boundary=boundary if check_boundary else None)
    hints = {name: split_header(table.header[idx])[1] for name, idx in assigned.items()}
    for row, reason in table.skipped:
        warnings.append(PreviewWarning(row, None, reason))
    overrides = overrides or {}
    contexts = {
        (col.name, num): FieldContext(num, context_year, divisions, hints.get(col.name))
        for col in spec.columns
        for num in (False, True)
    }
    candidates: list[ImportedRow] = []
    partial: list[ImportedRow] = []
    for data in table.rows:
        values: dict[str, Any] = {}
        errors: list[Rejection] = []
        raw_of: dict[str, str] = {}
        for col in spec.columns:
            idx = assigned.get(col.name)
            raw = data.cells[idx] if idx is not None and idx < len(data.cells) else ""
            raw_of[col.name] = raw
            if not raw.strip():
                values[col.name] = None
                if col.required:
                    errors.append(Rejection(data.row, col.name, raw, "必填项为空 (required field empty)"))
                continue
            from_number = idx is not None and idx in data.numeric
            ctx = contexts[(col.name, from_number)]
            res = col.normaliser(raw, ctx)
            if res.valid:
                values[col.name] = res.value
                warnings.extend(PreviewWarning(data.row, col.name, w) for w in res.warnings)
                if col.code and from_number:
                    warnings.append(
                        PreviewWarning(
                            data.row,
                            col.name,
                            "该列在Excel中是数字格式,建议设为文本 (column stored as numbers)",
                        )
                    )
            elif res.overridable and (data.row, col.name) in overrides:
                values[col.name] = numeric_text(raw).replace(" ", "").upper()
                warnings.append(
                    PreviewWarning(
                        data.row, col.name, f"已强制通过: {overrides[(data.row, col.name)]} (overridden)"
                    )
                )
            else:
                values[col.name] = None
                errors.append(Rejection(data.row, col.name, raw, res.error or "invalid", res.overridable))
        if not errors and spec.row_check is not None:
            issues = spec.row_check(values, row_ctx)
            values.update(issues.updates)
            errors.extend(Rejection(data.row, c, raw_of.get(c), m) for c, m in issues.errors)
            warnings.extend(PreviewWarning(data.row, c, m) for c, m in issues.warnings)
        if errors:
            rejected.extend(errors)
            failed = {e.column for e in errors}
            partial.append(ImportedRow(data.row, {k: None if k in failed else v for k, v in values.items()}))
        else:
            candidates.append(ImportedRow(data.row, values))
    imported, duplicates = _dedupe(spec, candidates, existing_keys)
    return replace(
        base,
        imported=tuple(imported),
        rejected=tuple(rejected),
        warnings=tuple(sorted(warnings, key=lambda w: -1 if w.row is None else w.row)),
        duplicates=tuple(duplicates),
        partial=tuple(partial),
    )


def row_key(spec: RegistrySpec, values: Mapping[str, Any]) -> tuple[str, ...]:
    """The duplicate key of a row: the spec's key columns as strings ("" for empty)."""
    return tuple("" if values.get(k) is None else str(values.get(k)) for k in spec.key)


def _dedupe(
    spec: RegistrySpec, rows: list[ImportedRow], existing_keys: ExistingKeys | None
) -> tuple[list[ImportedRow], list[Duplicate]]:
    seen: dict[tuple[str, ...], int] = {}
    kept: list[ImportedRow] = []
    dups: list[Duplicate] = []
    for r in rows:
        key = row_key(spec, r.values)
        if any(key) and key in seen:
            dups.append(Duplicate(r.row, seen[key]))
            continue
        seen.setdefault(key, r.row)
        kept.append(r)
    if existing_keys is not None and kept:
        known = existing_keys([row_key(spec, r.values) for r in kept])
        if known:
            still: list[ImportedRow] = []
            for r in kept:
                key = row_key(spec, r.values)
                if key in known:
                    dups.append(Duplicate(r.row, known[key]))
                else:
                    still.append(r)
            kept = still
    dups.sort(key=lambda d: d.row)
    return kept, dups
