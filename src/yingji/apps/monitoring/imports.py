"""Import target of the ``monitoring-points`` kind (监测点台账 → :class:`MonitoringPoint`).

Registered from ``MonitoringConfig.ready()``. The engine
(``yingji.engines.normalize.kinds.monitoring``) normalises the file: point codes, the quantity
from the 监测项目 text, the unit, durations in seconds, the alarm rules checked with the monitoring
engine's ``PointConfig`` (``ll < l < h < hh``, deadband/delays ≥ 0), coordinates → WGS84. Here each
row is checked against the database (the enterprise is known and within the uploader's scope for
``monitoring.add_monitoringpoint``; the device/gateway codes exist and belong to that enterprise;
the model's validation, including the inside-the-county check, passes) and stored through
``services.create_point`` (each audited, with its empty engine state) inside the import's single
transaction. Duplicates: by point code, within the file and against stored points.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yingji.apps.audit.services import record_change
from yingji.apps.core.imports.registry import ImportRowError, RowChecks, register_import_kind, scope_allows
from yingji.apps.directory.models import Organization, OrganizationKind
from yingji.apps.monitoring import services
from yingji.apps.monitoring.models import Device, Gateway, MonitoringPoint, Quantity, SiteKind

KIND = "monitoring-points"
PERMISSION = "monitoring.add_monitoringpoint"
TEMPLATE_COLUMNS = (
    "测点编码",
    "测点名称",
    "统一社会信用代码",
    "企业名称",
    "部位类型",
    "部位名称",
    "重大危险源等级",
    "监测项目",
    "单位",
    "采样周期(s)",
    "高高报",
    "高报",
    "低报",
    "低低报",
    "死区",
    "报警延时(s)",
    "消警延时(s)",
    "离线判定(s)",
    "变化率限(每秒)",
    "设备编码",
    "网关编码",
    "经度",
    "纬度",
    "坐标系",
)
# model field → engine column (to report model validation errors on the clerk's column)
FIELD_COLUMN = {
    "code": "code",
    "name": "name",
    "organization": "uscc",
    "site_kind": "site_kind",
    "site_name": "site_name",
    "major_hazard_level": "major_hazard_level",
    "quantity": "quantity",
    "unit": "unit",
    "sampling_period_s": "sampling_period_s",
    "device": "device_code",
    "gateway": "gateway_code",
    "hh": "hh",
    "h": "h",
    "l": "l",
    "ll": "ll",
    "deadband": "deadband",
    "on_delay_s": "on_delay_s",
    "off_delay_s": "off_delay_s",
    "offline_s": "offline_s",
    "roc_per_s": "roc_per_s",
    "lon": "lng",
    "lat": "lat",
    "__all__": "code",
}
_DEFAULTS = {"sampling_period_s": 10, "deadband": 0.0, "on_delay_s": 0.0, "off_delay_s": 0.0}


class _Lookups:
    """Enterprises, devices and gateways named by the rows, fetched in four queries."""

    def __init__(self, rows: Sequence[Mapping[str, Any]]) -> None:
        values = [r["values"] for r in rows]
        codes = {str(v["uscc"]) for v in values if v.get("uscc")}
        names = {str(v["enterprise"]) for v in values if v.get("enterprise")}
        orgs = Organization.objects.filter(kind=OrganizationKind.ENTERPRISE).select_related("division")
        self.by_uscc = {o.uscc: o for o in orgs.filter(uscc__in=codes)}
        self.by_name: dict[str, list[Organization]] = defaultdict(list)
        for org in orgs.filter(name__in=names):
            self.by_name[org.name].append(org)
        self.devices = {
            d.code: d
            for d in Device.objects.select_related("gateway").filter(
                code__in={str(v["device_code"]) for v in values if v.get("device_code")}
            )
        }
        self.gateways = {
            g.code: g
            for g in Gateway.objects.filter(
                code__in={str(v["gateway_code"]) for v in values if v.get("gateway_code")}
            )
        }

    def enterprise(self, values: Mapping[str, Any]) -> tuple[Organization | None, tuple[str, str]]:
        """The row's enterprise, or None and ``(column, reason)``."""
        if values.get("uscc"):
            org = self.by_uscc.get(str(values["uscc"]))
            if org is None:
                return None, ("uscc", "平台中没有该统一社会信用代码的企业 (enterprise not registered)")
            return org, ("", "")
        found = self.by_name.get(str(values.get("enterprise") or ""), [])
        if len(found) == 1:
            return found[0], ("", "")
        if found:
            return None, ("enterprise", "该名称对应多家企业,请填写统一社会信用代码 (ambiguous name)")
        return None, ("enterprise", "平台中没有该名称的企业 (enterprise not registered)")


def may_add_point(actor: Any, enterprise: Organization) -> bool:
    """Whether ``actor`` holds ``monitoring.add_monitoringpoint`` in a scope covering ``enterprise``
    (its division, and for an organisation-bound grant that very enterprise:
    :func:`~yingji.apps.core.imports.registry.scope_allows`). ``None`` (the system, e.g. the
    CLI) may."""
    return scope_allows(actor, PERMISSION, enterprise.division.code, enterprise.pk)


def _fields(values: Mapping[str, Any], org: Organization, device: Any, gateway: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "code": values.get("code") or "",
        "name": values.get("name") or "",
        "organization": org,
        "site_kind": values.get("site_kind") or "installation",
        "site_name": values.get("site_name") or "",
        "major_hazard_level": values.get("major_hazard_level"),
        "quantity": values.get("quantity") or "",
        "unit": values.get("unit") or "",
        "device": device,
        "gateway": gateway,
        "lon": values.get("lng"),
        "lat": values.get("lat"),
        "is_demo": False,
    }
    for key in ("hh", "h", "l", "ll", "offline_s", "roc_per_s"):
        fields[key] = values.get(key)
    for key, default in _DEFAULTS.items():
        fields[key] = default if values.get(key) is None else values[key]
    return fields


def _resolve(
    values: Mapping[str, Any], org: Organization, lookups: _Lookups
) -> tuple[Any, Any, list[tuple[str, str]], list[tuple[str, str]]]:
    """(device, gateway, errors, warnings) of a row whose enterprise is ``org``."""
    errors: list[tuple[str, str]] = []
    warnings: list[tuple[str, str]] = []
    device = gateway = None
    if values.get("device_code"):
        device = lookups.devices.get(str(values["device_code"]))
        if device is None:
            errors.append(("device_code", f"未登记的设备编码“{values['device_code']}” (unknown device)"))
        elif device.organization_id != org.pk:
            errors.append(("device_code", "设备属于其他企业 (device of another enterprise)"))
    if values.get("gateway_code"):
        gateway = lookups.gateways.get(str(values["gateway_code"]))
        if gateway is None:
            errors.append(("gateway_code", f"未登记的网关编码“{values['gateway_code']}” (unknown gateway)"))
        elif gateway.organization_id != org.pk:
            errors.append(("gateway_code", "网关属于其他企业 (gateway of another enterprise)"))
    if device is not None and device.gateway_id is not None:
        if gateway is None and not values.get("gateway_code"):
            gateway = device.gateway
        elif gateway is not None and gateway.pk != device.gateway_id:
            warnings.append(("gateway_code", "网关与该设备登记的网关不同,按本表登记"))
    return device, gateway, errors, warnings


def existing_keys(keys: Sequence[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """Point codes already registered: ``{(code,): "已登记的测点 CODE"}`` (codes are unique platform-wide)."""
    codes = {k[0] for k in keys if k and k[0]}
    return {
        (code,): f"已登记的测点 {code}"
        for code in MonitoringPoint.objects.filter(code__in=codes).values_list("code", flat=True)
    }


def check_rows(rows: Sequence[Mapping[str, Any]], *, actor: Any) -> RowChecks:
    """Database-backed checks of engine-valid rows: the enterprise is registered (by credit code,
    else by an unambiguous name) and within ``actor``'s scope for ``monitoring.add_monitoringpoint``
    (an enterprise-bound grant covers only that enterprise); the device/gateway codes exist and
    belong to the enterprise (a device's gateway is used when the gateway column is blank); the
    model's validation passes (coordinates inside the county, alarm rules, choices)."""
    checks = RowChecks()
    lookups = _Lookups(rows)
    for item in rows:
        row, values = int(item["row"]), item["values"]
        org, (column, reason) = lookups.enterprise(values)
        if org is None:
            checks.error(row, column, reason)
            continue
        if not may_add_point(actor, org):
            checks.error(row, "uscc", f"无权为{org.name}登记监测点 (outside your scope)")
            continue
        if values.get("uscc") and values.get("enterprise") and values["enterprise"] != org.name:
            checks.warn(row, "enterprise", f"企业名称与信用代码登记的“{org.name}”不同,按信用代码登记")
        if values.get("quantity") not in Quantity.values:
            checks.error(row, "quantity", "平台不支持该监测项目 (unsupported quantity)")
            continue
        device, gateway, errors, warnings = _resolve(values, org, lookups)
        for col, msg in warnings:
            checks.warn(row, col, msg)
        if errors:
            for col, msg in errors:
                checks.error(row, col, msg)
            continue
        try:
            MonitoringPoint(**_fields(values, org, device, gateway)).full_clean(
                exclude=["organization", "device", "gateway"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                checks.error(row, FIELD_COLUMN.get(field, field), " ".join(messages))
    return checks


def commit(rows: Sequence[Mapping[str, Any]], *, actor: Any, job: Any) -> dict[str, Any]:
    """Create one point per row via ``services.create_point`` (audited each, engine state created),
    inside the import's transaction.

    Returns:
        ``{"created": n, "codes": [first 50 codes]}``.

    Raises:
        ImportRowError: the enterprise/device/gateway cannot be resolved, or the model rejects the row.
    """
    lookups = _Lookups(rows)
    codes: list[str] = []
    for item in rows:
        row, values = int(item["row"]), item["values"]
        org, (column, reason) = lookups.enterprise(values)
        if org is None:
            raise ImportRowError(row, {column: [reason]})
        device, gateway, errors, _warnings = _resolve(values, org, lookups)
        if errors:
            raise ImportRowError(row, {col: [msg] for col, msg in errors})
        try:
            point = services.create_point(actor=actor, **_fields(values, org, device, gateway))
        except ValidationError as exc:
            raise ImportRowError(
                row, {FIELD_COLUMN.get(k, k): v for k, v in exc.message_dict.items()}
            ) from exc
        codes.append(point.code)
    return {"created": len(codes), "codes": codes[:50]}


_LABELS = {"quantity": dict(Quantity.choices), "site_kind": dict(SiteKind.choices)}


def display(column: str, value: Any) -> str | None:
    """Preview label of a stored value: 监测项目 and 部位类型 by their choice labels
    (``flammable_gas`` → 可燃气体); None (the core default) otherwise."""
    label = _LABELS.get(column, {}).get(value)
    return None if label is None else str(label)


def register() -> None:
    """Register ``monitoring-points`` with the core import registry."""
    register_import_kind(
        KIND,
        label=_("监测点"),
        permission=PERMISSION,
        commit=commit,
        existing_keys=existing_keys,
        template_columns=TEMPLATE_COLUMNS,
        record_change=record_change,
        check_rows=check_rows,
        display=display,
    )
