"""Import target of the ``equipment`` kind (应急装备台账 → :class:`Equipment`).

Rows: 装备编号 (duplicate key), 装备名称, 装备类别 (车辆 / 排水泵 / 发电机 / 无人机 / 卫星电话 /
其他), 规格型号, 数量 (blank = 1), 状态 (完好 / 使用中 / 维修中 / 报废; blank = 完好), 所属队伍
(a registered team, by name), 存放储备库 (a registered depot, by code or name), 所在区划, 地址,
经度/纬度, 联系电话. The division and point default to the team's (else the depot's, else the
county); a team or depot the uploader cannot see counts as unknown. Stored through
``services.create_equipment`` (audited), permission ``resources.add_equipment`` in the
resolved division.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.imports.registry import RowChecks, scope_allows
from yingji.apps.resources import services
from yingji.apps.resources.imports.common import (
    LOCATED_COLUMNS,
    Fields,
    choice_display,
    divisions_for,
    hooks,
    validate_model,
)
from yingji.apps.resources.models import Depot, Equipment, RescueTeam

KIND = "equipment"
PERMISSION = "resources.add_equipment"
TEMPLATE_COLUMNS = (
    "装备编号",
    "装备名称",
    "装备类别",
    "规格型号",
    "数量",
    "状态",
    "所属队伍",
    "存放储备库",
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
    "kind": "kind",
    "model_spec": "model_spec",
    "quantity": "quantity",
    "status": "status",
    "team": "team",
    "depot": "depot",
    **LOCATED_COLUMNS,
}


def existing_keys(keys: Sequence[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """Equipment codes already registered: ``{(code,): "已登记的装备 CODE 名称"}``."""
    codes = {k[0] for k in keys if k and k[0]}
    return {
        (code,): f"已登记的装备 {code} {name}"
        for code, name in Equipment.objects.filter(code__in=codes).values_list("code", "name")
    }


def _visible(queryset: Any, actor: Any) -> Any:
    """What ``actor`` may see of ``queryset`` (everything for the CLI's system actor)."""
    return queryset if actor is None else queryset.restrict(actor, "view")


def _keepers(
    rows: Sequence[Mapping[str, Any]], actor: Any
) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """``({team name: [teams]}, {depot code or name: [depots]})`` named by the rows."""
    team_names = {str(r["values"]["team"]) for r in rows if r["values"].get("team")}
    depot_refs = {str(r["values"]["depot"]) for r in rows if r["values"].get("depot")}
    teams: dict[str, list[Any]] = {}
    for team in _visible(RescueTeam.objects.select_related("division"), actor).filter(name__in=team_names):
        teams.setdefault(team.name, []).append(team)
    by_code: dict[str, list[Any]] = {}
    by_name: dict[str, list[Any]] = {}
    if depot_refs:
        query = Q(code__in=depot_refs) | Q(name__in=depot_refs)
        for depot in _visible(Depot.objects.select_related("division"), actor).filter(query):
            by_code[depot.code] = [depot]
            by_name.setdefault(depot.name, []).append(depot)
    depots = {ref: by_code.get(ref) or by_name.get(ref, []) for ref in depot_refs}  # a code wins
    return teams, depots


def _one(checks: RowChecks, row: int, column: str, ref: Any, found: dict[str, list[Any]], what: str) -> Any:
    """The single record ``ref`` names, else a row error (unknown / ambiguous); None when blank."""
    if not ref:
        return None
    matches = found.get(str(ref), [])
    if len(matches) == 1:
        return matches[0]
    if not matches:
        checks.error(row, column, f"未登记的{what}“{ref}”,请先登记或清空该列 (unknown {column})")
    else:
        checks.error(row, column, f"有多个{what}名为“{ref}”,请填写编码 (ambiguous {column})")
    return False


def build(rows: Sequence[Mapping[str, Any]], *, actor: Any) -> tuple[RowChecks, dict[int, Fields]]:
    """Resolve team, depot and division (scope of ``resources.add_equipment``), validate the model.

    Returns:
        The row checks and ``{row: fields for services.create_equipment}`` of the valid rows.
    """
    checks = RowChecks()
    divisions = divisions_for(rows)
    teams, depots = _keepers(rows, actor)
    out: dict[int, Fields] = {}
    for item in rows:
        row, values = int(item["row"]), item["values"]
        team = _one(checks, row, "team", values.get("team"), teams, "救援队伍")
        depot = _one(checks, row, "depot", values.get("depot"), depots, "储备库")
        if team is False or depot is False:
            continue
        keeper = team or depot
        if values.get("township"):
            division = divisions.get(str(values["township"]))
        else:
            division = keeper.division if keeper is not None else divisions.get("")
        if division is None:
            checks.error(row, "township", "平台中没有该区划的记录 (division not loaded)")
            continue
        if not scope_allows(actor, PERMISSION, division.code):
            checks.error(row, "township", f"无权登记{division.name}的装备 (outside your scope)")
            continue
        lon, lat = values.get("lng"), values.get("lat")
        if lon is None and lat is None and keeper is not None:
            lon, lat = keeper.lon, keeper.lat
        quantity = values.get("quantity")
        fields: Fields = {
            "code": values.get("code") or "",
            "name": values.get("name") or "",
            "kind": values.get("kind") or "",
            "model_spec": values.get("model_spec") or "",
            "quantity": 1 if quantity is None else quantity,
            "status": values.get("status") or Equipment.Status.READY,
            "team": team,
            "depot": depot,
            "division": division,
            "address": values.get("address") or "",
            "lon": lon,
            "lat": lat,
            "phone": values.get("phone") or "",
            "is_demo": False,
        }
        exclude = ("division", "organization", "team", "depot")
        if validate_model(checks, row, Equipment(**fields), FIELD_COLUMN, exclude=exclude):
            out[row] = fields
    return checks, out


HOOKS = hooks(build, services.create_equipment, FIELD_COLUMN, lambda e: e.code)


def register() -> None:
    """Register ``equipment`` with the core import registry."""
    HOOKS.register(
        KIND,
        label=_("应急装备"),
        permission=PERMISSION,
        existing_keys=existing_keys,
        template_columns=TEMPLATE_COLUMNS,
        display=choice_display({"kind": Equipment.Kind.choices, "status": Equipment.Status.choices}),
    )
