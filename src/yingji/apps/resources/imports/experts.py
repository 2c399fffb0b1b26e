"""Import target of the ``experts`` kind (专家库 → :class:`Expert`).

Rows: 专家姓名, 专业领域, 职称, 可调用 (是/否, 不可调用, 出差...; blank = 是), 可调用说明, 工作单位
(a registered organisation, by name or short name), 所在区划 (blank = the county), 地址,
经度/纬度 (inside the county), 联系电话. Duplicates: name + specialty (within the file and
against stored experts). Stored through ``services.create_expert`` (audited), permission
``resources.add_expert`` in the row's division.
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
    division_in_scope,
    divisions_for,
    hooks,
    organization_of,
    organizations_by_name,
    validate_model,
)
from yingji.apps.resources.models import Expert

KIND = "experts"
PERMISSION = "resources.add_expert"
TEMPLATE_COLUMNS = (
    "专家姓名",
    "专业领域",
    "职称",
    "可调用",
    "可调用说明",
    "工作单位",
    "联系电话",
    "所在区划",
    "地址",
    "经度",
    "纬度",
    "坐标系",
)
FIELD_COLUMN = {
    "name": "name",
    "specialty": "specialty",
    "title": "title",
    "available": "available",
    "availability_note": "availability_note",
    **LOCATED_COLUMNS,
}


def existing_keys(keys: Sequence[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """(name, specialty) already in the roster: ``{key: "已登记的专家 姓名(专业)"}``."""
    wanted = {(k[0], k[1]) for k in keys if len(k) > 1 and k[0]}
    found = Expert.objects.filter(name__in={w[0] for w in wanted}).values_list("name", "specialty")
    return {(n, s): f"已登记的专家 {n}({s})" for n, s in found if (n, s) in wanted}


def build(rows: Sequence[Mapping[str, Any]], *, actor: Any) -> tuple[RowChecks, dict[int, Fields]]:
    """Resolve division (scope of ``resources.add_expert``) and 工作单位, validate the model.

    Returns:
        The row checks and ``{row: fields for services.create_expert}`` of the valid rows.
    """
    checks = RowChecks()
    divisions = divisions_for(rows)
    orgs = organizations_by_name(rows)
    out: dict[int, Fields] = {}
    for item in rows:
        row, values = int(item["row"]), item["values"]
        division = division_in_scope(
            checks, row, values, divisions, actor=actor, permission=PERMISSION, what="专家"
        )
        if division is None:
            continue
        found, org = organization_of(checks, row, values, orgs)
        if not found:
            continue
        available = values.get("available")
        fields: Fields = {
            "name": values.get("name") or "",
            "specialty": values.get("specialty") or "",
            "title": values.get("title") or "",
            "available": True if available is None else bool(available),
            "availability_note": values.get("availability_note") or "",
            "division": division,
            "organization": org,
            "address": values.get("address") or "",
            "lon": values.get("lng"),
            "lat": values.get("lat"),
            "phone": values.get("phone") or "",
            "is_demo": False,
        }
        if validate_model(checks, row, Expert(**fields), FIELD_COLUMN, exclude=("division", "organization")):
            out[row] = fields
    return checks, out


HOOKS = hooks(build, services.create_expert, FIELD_COLUMN, lambda e: f"{e.name}({e.specialty})")


def register() -> None:
    """Register ``experts`` with the core import registry."""
    HOOKS.register(
        KIND,
        label=_("应急专家"),
        permission=PERMISSION,
        existing_keys=existing_keys,
        template_columns=TEMPLATE_COLUMNS,
    )
