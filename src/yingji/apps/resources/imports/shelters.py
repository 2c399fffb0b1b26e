"""Import target of the ``shelters`` kind (应急避难场所登记表 → :class:`Shelter`).

The engine normalises the file (codes, townships → 12-digit NBS codes, coordinates →
WGS84, capacity, area in m²); here the rows are mapped onto the model, checked against
the database (duplicate codes, the uploader's scope, model validation: the point inside
the county) and stored through ``services.create_shelter`` (each audited) inside the
import's single transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yingji.apps.audit.services import record_change
from yingji.apps.core.imports.registry import RowChecks, register_import_kind, scope_allows
from yingji.apps.directory.imports import create_rows_in_townships, divisions_by_code
from yingji.apps.directory.models import AdministrativeDivision
from yingji.apps.resources import services
from yingji.apps.resources.imports.common import area
from yingji.apps.resources.models import Shelter

KIND = "shelters"
PERMISSION = "resources.add_shelter"
TEMPLATE_COLUMNS = (
    "场所编码",
    "场所名称",
    "场所类型",
    "乡镇",
    "地址",
    "经度",
    "纬度",
    "坐标系",
    "容纳人数",
    "面积(m²)",
)
# model field → engine column (to report model validation errors on the clerk's column)
FIELD_COLUMN = {
    "code": "code",
    "name": "name",
    "kind": "type",
    "division": "township",
    "address": "address",
    "lon": "lng",
    "lat": "lat",
    "capacity_persons": "capacity",
    "area_m2": "area_m2",
}


def shelter_kind(text: str | None) -> str | None:
    """Map the 场所类型 cell to ``Shelter.Kind``: 室内… → indoor, 室外…/blank → outdoor,
    anything else None (an error)."""
    if not text:
        return Shelter.Kind.OUTDOOR
    if "室内" in text:
        return Shelter.Kind.INDOOR
    if "室外" in text or "场地" in text or "广场" in text or "公园" in text:
        return Shelter.Kind.OUTDOOR
    return None


def _fields(values: Mapping[str, Any], division: AdministrativeDivision | None) -> dict[str, Any]:
    return {
        "code": values.get("code") or "",
        "name": values.get("name") or "",
        "kind": shelter_kind(values.get("type")) or "",
        "division": division,
        "address": values.get("address") or "",
        "lon": values.get("lng"),
        "lat": values.get("lat"),
        "capacity_persons": values.get("capacity"),
        "area_m2": area(values.get("area_m2")),
        "is_demo": False,
    }


def existing_keys(keys: Sequence[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """Shelter codes already registered: ``{(code,): "已登记的避难场所 CODE 名称"}``."""
    codes = {k[0] for k in keys if k and k[0]}
    return {
        (code,): f"已登记的避难场所 {code} {name}"
        for code, name in Shelter.objects.filter(code__in=codes).values_list("code", "name")
    }


def check_rows(rows: Sequence[Mapping[str, Any]], *, actor: Any) -> RowChecks:
    """Database-backed checks of engine-valid rows: the township is a known division
    within the uploader's scope for ``resources.add_shelter``, the 场所类型 is indoor or
    outdoor, the area is given (the register requires it), and the model's field
    validation passes (lengths, ranges; no uniqueness queries)."""
    checks = RowChecks()
    divisions = divisions_by_code(rows)
    for item in rows:
        row, values = int(item["row"]), item["values"]
        division = divisions.get(str(values.get("township")))
        if division is None:
            checks.error(row, "township", "平台中没有该乡镇的区划记录 (division not loaded)")
            continue
        if not scope_allows(actor, PERMISSION, division.code):
            checks.error(row, "township", f"无权登记{division.name}的避难场所 (outside your scope)")
            continue
        if not values.get("type"):
            checks.warn(row, "type", "场所类型未填,按室外场地登记 (blank type: outdoor)")
        elif shelter_kind(values["type"]) is None:
            checks.error(row, "type", f"无法识别的场所类型“{values['type']}”,请填写室内场所或室外场地")
            continue
        if values.get("area_m2") is None:
            checks.error(row, "area_m2", "必填项为空:避难场所须登记面积 (area required)")
            continue
        try:
            Shelter(**_fields(values, division)).full_clean(
                exclude=["division", "organization"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                checks.error(row, FIELD_COLUMN.get(field, field), " ".join(messages))
    return checks


def commit(rows: Sequence[Mapping[str, Any]], *, actor: Any, job: Any) -> dict[str, Any]:
    """Create one shelter per row via ``services.create_shelter`` (audited each).

    Called inside the import's transaction; any failure propagates and rolls back all.

    Returns:
        ``{"created": n, "codes": [first 50 codes]}``.

    Raises:
        ImportRowError: a row's township is unknown or the model rejects it.
    """
    shelters = create_rows_in_townships(
        rows,
        create=partial(services.create_shelter, actor=actor),
        build_fields=_fields,
        field_column=FIELD_COLUMN,
    )
    return {"created": len(shelters), "codes": [s.code for s in shelters[:50]]}


def register() -> None:
    """Register ``shelters`` with the core import registry."""
    register_import_kind(
        KIND,
        label=_("应急避难场所"),
        permission=PERMISSION,
        commit=commit,
        existing_keys=existing_keys,
        template_columns=TEMPLATE_COLUMNS,
        record_change=record_change,
        check_rows=check_rows,
    )
