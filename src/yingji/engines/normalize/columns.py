"""Declarative column specs for registry imports, and adapters from the per-value
normalisers to one calling convention ``(text, FieldContext) -> Result``."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from yingji.engines.normalize.coords import parse_crs, parse_degrees
from yingji.engines.normalize.dates import parse_date
from yingji.engines.normalize.ids import parse_citizen_id, parse_sex, parse_uscc
from yingji.engines.normalize.numbers import parse_count
from yingji.engines.normalize.phone import parse_phone
from yingji.engines.normalize.places import Divisions, match_township
from yingji.engines.normalize.result import Result, fail, ok
from yingji.engines.normalize.text import clean_text, code_number_problem, header_key, numeric_text
from yingji.engines.normalize.units import AREA_UNITS, MONEY_UNITS, parse_area, parse_money, parse_quantity


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


def n_quantity(text: str, ctx: FieldContext) -> Result[str]:
    """Non-negative exact decimal string."""
    return parse_quantity(text)


def n_count(text: str, ctx: FieldContext) -> Result[int]:
    """Non-negative whole number of persons."""
    return parse_count(text)


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
