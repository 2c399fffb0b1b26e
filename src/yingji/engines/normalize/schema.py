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
    Column,
    FieldContext,
    RegistrySpec,
    RowContext,
    RowIssues,
    header_matches,
    n_area,
    n_birth_date,
    n_citizen_id,
    n_code,
    n_count,
    n_crs,
    n_date,
    n_degrees,
    n_phone,
    n_quantity,
    n_sex,
    n_text,
    n_township,
    n_uscc,
    split_header,
)
from yingji.engines.normalize.coords import county_boundary, normalize_point, parse_crs
from yingji.engines.normalize.dates import year_from_title
from yingji.engines.normalize.ids import citizen_id_facts
from yingji.engines.normalize.places import Divisions
from yingji.engines.normalize.reader import ReadError, read_source
from yingji.engines.normalize.table import build_table
from yingji.engines.normalize.text import numeric_text

# ---- cross-field checks -----------------------------------------------------------------


def _check_member(values: dict[str, Any], ctx: RowContext) -> RowIssues:
    """Sex and birth date must agree with the citizen ID (GB 11643-1999 §4); blank ones are
    filled from the ID."""
    idn = values.get("id_number")
    if not idn:
        return RowIssues()
    facts = citizen_id_facts(idn)
    updates: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    birth = values.get("birth_date")
    iso = facts.birth_date.isoformat()
    if birth is None:
        updates["birth_date"] = iso
    elif birth != iso and not (len(birth) == 7 and iso.startswith(birth)):
        errors.append(
            ("birth_date", f"出生日期{birth}与身份证号中的{iso}不一致 (birth date differs from ID)")
        )
    elif birth != iso:
        updates["birth_date"] = iso
    sex = values.get("sex")
    if sex is None:
        updates["sex"] = facts.sex
    elif sex != facts.sex:
        errors.append(("sex", f"性别{sex}与身份证号({facts.sex})不一致 (sex differs from ID)"))
    return RowIssues(updates, tuple(errors))


def _check_stock(values: dict[str, Any], ctx: RowContext) -> RowIssues:
    """Expiry date before production date is an error."""
    prod, exp = values.get("production_date"), values.get("expiry_date")
    if prod and exp and exp < prod:
        return RowIssues(
            errors=(("expiry_date", f"有效期{exp}早于生产日期{prod} (expiry before production date)"),)
        )
    return RowIssues()


def _check_point(values: dict[str, Any], ctx: RowContext) -> RowIssues:
    """Convert lng/lat to WGS84 from the row's CRS (else the file's, else WGS84); swapped
    axes are fixed with a warning; a point outside the county boundary is a warning."""
    lng, lat = values.get("lng"), values.get("lat")
    if lng is None and lat is None:
        return RowIssues()
    if lng is None or lat is None:
        col = "lat" if lat is None else "lng"
        return RowIssues(errors=((col, "经度和纬度须同时填写 (longitude and latitude go together)"),))
    crs = values.get("crs") or ctx.crs or "wgs84"
    res = normalize_point(lng, lat, crs, boundary=ctx.boundary)
    if not res.valid or res.value is None:
        return RowIssues(errors=(("lng", res.error or "invalid point"),))
    updates = {"lng": res.value.lng, "lat": res.value.lat, "crs": "wgs84", "source_crs": crs}
    return RowIssues(updates, (), tuple(("lng", w) for w in res.warnings))


# ---- kinds ------------------------------------------------------------------------------

_TOWNSHIP = (
    "乡镇",
    "所属乡镇",
    "所在乡镇",
    "乡镇名称",
    "乡(镇)",
    "乡镇(街道)",
    "乡镇(场)",
    "所在乡镇(场)",
    "乡镇场",
)
_LNG = ("经度", "东经", "经度(°)", "x", "lng", "lon", "longitude")
_LAT = ("纬度", "北纬", "纬度(°)", "y", "lat", "latitude")
_CRS = ("坐标系", "坐标类型", "坐标系统", "crs")

KINDS: dict[str, RegistrySpec] = {
    spec.kind: spec
    for spec in (
        RegistrySpec(
            "rescue-team-members",
            "应急救援队伍人员",
            (
                Column("name", "姓名", ("姓名", "队员姓名", "人员姓名"), n_text),
                Column(
                    "id_number",
                    "身份证号",
                    ("身份证号", "身份证号码", "公民身份号码", "身份证", "证件号码", "身份证件号码"),
                    n_citizen_id,
                    code=True,
                ),
                Column("sex", "性别", ("性别",), n_sex, required=False),
                Column(
                    "birth_date",
                    "出生日期",
                    ("出生日期", "出生年月", "出生年月日", "生日"),
                    n_birth_date,
                    required=False,
                ),
                Column(
                    "phone",
                    "联系电话",
                    (
                        "联系电话",
                        "手机",
                        "手机号",
                        "手机号码",
                        "联系电话/手机",
                        "电话",
                        "联系方式",
                        "移动电话",
                    ),
                    n_phone,
                    code=True,
                ),
                Column(
                    "team",
                    "所属队伍",
                    ("所属队伍", "队伍", "队伍名称", "救援队", "所在队伍", "所属救援队"),
                    n_text,
                ),
                Column(
                    "skills",
                    "专业技能",
                    ("专业技能", "技能", "特长", "专长", "专业特长", "技能特长"),
                    n_text,
                    required=False,
                ),
                Column("township", "乡镇", _TOWNSHIP, n_township, required=False),
            ),
            ("id_number",),
            _check_member,
        ),
        RegistrySpec(
            "depot-stock",
            "应急物资库存",
            (
                Column(
                    "depot_code",
                    "仓库编码",
                    ("仓库编码", "库点编码", "仓库代码", "储备库编码", "仓库编号"),
                    n_code,
                    code=True,
                ),
                Column(
                    "item_code",
                    "物资编码",
                    ("物资编码", "物资代码", "品目编码", "物资编号"),
                    n_code,
                    code=True,
                ),
                Column("item_name", "物资名称", ("物资名称", "品名", "物资品名", "名称"), n_text),
                Column("unit", "计量单位", ("计量单位", "单位"), n_text),
                Column("quantity", "数量", ("数量", "库存数量", "储备数量", "实存数量", "库存"), n_quantity),
                Column("batch", "批次", ("批次", "批号", "生产批号", "批次号"), n_code, required=False),
                Column("production_date", "生产日期", ("生产日期", "出厂日期"), n_date, required=False),
                Column(
                    "expiry_date",
                    "有效期至",
                    ("有效期至", "失效日期", "有效期", "过期日期", "保质期至", "有效日期"),
                    n_date,
                    required=False,
                ),
            ),
            ("depot_code", "item_code", "batch"),
            _check_stock,
        ),
        RegistrySpec(
            "shelters",
            "应急避难场所",
            (
                Column(
                    "code",
                    "场所编码",
                    ("避难场所编码", "场所编码", "编码", "编号", "场所编号"),
                    n_code,
                    code=True,
                ),
                Column("name", "场所名称", ("避难场所名称", "场所名称", "名称"), n_text),
                Column(
                    "type", "场所类型", ("类型", "场所类型", "避难场所类型", "类别"), n_text, required=False
                ),
                Column("township", "乡镇", _TOWNSHIP, n_township),
                Column("address", "地址", ("地址", "详细地址", "位置", "场所地址"), n_text, required=False),
                Column("lng", "经度", _LNG, n_degrees),
                Column("lat", "纬度", _LAT, n_degrees),
                Column("crs", "坐标系", _CRS, n_crs, required=False),
                Column(
                    "capacity",
                    "容纳人数",
                    ("容纳人数", "可容纳人数", "容量", "可容纳人数(人)", "设计容量"),
                    n_count,
                ),
                Column(
                    "area_m2",
                    "面积",
                    ("面积", "占地面积", "有效面积", "有效避难面积", "场所面积"),
                    n_area,
                    required=False,
                ),
            ),
            ("code",),
            _check_point,
        ),
        RegistrySpec(
            "enterprises",
            "企业",
            (
                Column("name", "企业名称", ("企业名称", "单位名称", "名称", "企业(单位)名称"), n_text),
                Column(
                    "uscc",
                    "统一社会信用代码",
                    ("统一社会信用代码", "社会信用代码", "信用代码"),
                    n_uscc,
                    code=True,
                ),
                Column(
                    "industry", "行业", ("行业", "所属行业", "行业类别", "行业分类"), n_text, required=False
                ),
                Column("township", "乡镇", _TOWNSHIP, n_township),
                Column(
                    "address",
                    "地址",
                    ("地址", "注册地址", "经营地址", "详细地址", "生产经营地址"),
                    n_text,
                    required=False,
                ),
                Column(
                    "legal_representative",
                    "法定代表人",
                    ("法定代表人", "法人代表", "法人", "负责人"),
                    n_text,
                    required=False,
                ),
                Column(
                    "phone",
                    "联系电话",
                    ("联系电话", "电话", "手机", "联系方式"),
                    n_phone,
                    required=False,
                    code=True,
                ),
                Column("lng", "经度", _LNG, n_degrees, required=False),
                Column("lat", "纬度", _LAT, n_degrees, required=False),
                Column("crs", "坐标系", _CRS, n_crs, required=False),
            ),
            ("uscc",),
            _check_point,
        ),
    )
}


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
    """What an import would do. ``to_dict()`` gives the JSON contract."""

    kind: str
    encoding: str | None
    sheet: str | None
    ignored_sheets: tuple[str, ...]
    header: tuple[str, ...]
    imported: tuple[ImportedRow, ...]
    rejected: tuple[Rejection, ...]
    warnings: tuple[PreviewWarning, ...]
    duplicates: tuple[Duplicate, ...]

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
        kind: ``rescue-team-members``, ``depot-stock``, ``shelters`` or ``enterprises``.
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
        else:
            candidates.append(ImportedRow(data.row, values))
    imported, duplicates = _dedupe(spec, candidates, existing_keys)
    return replace(
        base,
        imported=tuple(imported),
        rejected=tuple(rejected),
        warnings=tuple(sorted(warnings, key=lambda w: -1 if w.row is None else w.row)),
        duplicates=tuple(duplicates),
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
