"""Import target of the ``supply-items`` kind (应急物资目录 → :class:`SupplyItem`).

Rows: 物资编码 (duplicate key), 物资名称, 物资分类 (one of the 13 classes by code or name, read by
the engine; the class must be loaded: ``services.ensure_supply_classes``), 计量单位, 规格型号,
保质期 (days; months/years converted by the engine), 存储要求. The catalogue is county-wide
reference data: importing needs ``resources.add_supplyitem`` for the whole county (a
township-scoped grant is refused row by row). Stored through ``services.create_supply_item``
(audited).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.imports.registry import RowChecks, scope_allows
from yingji.apps.resources import services
from yingji.apps.resources.imports.common import Fields, choice_display, county_code, hooks, validate_model
from yingji.apps.resources.models import SupplyClass, SupplyItem
from yingji.engines.resources.catalogue import class_by_code

KIND = "supply-items"
PERMISSION = "resources.add_supplyitem"
TEMPLATE_COLUMNS = ("物资编码", "物资名称", "物资分类", "计量单位", "规格型号", "保质期(月)", "存储要求")
FIELD_COLUMN = {
    "code": "code",
    "name": "name",
    "supply_class": "supply_class",
    "unit": "unit",
    "specification": "specification",
    "shelf_life_days": "shelf_life_days",
    "storage_requirements": "storage_requirements",
}


def _supply_class(code: Any) -> str:
    """``05`` → ``05 临时食宿类`` (the engine's class list); unknown codes as they are."""
    found = class_by_code(str(code))
    return f"{code} {found.name}" if found else str(code)


def _days(days: Any) -> str:
    """Shelf life in days with its unit: ``1825`` → ``1825 天``."""
    return gettext("%(days)s 天") % {"days": days}


def existing_keys(keys: Sequence[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """Item codes already in the catalogue: ``{(code,): "已登记的物资 CODE 名称(单位)"}``."""
    codes = {k[0] for k in keys if k and k[0]}
    return {
        (code,): f"已登记的物资 {code} {name}({unit})"
        for code, name, unit in SupplyItem.objects.filter(code__in=codes).values_list("code", "name", "unit")
    }


def build(rows: Sequence[Mapping[str, Any]], *, actor: Any) -> tuple[RowChecks, dict[int, Fields]]:
    """County-wide scope for ``resources.add_supplyitem``, the class is loaded, the model is valid
    (code characters, lengths, shelf life ≥ 1 day).

    Returns:
        The row checks and ``{row: fields for services.create_supply_item}`` of the valid rows.
    """
    checks = RowChecks()
    classes = {c.code: c for c in SupplyClass.objects.all()}
    county_wide = scope_allows(actor, PERMISSION, county_code())
    out: dict[int, Fields] = {}
    for item in rows:
        row, values = int(item["row"]), item["values"]
        if not county_wide:
            checks.error(row, "code", "物资目录为全县共用,只有县级权限可以导入 (county-wide catalogue)")
            continue
        klass = classes.get(str(values.get("supply_class") or ""))
        if klass is None:
            checks.error(
                row,
                "supply_class",
                f"平台尚未加载物资分类{values.get('supply_class')},请联系管理员 (class not loaded)",
            )
            continue
        fields: Fields = {
            "code": values.get("code") or "",
            "name": values.get("name") or "",
            "supply_class": klass,
            "unit": values.get("unit") or "",
            "specification": values.get("specification") or "",
            "shelf_life_days": values.get("shelf_life_days"),
            "storage_requirements": values.get("storage_requirements") or "",
            "is_demo": False,
        }
        if validate_model(checks, row, SupplyItem(**fields), FIELD_COLUMN, exclude=("supply_class",)):
            out[row] = fields
    return checks, out


HOOKS = hooks(build, services.create_supply_item, FIELD_COLUMN, lambda i: i.code)


def register() -> None:
    """Register ``supply-items`` with the core import registry."""
    HOOKS.register(
        KIND,
        label=_("应急物资目录"),
        permission=PERMISSION,
        existing_keys=existing_keys,
        template_columns=TEMPLATE_COLUMNS,
        display=choice_display({}, supply_class=_supply_class, shelf_life_days=_days),
    )
