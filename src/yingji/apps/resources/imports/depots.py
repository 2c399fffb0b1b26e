"""Import target of the ``depots`` kind (储备库名录 → :class:`Depot`).

Rows: 储备库编码 (duplicate key, also against stored depots), 储备库名称, 储备主体 (协议储备 /
应急管理局 / 乡镇 / 部门 / 企业, read by the engine), 面积, 所属单位 (an organisation registered in
the directory, by name or short name), 所在区划 (a township or the county; blank = the
county), 地址, 经度/纬度 (WGS84 after conversion; must lie inside the county), 联系电话.
Stored through ``services.create_depot`` (audited) with permission ``resources.add_depot``
in the row's division.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from yingji.apps.core.imports.registry import RowChecks
from yingji.apps.resources import services
from yingji.apps.resources.imports.common import (
    LOCATED_COLUMNS,
    Fields,
    area,
    choice_display,
    division_in_scope,
    divisions_for,
    hooks,
    organization_of,
    organizations_by_name,
    validate_model,
)
from yingji.apps.resources.models import Depot

KIND = "depots"
PERMISSION = "resources.add_depot"
TEMPLATE_COLUMNS = (
    "储备库编码",
    "储备库名称",
    "储备主体",
    "面积(m²)",
    "所属单位",
    "所在区划",
    "地址",
    "经度",
    "纬度",
    "坐标系",
    "联系电话",
)
FIELD_COLUMN = {
    "code": "code",
    "name": "name",
    "owner_kind": "owner_kind",
    "floor_area_m2": "floor_area_m2",
    **LOCATED_COLUMNS,
}


def existing_keys(keys: Sequence[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """Depot codes already registered: ``{(code,): "已登记的储备库 CODE 名称"}``."""
    codes = {k[0] for k in keys if k and k[0]}
    return {
        (code,): f"已登记的储备库 {code} {name}"
        for code, name in Depot.objects.filter(code__in=codes).values_list("code", "name")
    }


def build(rows: Sequence[Mapping[str, Any]], *, actor: Any) -> tuple[RowChecks, dict[int, Fields]]:
    """Resolve each row's division (in the uploader's scope for ``resources.add_depot``) and
    organisation, and validate the depot model (point inside the county, phone, lengths).

    Returns:
        The row checks and ``{row: fields for services.create_depot}`` of the valid rows.
    """
    checks = RowChecks()
    divisions = divisions_for(rows)
    orgs = organizations_by_name(rows)
    out: dict[int, Fields] = {}
    for item in rows:
        row, values = int(item["row"]), item["values"]
        division = division_in_scope(
            checks, row, values, divisions, actor=actor, permission=PERMISSION, what="储备库"
        )
        if division is None:
            continue
        found, org = organization_of(checks, row, values, orgs)
        if not found:
            continue
        fields: Fields = {
            "code": values.get("code") or "",
            "name": values.get("name") or "",
            "owner_kind": values.get("owner_kind") or "",
            "floor_area_m2": area(values.get("floor_area_m2")),
            "division": division,
            "organization": org,
            "address": values.get("address") or "",
            "lon": values.get("lng"),
            "lat": values.get("lat"),
            "phone": values.get("phone") or "",
            "is_demo": False,
        }
        if validate_model(checks, row, Depot(**fields), FIELD_COLUMN, exclude=("division", "organization")):
            out[row] = fields
    return checks, out


HOOKS = hooks(build, services.create_depot, FIELD_COLUMN, lambda d: d.code)


def register() -> None:
    """Register ``depots`` with the core import registry."""
    HOOKS.register(
        KIND,
        label=_("应急物资储备库"),
        permission=PERMISSION,
        existing_keys=existing_keys,
        template_columns=TEMPLATE_COLUMNS,
        display=choice_display({"owner_kind": Depot.OwnerKind.choices}),
    )
