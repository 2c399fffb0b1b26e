"""Import target of the ``depot-stock`` kind (库存表): each row is a receipt into a depot
lot through the ledger (``services.receive_stock``: ledger row + running balance, audited).

A (depot, item, batch) already held is a duplicate, so re-importing a file never doubles stock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yingji.apps.audit.services import record_change
from yingji.apps.core.imports.registry import ImportRowError, RowChecks, register_import_kind, scope_allows
from yingji.apps.resources import services
from yingji.apps.resources.models import Depot, StockLot, SupplyItem
from yingji.apps.resources.models.stock import lot_date_errors

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
# The lot's batch column (a longer batch must be a row error in the preview, not a failed commit).
BATCH_MAX = StockLot._meta.get_field("batch").max_length or 64


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
    uploader's scope for ``resources.add_stockmovement``, quantity > 0, the batch fits the lot's
    ``batch`` column (64 characters), plausible lot dates
    (``models.stock.lot_date_errors``: production not in the future nor before 1901); a
    differing item name is a warning."""
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
        if len(str(values.get("batch") or "")) > BATCH_MAX:
            checks.error(row, "batch", f"批次不能超过{BATCH_MAX}个字符 (batch too long)")
        for column, message in lot_date_errors(
            _iso(values.get("production_date")), _iso(values.get("expiry_date"))
        ).items():
            checks.error(row, column, str(message))
    return checks


def _iso(value: Any) -> date | None:
    """An engine ISO date string as a date (None when blank or not a full date)."""
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


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


def register() -> None:
    """Register ``depot-stock`` with the core import registry."""
    register_import_kind(
        STOCK_KIND,
        label=_("应急物资库存"),
        permission=STOCK_PERMISSION,
        commit=stock_commit,
        existing_keys=stock_existing_keys,
        template_columns=STOCK_TEMPLATE_COLUMNS,
        record_change=record_change,
        check_rows=stock_check_rows,
    )
