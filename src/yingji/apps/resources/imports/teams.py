"""Import target of the ``rescue-teams`` kind (救援队伍名录 → :class:`RescueTeam`).

Rows: 队伍名称, 队伍类型 (综合性 / 专业 / 社会), 专业方向, 技能标签, 编制人数, 状态 (待命 / 出动 /
不可用; blank = 待命), 联系人, 所属单位 (a registered organisation), 所在区划 (base township, or
the county; blank = the county), 地址, 经度/纬度 (inside the county), 联系电话.

Duplicates: name + division (engine key, within the file and against stored teams). Team
names must also be unique across divisions, because member rosters and equipment refer to
teams by name: a name registered (or earlier in the file) in another division is a row error.
Stored through ``services.create_rescue_team`` (audited), permission ``resources.add_rescueteam``.
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
    choice_display,
    county_code,
    division_in_scope,
    divisions_for,
    hooks,
    organization_of,
    organizations_by_name,
    validate_model,
)
from yingji.apps.resources.models import RescueTeam

KIND = "rescue-teams"
PERMISSION = "resources.add_rescueteam"
TEMPLATE_COLUMNS = (
    "队伍名称",
    "队伍类型",
    "专业方向",
    "技能标签",
    "编制人数",
    "状态",
    "联系人",
    "联系电话",
    "所属单位",
    "所在区划",
    "地址",
    "经度",
    "纬度",
    "坐标系",
)
FIELD_COLUMN = {
    "name": "name",
    "kind": "kind",
    "specialty": "specialty",
    "skills": "skills",
    "member_count": "member_count",
    "readiness": "readiness",
    "contact_name": "contact_name",
    **LOCATED_COLUMNS,
}


def existing_keys(keys: Sequence[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """(name, division code) already registered; a blank division means the county."""
    names = {k[0] for k in keys if k and k[0]}
    county = county_code()
    out: dict[tuple[str, ...], str] = {}
    for name, code, division in RescueTeam.objects.filter(name__in=names).values_list(
        "name", "division__code", "division__name"
    ):
        reference = f"已登记的救援队伍 {name}({division})"
        out[(name, code)] = reference
        if code == county:
            out[(name, "")] = reference
    return out


def build(rows: Sequence[Mapping[str, Any]], *, actor: Any) -> tuple[RowChecks, dict[int, Fields]]:
    """Resolve division (scope of ``resources.add_rescueteam``) and organisation, keep team
    names unique across divisions, validate the model (point inside the county, phone).

    Returns:
        The row checks and ``{row: fields for services.create_rescue_team}`` of the valid rows.
    """
    checks = RowChecks()
    divisions = divisions_for(rows)
    orgs = organizations_by_name(rows)
    names = {str(r["values"].get("name")) for r in rows}
    stored = {
        name: division
        for name, division in RescueTeam.objects.filter(name__in=names).values_list("name", "division__name")
    }
    seen: dict[str, int] = {}
    out: dict[int, Fields] = {}
    for item in rows:
        row, values = int(item["row"]), item["values"]
        name = str(values.get("name") or "")
        division = division_in_scope(
            checks, row, values, divisions, actor=actor, permission=PERMISSION, what="救援队伍"
        )
        if division is None:
            continue
        if name in stored:
            checks.error(
                row,
                "name",
                f"已有同名救援队伍({stored[name]});队员和装备按队伍名称关联,名称须唯一 (team name taken)",
            )
            continue
        if name in seen:
            checks.error(
                row, "name", f"与第{seen[name]}行队伍同名;队伍名称须唯一 (same name as row {seen[name]})"
            )
            continue
        seen[name] = row
        found, org = organization_of(checks, row, values, orgs)
        if not found:
            continue
        member_count = values.get("member_count")
        fields: Fields = {
            "name": name,
            "kind": values.get("kind") or "",
            "specialty": values.get("specialty") or "",
            "skills": values.get("skills") or "",
            "member_count": 0 if member_count is None else member_count,
            "readiness": values.get("readiness") or RescueTeam.Readiness.READY,
            "contact_name": values.get("contact_name") or "",
            "division": division,
            "organization": org,
            "address": values.get("address") or "",
            "lon": values.get("lng"),
            "lat": values.get("lat"),
            "phone": values.get("phone") or "",
            "is_demo": False,
        }
        obj = RescueTeam(**fields)
        if validate_model(checks, row, obj, FIELD_COLUMN, exclude=("division", "organization")):
            out[row] = fields
    return checks, out


HOOKS = hooks(build, services.create_rescue_team, FIELD_COLUMN, lambda t: t.name)


def register() -> None:
    """Register ``rescue-teams`` with the core import registry."""
    HOOKS.register(
        KIND,
        label=_("应急救援队伍"),
        permission=PERMISSION,
        existing_keys=existing_keys,
        template_columns=TEMPLATE_COLUMNS,
        display=choice_display({"kind": RescueTeam.Kind.choices, "readiness": RescueTeam.Readiness.choices}),
    )
