"""Import target of the ``enterprises`` kind (企业名录 → :class:`Organization`, kind enterprise).

Registered from ``DirectoryConfig.ready()``. The engine normalises the file (USCC per
GB 32100-2015, townships → 12-digit NBS codes, phones, coordinates → WGS84); here the
rows are checked against the database and stored through
``services.create_organization`` (each audited) inside the import's single transaction.
Duplicates: by USCC (engine key, within the file and against stored organisations),
then by name + division (the organisations' unique constraint).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yingji.apps.audit.services import record_change
from yingji.apps.core.imports.registry import ImportRowError, RowChecks, register_import_kind, scope_allows
from yingji.apps.directory import services
from yingji.apps.directory.models import AdministrativeDivision, Organization, OrganizationKind

KIND = "enterprises"
PERMISSION = "directory.add_organization"
TEMPLATE_COLUMNS = (
    "企业名称",
    "统一社会信用代码",
    "行业",
    "乡镇",
    "地址",
    "法定代表人",
    "联系电话",
    "经度",
    "纬度",
    "坐标系",
)
FIELD_COLUMN = {
    "name": "name",
    "uscc": "uscc",
    "division": "township",
    "address": "address",
    "phone": "phone",
    "lon": "lng",
    "lat": "lat",
}
NOT_STORED = {"industry": "行业", "legal_representative": "法定代表人"}


def divisions_by_code(
    rows: Sequence[Mapping[str, Any]], column: str = "township"
) -> dict[str, AdministrativeDivision]:
    """Newest edition of each division code named in ``column`` of the preview rows."""
    codes = {str(r["values"].get(column)) for r in rows if r["values"].get(column)}
    found: dict[str, AdministrativeDivision] = {}
    for d in AdministrativeDivision.objects.filter(code__in=codes).order_by("code", "edition_year"):
        found[d.code] = d
    return found


def create_rows_in_townships(
    rows: Sequence[Mapping[str, Any]],
    *,
    create: Callable[..., Any],
    build_fields: Callable[[Mapping[str, Any], AdministrativeDivision], dict[str, Any]],
    field_column: Mapping[str, str],
) -> list[Any]:
    """Create one record per preview row through the service ``create`` (inside the import's
    transaction), resolving the row's 乡镇 column to its division first.

    Args:
        rows: ``[{"row": excel row number, "values": {...}}]`` from the preview.
        create: a service taking ``actor`` already bound and the model fields.
        build_fields: ``(values, division) -> model fields``.
        field_column: model field name → import column, to report model errors by column.

    Returns:
        The created records, in row order.

    Raises:
        ImportRowError: a row's township is unknown, or the model rejects the row.
    """
    divisions = divisions_by_code(rows)
    created: list[Any] = []
    for item in rows:
        row, values = int(item["row"]), item["values"]
        division = divisions.get(str(values.get("township")))
        if division is None:
            raise ImportRowError(row, {"township": ["平台中没有该乡镇的区划记录"]})
        try:
            created.append(create(**build_fields(values, division)))
        except ValidationError as exc:
            raise ImportRowError(
                row, {field_column.get(k, k): v for k, v in exc.message_dict.items()}
            ) from exc
    return created


def _fields(values: Mapping[str, Any], division: AdministrativeDivision | None) -> dict[str, Any]:
    return {
        "name": values.get("name") or "",
        "kind": OrganizationKind.ENTERPRISE,
        "division": division,
        "uscc": values.get("uscc") or "",
        "address": values.get("address") or "",
        "phone": values.get("phone") or "",
        "lon": values.get("lng"),
        "lat": values.get("lat"),
        "is_demo": False,
    }


def existing_keys(keys: Sequence[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """USCCs already registered: ``{(uscc,): "已登记的单位 名称 (USCC)"}``."""
    codes = {k[0] for k in keys if k and k[0]}
    return {
        (uscc,): f"已登记的单位 {name} ({uscc})"
        for uscc, name in Organization.objects.filter(uscc__in=codes).values_list("uscc", "name")
    }


def check_rows(rows: Sequence[Mapping[str, Any]], *, actor: Any) -> RowChecks:
    """Database-backed checks: the township is a known division inside the uploader's
    scope for ``directory.add_organization``; name + division is new (in the database
    and earlier in the file); the model's field validation passes. Columns read but not
    stored (行业, 法定代表人) are noted once."""
    checks = RowChecks()
    divisions = divisions_by_code(rows)
    names = {r["values"].get("name") for r in rows if r["values"].get("name")}
    stored = {
        (name, division_id): f"已登记的单位 {name} (#{pk})"
        for pk, name, division_id in Organization.objects.filter(name__in=names).values_list(
            "pk", "name", "division_id"
        )
    }
    seen: dict[tuple[str, int], int] = {}
    unused: set[str] = set()
    for item in rows:
        row, values = int(item["row"]), item["values"]
        unused.update(label for col, label in NOT_STORED.items() if values.get(col))
        division = divisions.get(str(values.get("township")))
        if division is None:
            checks.error(row, "township", "平台中没有该乡镇的区划记录 (division not loaded)")
            continue
        if not scope_allows(actor, PERMISSION, division.code):
            checks.error(row, "township", f"无权登记{division.name}的单位 (outside your scope)")
            continue
        key = (str(values.get("name")), division.pk)
        if key in stored:
            checks.duplicates[row] = stored[key]
            continue
        if key in seen:
            checks.duplicates[row] = seen[key]
            continue
        seen[key] = row
        try:
            Organization(**_fields(values, division)).full_clean(
                exclude=["division", "parent"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                checks.error(row, FIELD_COLUMN.get(field, field), " ".join(messages))
    if unused:
        checks.notes.append(f"{'、'.join(sorted(unused))}列已读取但单位登记不保存 (columns not stored)")
    return checks


def commit(rows: Sequence[Mapping[str, Any]], *, actor: Any, job: Any) -> dict[str, Any]:
    """Create one enterprise organisation per row via ``services.create_organization``
    (audited each), inside the import's transaction.

    Returns:
        ``{"created": n, "ids": [first 50 organisation ids]}``.

    Raises:
        ImportRowError: unknown township or the model rejects the row.
    """
    orgs = create_rows_in_townships(
        rows,
        create=partial(services.create_organization, actor=actor),
        build_fields=_fields,
        field_column=FIELD_COLUMN,
    )
    return {"created": len(orgs), "ids": [o.pk for o in orgs[:50]]}


def register() -> None:
    """Register ``enterprises`` with the core import registry."""
    register_import_kind(
        KIND,
        label=_("企业"),
        permission=PERMISSION,
        commit=commit,
        existing_keys=existing_keys,
        template_columns=TEMPLATE_COLUMNS,
        record_change=record_change,
        check_rows=check_rows,
    )
