"""Column definitions of the registry lists, shared by the list pages and the Excel exports.

Each register: title, selector, columns ``(label, cell function)``, optional
detail URL name and filters ``(query parameter, label, choices, lookup)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from yingji.apps.resources import selectors
from yingji.apps.resources.models import Depot, Equipment, RescueTeam, Shelter

Cell = Callable[[Any], Any]


def _yes(value: bool) -> str:
    return str(_("是") if value else _("否"))


@dataclass(frozen=True)
class Register:
    """A registry list: what to query and which columns to show/export."""

    slug: str
    title: Any
    permission: str
    query: Callable[[Any], Any]
    columns: list[tuple[Any, Cell]]
    detail: str | None = None
    filters: list[tuple[str, Any, list[tuple[str, Any]], str]] = field(default_factory=list)


_LOC: list[tuple[Any, Cell]] = [
    (_("所在区划"), lambda o: o.division.name),
    (_("地址"), lambda o: o.address),
    (_("经度"), lambda o: o.lon),
    (_("纬度"), lambda o: o.lat),
    (_("联系电话"), lambda o: o.phone),
]

REGISTERS: dict[str, Register] = {
    r.slug: r
    for r in (
        Register(
            "depots",
            _("储备库"),
            "resources.view_depot",
            selectors.depots_for,
            [
                (_("编号"), lambda o: o.code),
                (_("名称"), lambda o: o.name),
                (_("储备主体"), lambda o: o.get_owner_kind_display()),
                (_("面积(m²)"), lambda o: o.floor_area_m2),
                *_LOC,
            ],
            "resources:depot-detail",
            [("owner_kind", _("储备主体"), list(Depot.OwnerKind.choices), "owner_kind")],
        ),
        Register(
            "teams",
            _("救援队伍"),
            "resources.view_rescueteam",
            lambda u: selectors.rescue_teams_for(u).prefetch_related("members"),
            [
                (_("名称"), lambda o: o.name),
                (_("类型"), lambda o: o.get_kind_display()),
                (_("专业方向"), lambda o: o.specialty),
                (_("技能标签"), lambda o: "、".join(sorted(selectors.team_skills(o)))),
                (_("编制人数"), lambda o: o.member_count),
                (_("登记队员"), lambda o: len(o.members.all())),
                (_("状态"), lambda o: o.get_readiness_display()),
                (_("联系人"), lambda o: o.contact_name),
                *_LOC,
            ],
            "resources:team-detail",
            [
                ("kind", _("类型"), list(RescueTeam.Kind.choices), "kind"),
                ("readiness", _("状态"), list(RescueTeam.Readiness.choices), "readiness"),
            ],
        ),
        Register(
            "experts",
            _("专家库"),
            "resources.view_expert",
            selectors.experts_for,
            [
                (_("姓名"), lambda o: o.name),
                (_("专业"), lambda o: o.specialty),
                (_("职称"), lambda o: o.title),
                (_("可调用"), lambda o: _yes(o.available)),
                (_("可调用说明"), lambda o: o.availability_note),
                (_("所在区划"), lambda o: o.division.name),
                (_("联系电话"), lambda o: o.phone),
            ],
            None,
            [("available", _("可调用"), [("1", _("是")), ("0", _("否"))], "available")],
        ),
        Register(
            "shelters",
            _("避难场所"),
            "resources.view_shelter",
            selectors.shelters_for,
            [
                (_("编号"), lambda o: o.code),
                (_("名称"), lambda o: o.name),
                (_("类型"), lambda o: o.get_kind_display()),
                (_("容纳人数"), lambda o: o.capacity_persons),
                (_("当前人数"), lambda o: o.occupancy),
                (_("空余"), lambda o: max(o.capacity_persons - o.occupancy, 0)),
                (_("面积(m²)"), lambda o: o.area_m2),
                (_("状态"), lambda o: o.get_status_display()),
                (_("设施"), lambda o: o.facilities),
                (_("无障碍与通达"), lambda o: o.accessibility),
                *_LOC,
            ],
            "resources:shelter-detail",
            [
                ("status", _("状态"), list(Shelter.Status.choices), "status"),
                ("kind", _("类型"), list(Shelter.Kind.choices), "kind"),
            ],
        ),
        Register(
            "equipment",
            _("应急装备"),
            "resources.view_equipment",
            lambda u: selectors.equipment_for(u),
            [
                (_("编号"), lambda o: o.code),
                (_("名称"), lambda o: o.name),
                (_("类别"), lambda o: o.get_kind_display()),
                (_("型号规格"), lambda o: o.model_spec),
                (_("数量"), lambda o: o.quantity),
                (_("状态"), lambda o: o.get_status_display()),
                (_("所属队伍"), lambda o: o.team.name if o.team else ""),
                (_("存放储备库"), lambda o: o.depot.name if o.depot else ""),
                *_LOC,
            ],
            None,
            [
                ("kind", _("类别"), list(Equipment.Kind.choices), "kind"),
                ("status", _("状态"), list(Equipment.Status.choices), "status"),
            ],
        ),
        Register(
            "catalogue",
            _("物资目录"),
            "resources.view_supplyitem",
            selectors.supply_items_for,
            [
                (_("物资编码"), lambda o: o.code),
                (_("物资名称"), lambda o: o.name),
                (_("物资分类"), lambda o: str(o.supply_class)),
                (_("计量单位"), lambda o: o.unit),
                (_("规格型号"), lambda o: o.specification),
                (_("保质期(天)"), lambda o: o.shelf_life_days),
                (_("存储要求"), lambda o: o.storage_requirements),
            ],
        ),
        Register(
            "members",
            _("救援队员"),
            "resources.view_teammember",
            selectors.members_for,
            [
                (_("姓名"), lambda o: o.name),
                (_("所属队伍"), lambda o: o.team.name),
                (_("身份证号"), lambda o: o.masked_id),
                (_("性别"), lambda o: o.sex),
                (_("出生日期"), lambda o: o.birth_date),
                (_("联系电话"), lambda o: o.phone),
                (_("职务"), lambda o: o.position),
                (_("专业技能"), lambda o: o.skills),
            ],
        ),
        Register(
            "lots",
            _("库存批次"),
            "resources.view_stocklot",
            lambda u: selectors.lots_for(u).filter(quantity_on_hand__gt=0),
            [
                (_("储备库"), lambda o: o.depot.name),
                (_("物资编码"), lambda o: o.item.code),
                (_("物资名称"), lambda o: o.item.name),
                (_("计量单位"), lambda o: o.item.unit),
                (_("批次"), lambda o: o.batch),
                (_("生产日期"), lambda o: o.production_date),
                (_("有效期至"), lambda o: o.expiry_date),
                (_("库位"), lambda o: o.location),
                (_("账面数量"), lambda o: o.quantity_on_hand),
                (_("已预留"), lambda o: o.quantity_reserved),
            ],
            "resources:lot-detail",
        ),
    )
}


def filtered(register: Register, user: Any, params: Any) -> Any:
    """The register's rows for ``user`` with the query-string filters applied (unknown values ignored)."""
    qs = register.query(user)
    for param, _label, choices, lookup in register.filters:
        value = params.get(param)
        if value and value in {c[0] for c in choices}:
            qs = qs.filter(**{lookup: (value == "1") if lookup == "available" else value})
    division = params.get("within")
    if division and division.isdigit() and hasattr(qs.model, "restrict_division_field"):
        path = qs.model.restrict_division_field
        if path:
            qs = qs.filter(**{f"{path}__code__startswith": division})
    return qs
