"""Import targets of the ``shelters`` (应急避难场所登记表 → :class:`Shelter`), ``depot-stock``
(库存表 → stock receipts through the ledger) and ``rescue-team-members`` (队员名册 →
:class:`TeamMember`) kinds.

Registered from ``ResourcesConfig.ready()``. The engine normalises the file (codes,
townships → 12-digit NBS codes, coordinates → WGS84, capacity, area in m²); here the
rows are mapped onto the model, checked against the database (duplicate codes, the
uploader's scope, model validation) and stored through ``services.create_shelter``
(each audited) inside the import's single transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError

from yingji.apps.audit.services import record_change
from yingji.apps.core.imports.registry import ImportRowError, RowChecks, register_import_kind, scope_allows
from yingji.apps.directory.imports import create_rows_in_townships, divisions_by_code
from yingji.apps.directory.models import AdministrativeDivision
from yingji.apps.resources import services
from yingji.apps.resources.models import Depot, RescueTeam, Shelter, StockLot, SupplyItem, TeamMember

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
_CENT = Decimal("0.01")


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


def _area(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value)).quantize(_CENT, rounding=ROUND_HALF_EVEN)
    except InvalidOperation:
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
        "area_m2": _area(values.get("area_m2")),
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


# ---- depot-stock: each row is a receipt into a depot lot (ledger row + running balance) --------

STOCK_KIND = "depot-stock"
STOCK_PERMISSION = "resources.add_stockmovement"
STOCK_TEMPLATE_COLUMNS = (
    "仓库编码",
    "物资编码",
    "物资名称",
    "计量单位",
    "数量",
    "批次",
    "生产日期",
    "有效期至",
)


def _stock_key(values: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        str(values.get("depot_code") or ""),
        str(values.get("item_code") or ""),
        str(values.get("batch") or ""),
    )


def stock_existing_keys(keys: Sequence[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """(depot code, item code, batch) already held as a lot: a re-import would count the stock twice."""
    wanted = {(str(k[0] or ""), str(k[1] or ""), str(k[2] or "") if len(k) > 2 else ""): k for k in keys}
    found = StockLot.objects.filter(
        depot__code__in={w[0] for w in wanted}, item__code__in={w[1] for w in wanted}
    ).values_list("depot__code", "item__code", "batch")
    return {
        wanted[hit]: f"已入库的批次 {hit[0]}/{hit[1]}/{hit[2] or '-'}(请用入库或盘点调整)"
        for hit in found
        if hit in wanted
    }


def stock_check_rows(rows: Sequence[Mapping[str, Any]], *, actor: Any) -> RowChecks:
    """Depot and item codes exist, the unit matches the catalogue, the depot is within the
    uploader's scope for ``resources.add_stockmovement``; a differing item name is a warning."""
    checks = RowChecks()
    depots = {
        d.code: d
        for d in Depot.objects.select_related("division").filter(
            code__in={str(r["values"].get("depot_code")) for r in rows}
        )
    }
    items = {
        i.code: i
        for i in SupplyItem.objects.filter(code__in={str(r["values"].get("item_code")) for r in rows})
    }
    for entry in rows:
        row, values = int(entry["row"]), entry["values"]
        depot = depots.get(str(values.get("depot_code")))
        item = items.get(str(values.get("item_code")))
        if depot is None:
            checks.error(row, "depot_code", f"未登记的仓库编码“{values.get('depot_code')}” (unknown depot)")
        elif not scope_allows(actor, STOCK_PERMISSION, depot.division.code):
            checks.error(row, "depot_code", f"无权为{depot.name}入库 (outside your scope)")
        if item is None:
            checks.error(
                row,
                "item_code",
                f"物资目录中没有编码“{values.get('item_code')}”,请先在物资目录登记 (unknown item)",
            )
            continue
        if values.get("unit") and str(values["unit"]) != item.unit:
            checks.error(row, "unit", f"计量单位“{values['unit']}”与物资目录的“{item.unit}”不一致")
        if values.get("item_name") and str(values["item_name"]) != item.name:
            checks.warn(row, "item_name", f"物资名称与目录不同,按目录“{item.name}”入库")
        try:
            if Decimal(str(values.get("quantity"))) <= 0:
                checks.error(row, "quantity", "数量须大于0")
        except InvalidOperation:
            checks.error(row, "quantity", "数量无效")
    return checks


def stock_commit(rows: Sequence[Mapping[str, Any]], *, actor: Any, job: Any) -> dict[str, Any]:
    """Receive every row through ``services.receive_stock`` (ledger row + lot balance, audited).

    Raises:
        ImportRowError: unknown depot/item, or the ledger refuses the row (dates, quantity).
    """
    depots = {
        d.code: d for d in Depot.objects.filter(code__in={str(r["values"].get("depot_code")) for r in rows})
    }
    items = {
        i.code: i
        for i in SupplyItem.objects.filter(code__in={str(r["values"].get("item_code")) for r in rows})
    }
    reference = f"IMPORT-{getattr(job, 'pk', '')}"[:64]
    count = 0
    for entry in rows:
        row, values = int(entry["row"]), entry["values"]
        depot_code, item_code, batch = _stock_key(values)
        depot, item = depots.get(depot_code), items.get(item_code)
        if depot is None or item is None:
            raise ImportRowError(row, {"depot_code" if depot is None else "item_code": ["未登记的编码"]})
        try:
            services.receive_stock(
                actor=actor,
                depot=depot,
                item=item,
                quantity=values.get("quantity"),
                batch=batch,
                production_date=values.get("production_date"),
                expiry_date=values.get("expiry_date"),
                reference=reference,
                note="Excel导入",
            )
        except ValidationError as exc:
            raise ImportRowError(
                row, exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            ) from exc
        count += 1
    return {"created": count}


# ---- rescue-team-members ----------------------------------------------------------------------

MEMBER_KIND = "rescue-team-members"
MEMBER_PERMISSION = "resources.add_teammember"
MEMBER_TEMPLATE_COLUMNS = ("姓名", "身份证号", "性别", "出生日期", "联系电话", "所属队伍", "专业技能", "乡镇")
MEMBER_FIELD_COLUMN = {
    "name": "name",
    "id_number": "id_number",
    "sex": "sex",
    "birth_date": "birth_date",
    "phone": "phone",
}


def _member_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": values.get("name") or "",
        "id_number": values.get("id_number") or "",
        "sex": values.get("sex") or "",
        "birth_date": values.get("birth_date") or None,
        "phone": values.get("phone") or "",
        "skills": values.get("skills") or "",
        "is_demo": False,
    }


def member_existing_keys(keys: Sequence[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """ID numbers already registered: ``{(id_number,): "已登记的队员 姓名(队伍)"}``."""
    ids = {str(k[0]) for k in keys if k and k[0]}
    return {
        (idn,): f"已登记的队员 {name}({team})"
        for idn, name, team in TeamMember.objects.filter(id_number__in=ids).values_list(
            "id_number", "name", "team__name"
        )
    }


def _teams(rows: Sequence[Mapping[str, Any]]) -> dict[str, RescueTeam]:
    names = {str(r["values"].get("team") or "") for r in rows}
    return {t.name: t for t in RescueTeam.objects.select_related("division").filter(name__in=names)}


def member_check_rows(rows: Sequence[Mapping[str, Any]], *, actor: Any) -> RowChecks:
    """The 所属队伍 names a registered team within the uploader's scope; model validation passes."""
    checks = RowChecks()
    teams = _teams(rows)
    for entry in rows:
        row, values = int(entry["row"]), entry["values"]
        team = teams.get(str(values.get("team") or ""))
        if team is None:
            checks.error(row, "team", f"未登记的救援队伍“{values.get('team')}” (unknown team)")
            continue
        if not scope_allows(actor, MEMBER_PERMISSION, team.division.code):
            checks.error(row, "team", f"无权登记{team.name}的队员 (outside your scope)")
            continue
        try:
            TeamMember(team=team, **_member_fields(values)).full_clean(
                exclude=["team"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                checks.error(row, MEMBER_FIELD_COLUMN.get(field, field), " ".join(messages))
    return checks


def member_commit(rows: Sequence[Mapping[str, Any]], *, actor: Any, job: Any) -> dict[str, Any]:
    """Add one member per row via ``services.add_team_member`` (audited each).

    Raises:
        ImportRowError: unknown team or the model rejects the row (duplicate ID number...).
    """
    teams = _teams(rows)
    count = 0
    for entry in rows:
        row, values = int(entry["row"]), entry["values"]
        team = teams.get(str(values.get("team") or ""))
        if team is None:
            raise ImportRowError(row, {"team": ["未登记的救援队伍"]})
        try:
            services.add_team_member(actor=actor, team=team, **_member_fields(values))
        except ValidationError as exc:
            raise ImportRowError(
                row, {MEMBER_FIELD_COLUMN.get(k, k): v for k, v in exc.message_dict.items()}
            ) from exc
        count += 1
    return {"created": count}


def register() -> None:
    """Register ``shelters``, ``depot-stock`` and ``rescue-team-members`` with the core import registry."""
    register_import_kind(
        STOCK_KIND,
        label="应急物资库存",
        permission=STOCK_PERMISSION,
        commit=stock_commit,
        existing_keys=stock_existing_keys,
        template_columns=STOCK_TEMPLATE_COLUMNS,
        record_change=record_change,
        check_rows=stock_check_rows,
    )
    register_import_kind(
        MEMBER_KIND,
        label="应急救援队伍人员",
        permission=MEMBER_PERMISSION,
        commit=member_commit,
        existing_keys=member_existing_keys,
        template_columns=MEMBER_TEMPLATE_COLUMNS,
        record_change=record_change,
        check_rows=member_check_rows,
    )
    register_import_kind(
        KIND,
        label="应急避难场所",
        permission=PERMISSION,
        commit=commit,
        existing_keys=existing_keys,
        template_columns=TEMPLATE_COLUMNS,
        record_change=record_change,
        check_rows=check_rows,
    )
