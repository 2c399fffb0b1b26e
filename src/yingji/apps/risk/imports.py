"""Import target of the ``enterprise-inventory`` kind (企业危险化学品存量 → ``ChemicalInventory``).

Rows are ``{"row": Excel row, "values": {column: value}}`` with the engine columns
``uscc`` (or ``enterprise`` name), ``unit``, ``substance``, ``cas``, ``hazard_class`` and
``quantity_t`` (tonnes). Each row is checked against the database (enterprise known and in the
uploader's scope; CAS check digit; substance matched to GB 18218-2018 Table 1/2; not already
stored) and stored through ``services.record_inventory`` (audited; the unit is reassessed) inside
the import's single transaction.

The engine owns the column spec (``yingji.engines.normalize.kinds.prevention.ENTERPRISE_INVENTORY``:
credit code per GB 32100-2015, CAS check digit, quantities given in kg under a ``(kg)``/``(千克)``
header converted to tonnes); ``register()`` is called from ``RiskConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yingji.apps.audit.services import record_change
from yingji.apps.core.imports.registry import ImportRowError, RowChecks, register_import_kind
from yingji.apps.directory.models import Organization, OrganizationKind
from yingji.apps.risk import selectors, services
from yingji.apps.risk.models import ChemicalInventory, ProductionUnit

KIND = "enterprise-inventory"
PERMISSION = "risk.add_chemicalinventory"
TEMPLATE_COLUMNS = (
    "统一社会信用代码",
    "企业名称",
    "单元",
    "危险化学品",
    "CAS号",
    "危险性类别",
    "最大存量(t)",
)
FIELD_COLUMN = {
    "enterprise": "uscc",
    "unit": "unit",
    "unit_name": "unit",
    "name": "unit",
    "substance_name": "substance",
    "cas": "cas",
    "hazard_class": "hazard_class",
    "quantity_t": "quantity_t",
}


def _enterprises(
    rows: Sequence[Mapping[str, Any]],
) -> tuple[dict[str, Organization], dict[str, Organization]]:
    values = [r["values"] for r in rows]
    codes = {str(v.get("uscc")) for v in values if v.get("uscc")}
    names = {str(v.get("enterprise")) for v in values if v.get("enterprise")}
    qs = Organization.objects.filter(kind=OrganizationKind.ENTERPRISE).select_related("division")
    by_uscc = {o.uscc: o for o in qs.filter(uscc__in=codes)}
    by_name = {o.name: o for o in qs.filter(name__in=names)}
    return by_uscc, by_name


def _enterprise_of(values: Mapping[str, Any], by_uscc: dict, by_name: dict) -> Organization | None:
    if values.get("uscc"):
        return by_uscc.get(str(values["uscc"]))
    return by_name.get(str(values.get("enterprise") or ""))


def _quantity(value: Any) -> Decimal | None:
    try:
        q = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return q if q >= 0 else None


def existing_keys(keys: Sequence[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """Lines already stored, for the engine's keys ``(enterprise_ref, unit, substance)``:
    ``{key: "已登记 …"}``. ``enterprise_ref`` is the credit code, or ``名称:<name>`` for rows
    naming the enterprise only (left to ``check_rows``, which resolves the name)."""
    wanted: dict[tuple[str, str, str], tuple[str, ...]] = {}
    for key in keys:
        if len(key) == 3 and key[0] and not key[0].startswith("名称:"):
            wanted[(key[0], key[1], key[2])] = tuple(key)
    found: dict[tuple[str, ...], str] = {}
    for uscc, unit, substance, name in ChemicalInventory.objects.filter(
        enterprise__uscc__in={k[0] for k in wanted}
    ).values_list("enterprise__uscc", "unit_name", "substance_name", "enterprise__name"):
        original = wanted.get((uscc, unit, substance))
        if original is not None:
            found[original] = f"已登记 {name} {unit} {substance}"
    return found


def check_rows(rows: Sequence[Mapping[str, Any]], *, actor: Any) -> RowChecks:
    """Database-backed checks per row: enterprise known and writable by ``actor`` (an enterprise
    safety manager only their own), quantity ≥ 0, CAS check digit and GB 18218 match, no stored
    or earlier line with the same enterprise + unit + substance."""
    checks = RowChecks()
    by_uscc, by_name = _enterprises(rows)
    seen: dict[tuple[int, str, str], int] = {}
    for item in rows:
        row, values = int(item["row"]), item["values"]
        ent = _enterprise_of(values, by_uscc, by_name)
        if ent is None:
            checks.error(row, "uscc", "平台中没有该企业 (enterprise not registered)")
            continue
        if actor is not None and not selectors.scope_covers(actor, ChemicalInventory, "add", ent):
            checks.error(row, "uscc", f"无权登记{ent.name}的存量 (outside your scope)")
            continue
        if _quantity(values.get("quantity_t")) is None:
            checks.error(row, "quantity_t", "最大存量须为不小于0的数 (t)")
            continue
        unit, substance = str(values.get("unit") or ""), str(values.get("substance") or "")
        key = (ent.pk, unit, substance)
        if key in seen:
            checks.duplicates[row] = seen[key]
            continue
        seen[key] = row
        if ChemicalInventory.objects.filter(
            enterprise=ent, unit_name=unit, substance_name=substance
        ).exists():
            checks.duplicates[row] = f"已登记 {ent.name} {unit} {substance}"
            continue
        try:
            cas, seq, note = services.match_substance(
                substance, str(values.get("cas") or ""), str(values.get("hazard_class") or "")
            )
            hazard = str(values.get("hazard_class") or "")
            _validate_line(ent, unit, substance, cas, hazard, seq, note, values)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                checks.error(row, FIELD_COLUMN.get(field, field), " ".join(messages))
    return checks


def _validate_line(
    ent: Organization,
    unit: str,
    substance: str,
    cas: str,
    hazard_class: str,
    seq: int | None,
    note: str,
    values: Mapping[str, Any],
) -> None:
    """The model validation ``services.record_inventory`` will run at the commit (lengths of
    the unit/substance/class, digits of the quantity, the unit's name), so that such a row is a
    row error in the preview and never a failed commit.

    Raises:
        ValidationError: ``{field: [messages]}`` (fields mapped to columns by ``FIELD_COLUMN``).
    """
    ProductionUnit(enterprise=ent, name=unit.strip()).full_clean(
        exclude=["enterprise"], validate_unique=False, validate_constraints=False
    )
    ChemicalInventory(
        enterprise=ent,
        unit_name=unit.strip(),
        substance_name=substance.strip(),
        cas=cas,
        hazard_class=hazard_class.strip(),
        quantity_t=_quantity(values.get("quantity_t")) or Decimal(0),
        table1_seq=seq,
        match_note=note,
    ).full_clean(exclude=["enterprise", "unit"], validate_unique=False, validate_constraints=False)


def commit(rows: Sequence[Mapping[str, Any]], *, actor: Any, job: Any) -> dict[str, Any]:
    """Store one inventory line per row via ``services.record_inventory`` (audited, unit reassessed).

    Returns:
        ``{"created": n, "ids": [first 50 ids]}``.

    Raises:
        ImportRowError: unknown enterprise or a field the service rejects.
    """
    by_uscc, by_name = _enterprises(rows)
    ids: list[int] = []
    for item in rows:
        row, values = int(item["row"]), item["values"]
        ent = _enterprise_of(values, by_uscc, by_name)
        quantity = _quantity(values.get("quantity_t"))
        if ent is None or quantity is None:
            column = "uscc" if ent is None else "quantity_t"
            raise ImportRowError(row, {column: ["企业未登记或存量无效"]})
        try:
            line = services.record_inventory(
                actor=actor,
                enterprise=ent,
                unit_name=str(values.get("unit") or ""),
                substance_name=str(values.get("substance") or ""),
                cas=str(values.get("cas") or ""),
                hazard_class=str(values.get("hazard_class") or ""),
                quantity_t=quantity,
            )
        except ValidationError as exc:
            raise ImportRowError(
                row, {FIELD_COLUMN.get(k, k): v for k, v in exc.message_dict.items()}
            ) from exc
        ids.append(line.pk)
    return {"created": len(ids), "ids": ids[:50]}


def register() -> None:
    """Register ``enterprise-inventory`` with the core import registry.

    Raises:
        UnknownImportKind: the normalize engine does not declare the kind (a programming error).
    """
    register_import_kind(
        KIND,
        label=_("企业危险化学品存量"),
        permission=PERMISSION,
        commit=commit,
        existing_keys=existing_keys,
        template_columns=TEMPLATE_COLUMNS,
        record_change=record_change,
        check_rows=check_rows,
    )
