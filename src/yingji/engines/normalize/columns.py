"""Declarative column specs for registry imports, and adapters from the per-value
normalisers to one calling convention ``(text, FieldContext) -> Result``."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from yingji.engines.normalize.coords import parse_crs, parse_degrees
from yingji.engines.normalize.dates import parse_date
from yingji.engines.normalize.ids import parse_citizen_id, parse_sex, parse_uscc
from yingji.engines.normalize.numbers import format_decimal, parse_count, parse_decimal
from yingji.engines.normalize.phone import parse_phone
from yingji.engines.normalize.places import Divisions, match_division, match_township
from yingji.engines.normalize.result import Result, fail, ok
from yingji.engines.normalize.text import clean_text, code_number_problem, header_key, numeric_text
from yingji.engines.normalize.units import AREA_UNITS, MONEY_UNITS, parse_area, parse_money, parse_quantity
from yingji.engines.resources.catalogue import CLASSES


@dataclass(frozen=True)
class FieldContext:
    """What a field normaliser may know besides the cell text.

    Attributes:
        from_number: the spreadsheet cell held a number (not text).
        context_year: report year for dates without a year.
        divisions: division list for township matching (``None`` = default edition).
        unit_hint: unit written in the header's brackets (``面积(亩)`` → ``亩``).
    """

    from_number: bool = False
    context_year: int | None = None
    divisions: Divisions | None = None
    unit_hint: str | None = None


Normaliser = Callable[[str, FieldContext], Result[Any]]


@dataclass(frozen=True)
class Column:
    """One column of a registry kind.

    Attributes:
        name: key in the imported ``values`` (snake_case English).
        label: Chinese label shown to clerks.
        synonyms: accepted header labels (matched after NFKC/whitespace removal,
            against the full header path, its last or its first part).
        normaliser: ``(text, FieldContext) -> Result``.
        required: a missing column rejects the file; an empty cell rejects the row.
        code: the column holds a code (a numeric Excel cell gets a warning).
    """

    name: str
    label: str
    synonyms: tuple[str, ...]
    normaliser: Normaliser
    required: bool = True
    code: bool = False


@dataclass(frozen=True)
class RowIssues:
    """Result of a cross-field row check: values to set, errors and warnings, each
    tied to a column name."""

    updates: dict[str, Any] = field(default_factory=dict)
    errors: tuple[tuple[str, str], ...] = ()
    warnings: tuple[tuple[str, str], ...] = ()


RowCheck = Callable[[dict[str, Any], "RowContext"], RowIssues]


@dataclass(frozen=True)
class RowContext:
    """File-level settings a row check can use (default CRS, boundary polygon)."""

    crs: str | None = None
    boundary: Any = None


@dataclass(frozen=True)
class RegistrySpec:
    """A registry kind: its columns, duplicate key and cross-field check."""

    kind: str
    title: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    row_check: RowCheck | None = None


_PAREN = re.compile(r"\(([^()]*)\)")


def split_header(label: str) -> tuple[str, str | None]:
    """``面积(亩)`` → (``面积``, ``亩``); ``联系电话/手机`` unchanged. Label already keyed."""
    m = _PAREN.search(label)
    if not m:
        return label, None
    base = _PAREN.sub("", label)
    return base, m.group(1) or None


# ---- adapters -------------------------------------------------------------------------


def n_text(text: str, ctx: FieldContext) -> Result[str]:
    """Free text (names, addresses): NFKC, whitespace collapsed."""
    value = clean_text(text)
    return ok(value) if value else fail("空值 (empty)")


def n_code(text: str, ctx: FieldContext) -> Result[str]:
    """A code kept as text (leading zeros kept); scientific notation is an error."""
    value = numeric_text(text).replace(" ", "")
    if not value:
        return fail("空值 (empty)")
    problem = code_number_problem(value, from_number=ctx.from_number, what="编码")
    return fail(problem) if problem else ok(value)


def n_citizen_id(text: str, ctx: FieldContext) -> Result[str]:
    """GB 11643-1999 citizen ID, see :func:`parse_citizen_id`."""
    return parse_citizen_id(text, from_number=ctx.from_number)


def n_uscc(text: str, ctx: FieldContext) -> Result[str]:
    """GB 32100-2015 credit code, see :func:`parse_uscc`."""
    return parse_uscc(text, from_number=ctx.from_number)


def n_sex(text: str, ctx: FieldContext) -> Result[str]:
    """男/女, see :func:`parse_sex`."""
    return parse_sex(text)


def n_phone(text: str, ctx: FieldContext) -> Result[str]:
    """Mobile or landline, see :func:`parse_phone`."""
    return parse_phone(text, from_number=ctx.from_number)


def n_date(text: str, ctx: FieldContext) -> Result[str]:
    """ISO date, see :func:`parse_date`."""
    return parse_date(text, context_year=ctx.context_year, from_number=ctx.from_number)


_YEAR_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$|^(\d{4})(\d{2})$")


def n_birth_date(text: str, ctx: FieldContext) -> Result[str]:
    """Birth date: an ISO date, or ``YYYY-MM`` when only year and month are given
    (出生年月 columns), with a warning."""
    res = parse_date(text, context_year=None, from_number=ctx.from_number)
    if res.valid:
        return res
    m = _YEAR_MONTH.match(numeric_text(text))
    if m:
        year = int(m.group(1) or m.group(3))
        month = int(m.group(2) or m.group(4))
        if 1850 <= year <= 2199 and 1 <= month <= 12:
            return ok(f"{year:04d}-{month:02d}", ("只有出生年月 (year and month only)",))
    return res


def n_township(text: str, ctx: FieldContext) -> Result[str]:
    """12-digit township division code, see :func:`match_township`."""
    return match_township(text, ctx.divisions)


def n_division(text: str, ctx: FieldContext) -> Result[str]:
    """12-digit code of a township or of the county itself (``县级``, ``焉耆县``), see
    :func:`match_division`."""
    return match_division(text, ctx.divisions)


def n_quantity(text: str, ctx: FieldContext) -> Result[str]:
    """Non-negative exact decimal string."""
    return parse_quantity(text)


def n_count(text: str, ctx: FieldContext) -> Result[int]:
    """Non-negative whole number of persons."""
    return parse_count(text)


_MEASURE_WORDS = ("台套", "台", "套", "辆", "架", "部", "件", "个", "只", "把", "艘", "组", "具")


def n_pieces(text: str, ctx: FieldContext) -> Result[int]:
    """A number of pieces (台/套/辆/架/部... allowed after the number): a whole number ≥ 1."""
    value = numeric_text(text).replace(" ", "")
    for word in _MEASURE_WORDS:
        if value.endswith(word) and len(value) > len(word):
            value = value[: -len(word)]
            break
    res = parse_decimal(value)
    if not res.valid or res.value is None:
        return Result(False, None, res.warnings, res.error)
    if res.value < 1 or res.value != res.value.to_integral_value():
        return fail(f"数量须为不小于1的整数 (a whole number ≥ 1: {format_decimal(res.value)})")
    return ok(int(res.value), res.warnings)


def n_area(text: str, ctx: FieldContext) -> Result[str]:
    """Area in m² (unit from the cell, else from the header brackets, else m²)."""
    hint = (
        ctx.unit_hint if ctx.unit_hint and ctx.unit_hint.lower() in {u.lower() for u in AREA_UNITS} else None
    )
    return parse_area(text, default_unit=_canonical_unit(hint, AREA_UNITS) or "m²")


def n_money(text: str, ctx: FieldContext) -> Result[str]:
    """Money in 元 (unit from the cell, else from the header brackets, else 元)."""
    hint = _canonical_unit(ctx.unit_hint, MONEY_UNITS)
    return parse_money(text, default_unit=hint or "元")


def _canonical_unit(hint: str | None, units: dict[str, Any]) -> str | None:
    if not hint:
        return None
    for unit in units:
        if unit.lower() == hint.lower():
            return unit
    return None


def n_degrees(text: str, ctx: FieldContext) -> Result[float]:
    """Decimal degrees from decimal or DMS text."""
    return parse_degrees(text)


def n_crs(text: str, ctx: FieldContext) -> Result[str]:
    """``wgs84``/``gcj02``/``bd09``."""
    return parse_crs(text)


def header_matches(label: str, synonyms: tuple[str, ...]) -> int:
    """Score how well a header path matches a column's synonyms: 3 full path,
    2 last part, 1 first part, 0 none (brackets ignored)."""
    keys = {header_key(s) for s in synonyms}
    base, _ = split_header(label)
    if base in keys or label in keys:
        return 3
    parts = base.split("/")
    if parts[-1] in keys:
        return 2
    if parts[0] in keys:
        return 1
    return 0


# ---- enumerations (cell text → a fixed value) ------------------------------------------


@dataclass(frozen=True)
class Choice:
    """One accepted value of an enumerated column.

    Attributes:
        value: what the row gets (a model choice value such as ``"specialised"``, or a bool).
        label: the Chinese label clerks see in templates and error messages (``专业``).
        synonyms: other spellings clerks write (``专业队``, ``专业救援队伍``).
    """

    value: Any
    label: str
    synonyms: tuple[str, ...] = ()

    def spellings(self) -> tuple[str, ...]:
        """Label and synonyms, keyed like headers (NFKC, no whitespace, lower case)."""
        return tuple(header_key(s).lower() for s in (self.label, *self.synonyms))


def n_choice(what: str, options: tuple[Choice, ...]) -> Normaliser:
    """A normaliser for an enumerated column (``what`` names it in messages: ``队伍类型``).

    Matching, after NFKC and whitespace removal, case-insensitive: an exact label or
    synonym first; else the longest label or synonym occurring inside the cell (ties: the
    option declared first), with a warning naming the interpretation
    (``县综合性消防救援队`` → 综合性; ``不可调用`` → 否 although it contains ``可调用``).
    Anything else is an error listing the accepted labels in declared order.

    Returns:
        ``(text, FieldContext) -> Result`` whose value is the option's ``value``.
    """
    exact: dict[str, Any] = {}
    for option in options:
        for key in option.spellings():
            exact.setdefault(key, option.value)
    accepted = "、".join(o.label for o in options)
    contained = sorted(
        ((spelling, option) for option in options for spelling in option.spellings() if spelling),
        key=lambda pair: -len(pair[0]),  # stable: ties keep the declared order
    )

    def normalise(text: str, ctx: FieldContext) -> Result[Any]:
        key = header_key(text).lower()
        if not key:
            return fail("空值 (empty)")
        if key in exact:
            return ok(exact[key])
        for spelling, option in contained:
            if spelling in key:
                return ok(
                    option.value, (f"“{clean_text(text)}”按“{option.label}”识别 (read as {option.label})",)
                )
        return fail(
            f"无法识别的{what}“{clean_text(text)}”,可填: {accepted} (unknown value; accepted: {accepted})"
        )

    return normalise


def choice_labels(options: tuple[Choice, ...]) -> dict[Any, str]:
    """``{value: label}`` of an enumeration (for templates and documentation)."""
    return {o.value: o.label for o in options}


# ---- shelf life and supply class ------------------------------------------------------

_SHELF_UNITS = {"天": "day", "日": "day", "d": "day", "个月": "month", "月": "month", "年": "year"}
_NO_SHELF_LIFE = {"长期", "无", "不限", "无限期", "永久", "-", "/", "—", "无保质期", "长期有效"}
_SHELF_RE = re.compile(r"^(.*?)\s*(天|日|d|个月|月|年)?$", re.IGNORECASE)


def n_shelf_life_days(text: str, ctx: FieldContext) -> Result[int | None]:
    """Shelf life (保质期) as whole days: ``730``/``730天`` (days), ``24个月``/``24月``
    (months × 365/12, rounded half up: 24 → 730), ``2年`` (years × 365); a bare number
    takes the unit in the header's brackets (``保质期(月)``). ``长期``/``无``/``/`` mean no
    shelf life (None).

    Errors: a bare number without a unit anywhere, not a number, zero or negative.
    """
    value = numeric_text(text).replace(" ", "")
    if value in _NO_SHELF_LIFE:
        return ok(None)
    m = _SHELF_RE.match(value)
    number, unit_text = (m.group(1), m.group(2)) if m else (value, None)
    unit = _SHELF_UNITS.get((unit_text or "").lower()) or _SHELF_UNITS.get(
        (ctx.unit_hint or "").strip().lower()
    )
    if unit is None:
        return fail(
            "保质期须注明单位,如“24个月”“730天”,或在表头写“保质期(月)” (unit missing: days/months/years)"
        )
    res = parse_decimal(number)
    if not res.valid or res.value is None:
        return Result(False, None, res.warnings, res.error)
    if res.value <= 0:
        return fail(f"保质期须大于0 (shelf life must be positive: {format_decimal(res.value)})")
    factor = {"day": Decimal(1), "month": Decimal(365) / Decimal(12), "year": Decimal(365)}[unit]
    days = (res.value * factor).to_integral_value(rounding=ROUND_HALF_UP)
    if unit == "day" and days != res.value:
        return fail(f"保质期天数须为整数 (whole days: {format_decimal(res.value)})")
    if days < 1 or days > 365 * 100:
        return fail(
            f"保质期超出范围 (out of range: {format_decimal(res.value)} {unit_text or ctx.unit_hint})"
        )
    return ok(int(days), res.warnings)


_CLASS_RE = re.compile(r"^(?:第)?(\d{1,2})(?:类)?[\s.、:-]*(.*)$")


def n_supply_class(text: str, ctx: FieldContext) -> Result[str]:
    """Two-digit code of the emergency-supplies class (13 classes, provisional list in
    :mod:`yingji.engines.resources.catalogue`): ``05``, ``5``, ``05类``, ``临时食宿类``,
    ``临时食宿``, ``05 临时食宿类`` (code and name must then agree).

    Errors: unknown code or name (message lists the classes), code and name disagreeing.
    """
    value = clean_text(text)
    compact = value.replace(" ", "")
    names = {c.code: c.name for c in CLASSES}
    listing = "、".join(f"{c.code}{c.name}" for c in CLASSES)
    m = _CLASS_RE.match(numeric_text(value))
    if m:
        code = m.group(1).zfill(2)
        if code not in names:
            return fail(f"没有编码为{code}的物资分类,可填: {listing} (unknown class code)")
        rest = m.group(2).replace(" ", "")
        if rest and _class_by_name(rest) != code:
            return fail(f"分类编码{code}({names[code]})与名称“{rest}”不一致 (class code and name disagree)")
        return ok(code)
    code = _class_by_name(compact)
    if code is None:
        return fail(f"无法识别的物资分类“{value}”,可填: {listing} (unknown class)")
    return ok(code)


def _class_by_name(name: str) -> str | None:
    for c in CLASSES:
        if name in (c.name, c.name.removesuffix("类")):
            return c.code
    return None
