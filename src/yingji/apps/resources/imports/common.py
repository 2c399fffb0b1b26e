"""Shared helpers of the resources import targets: divisions (a blank 所在区划 is the county),
organisations by name, model validation mapped to the clerk's columns, and the commit loop.

A target describes each row with a ``build(rows, *, actor) -> (RowChecks, {row: model fields})``
function; :func:`hooks` turns it into the registry's ``check_rows`` and ``commit`` so that the
preview and the commit run exactly the same checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from yingji.apps.audit.services import record_change
from yingji.apps.core.imports.registry import ImportRowError, RowChecks, register_import_kind, scope_allows
from yingji.apps.directory.imports import divisions_by_code
from yingji.apps.directory.models import AdministrativeDivision, Organization
from yingji.apps.resources.services.common import county_code

Row = Mapping[str, Any]
Fields = dict[str, Any]
Build = Callable[..., tuple[RowChecks, dict[int, Fields]]]
Display = Callable[[str, Any], "str | None"]

_CENT = Decimal("0.01")

# model field → engine column of the located registries (to report model errors on the clerk's column)
LOCATED_COLUMNS = {
    "division": "township",
    "organization": "organization",
    "address": "address",
    "lon": "lng",
    "lat": "lat",
    "phone": "phone",
}


def divisions_for(rows: Sequence[Row], column: str = "township") -> dict[str, AdministrativeDivision]:
    """Newest edition of every division code named in ``column``, plus the county under ``""``
    (what a blank 所在区划 means)."""
    found = divisions_by_code(rows, column)
    county = AdministrativeDivision.objects.filter(code=county_code()).order_by("-edition_year").first()
    if county is not None:
        found[""] = county
        found.setdefault(county.code, county)
    return found


def division_of(values: Mapping[str, Any], divisions: Mapping[str, AdministrativeDivision]) -> Any:
    """The row's division (the county when 所在区划 is blank), or None when it is not loaded."""
    return divisions.get(str(values.get("township") or ""))


def organizations_by_name(rows: Sequence[Row], column: str = "organization") -> dict[str, list[Organization]]:
    """Organisations whose name or short name is named in ``column``: ``{text: [matches]}``."""
    names = {str(r["values"].get(column)) for r in rows if r["values"].get(column)}
    if not names:
        return {}
    out: dict[str, list[Organization]] = {}
    for org in Organization.objects.filter(models.Q(name__in=names) | models.Q(short_name__in=names)):
        for key in {org.name, org.short_name} & names:
            out.setdefault(key, []).append(org)
    return out


def organization_of(
    checks: RowChecks, row: int, values: Mapping[str, Any], orgs: Mapping[str, list[Organization]]
) -> tuple[bool, Organization | None]:
    """Resolve the 所属单位 cell: ``(ok, organisation or None)``; an unknown or ambiguous name
    is a row error on ``organization`` (``ok`` False)."""
    name = values.get("organization")
    if not name:
        return True, None
    matches = orgs.get(str(name), [])
    if not matches:
        checks.error(
            row,
            "organization",
            f"平台中没有单位“{name}”,请先在单位名录登记或清空该列 (unknown organisation)",
        )
        return False, None
    if len(matches) > 1:
        where = "、".join(sorted(f"{o.name}(#{o.pk})" for o in matches))
        checks.error(row, "organization", f"有多个单位名为“{name}”: {where},请写全称 (ambiguous)")
        return False, None
    return True, matches[0]


def area(value: Any) -> Decimal | None:
    """An area string in m² from the engine, rounded to cents (the registers keep 2 places)."""
    if value is None:
        return None
    try:
        return Decimal(str(value)).quantize(_CENT, rounding=ROUND_HALF_EVEN)
    except InvalidOperation:
        return None


def error_messages(exc: ValidationError, field_column: Mapping[str, str]) -> dict[str, list[str]]:
    """``{engine column: [messages]}`` of a model ``ValidationError`` (fields mapped to columns)."""
    if not hasattr(exc, "error_dict"):
        return {"__all__": list(exc.messages)}
    out: dict[str, list[str]] = {}
    for field, messages in exc.message_dict.items():
        out.setdefault(field_column.get(field, field), []).extend(messages)
    return out


def validate_model(
    checks: RowChecks,
    row: int,
    obj: models.Model,
    field_column: Mapping[str, str],
    exclude: Iterable[str] = (),
) -> bool:
    """``full_clean`` ``obj`` without uniqueness queries (foreign keys in ``exclude`` are
    already resolved); errors are added to ``checks`` on the clerk's columns. Returns
    True when valid."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for column, messages in error_messages(exc, field_column).items():
            checks.error(row, column, " ".join(messages))
        return False
    return True


def division_in_scope(
    checks: RowChecks,
    row: int,
    values: Mapping[str, Any],
    divisions: Mapping[str, AdministrativeDivision],
    *,
    actor: Any,
    permission: str,
    what: str,
) -> AdministrativeDivision | None:
    """The row's division when it is loaded and inside ``actor``'s scope for ``permission``;
    otherwise None with a row error on 所在区划 (``what`` names the register, e.g. 储备库)."""
    division = division_of(values, divisions)
    if division is None:
        checks.error(row, "township", "平台中没有该区划的记录 (division not loaded)")
        return None
    if not scope_allows(actor, permission, division.code):
        checks.error(row, "township", f"无权登记{division.name}的{what} (outside your scope)")
        return None
    return division


def choice_display(
    columns: Mapping[str, Iterable[tuple[Any, Any]]], **formatters: Callable[[Any], str]
) -> Display:
    """The registry's ``display(column, value)`` hook of a target: the model choice label of
    ``columns`` (``{engine column: choices}``, e.g. ``{"owner_kind": Depot.OwnerKind.choices}``:
    ``bureau`` → 应急管理局, translated when shown), ``formatters[column](value)`` for other
    columns, None (the core default) for the rest and for unknown codes."""
    labels = {column: dict(choices) for column, choices in columns.items()}

    def display(column: str, value: Any) -> str | None:
        if column in labels:
            label = labels[column].get(value)
            return None if label is None else str(label)
        formatter = formatters.get(column)
        return None if formatter is None else formatter(value)

    return display


@dataclass(frozen=True)
class Hooks:
    """The registry hooks made from a target's ``build`` function."""

    check_rows: Callable[..., RowChecks]
    commit: Callable[..., dict[str, Any]]

    def register(
        self,
        kind: str,
        *,
        label: Any,
        permission: str,
        existing_keys: Callable[..., Any],
        template_columns: Sequence[str],
        display: Display | None = None,
    ) -> None:
        """Register ``kind`` with the core import registry using these hooks (audited through
        ``audit.services.record_change``); ``display`` labels stored values on the preview page
        (see :func:`choice_display`)."""
        register_import_kind(
            kind,
            label=label,
            permission=permission,
            commit=self.commit,
            existing_keys=existing_keys,
            template_columns=template_columns,
            record_change=record_change,
            check_rows=self.check_rows,
            display=display,
        )


def hooks(
    build: Build,
    create: Callable[..., Any],
    field_column: Mapping[str, str],
    label: Callable[[Any], Any],
) -> Hooks:
    """``check_rows`` and ``commit`` for a target.

    Args:
        build: ``build(rows, *, actor) -> (RowChecks, {row: model fields})``; fields only for
            rows without errors or duplicates.
        create: the service creating one record, ``create(*, actor, **fields)`` (audited).
        field_column: model field → engine column, for errors raised by the service.
        label: what ``commit`` lists of the first 50 created records (code, name...).
    """

    def check_rows(rows: Sequence[Row], *, actor: Any) -> RowChecks:
        checks, _fields = build(rows, actor=actor)
        return checks

    def commit(rows: Sequence[Row], *, actor: Any, job: Any) -> dict[str, Any]:
        """Create one record per row (each audited) inside the import's transaction.

        Raises:
            ImportRowError: a row no longer passes the checks, or the service refuses it;
                the whole import rolls back.
        """
        checks, fields = build(rows, actor=actor)
        created = []
        for item in rows:
            row = int(item["row"])
            if row in checks.errors:
                raise ImportRowError(row, {c: [m] for c, m in checks.errors[row]})
            if row in checks.duplicates or row not in fields:
                raise ImportRowError(row, {"__all__": [f"重复: {checks.duplicates.get(row)} (duplicate)"]})
            try:
                created.append(create(actor=actor, **fields[row]))
            except ValidationError as exc:
                raise ImportRowError(row, error_messages(exc, field_column)) from exc
        return {"created": len(created), "records": [label(obj) for obj in created[:50]]}

    return Hooks(check_rows, commit)
