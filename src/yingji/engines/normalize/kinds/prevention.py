"""Kinds of the prevention registries: enterprises (企业台账) and their hazardous-chemical
inventories (企业危险化学品存量, GB 18218-2018 quantities in tonnes)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from yingji.engines.normalize.columns import (
    Column,
    FieldContext,
    RegistrySpec,
    RowContext,
    RowIssues,
    n_crs,
    n_degrees,
    n_phone,
    n_text,
    n_township,
    n_uscc,
)
from yingji.engines.normalize.kinds.common import (
    CRS,
    LAT,
    LNG,
    TOWNSHIP,
    check_point,
)
from yingji.engines.normalize.numbers import format_decimal
from yingji.engines.normalize.result import Result, fail, ok
from yingji.engines.normalize.units import MASS_UNITS, parse_mass
from yingji.engines.risk.cas import InvalidCASError, normalize_cas

ENTERPRISES = RegistrySpec(
    "enterprises",
    "企业",
    (
        Column("name", "企业名称", ("企业名称", "单位名称", "名称", "企业(单位)名称"), n_text),
        Column(
            "uscc",
            "统一社会信用代码",
            ("统一社会信用代码", "社会信用代码", "信用代码"),
            n_uscc,
            code=True,
        ),
        Column("industry", "行业", ("行业", "所属行业", "行业类别", "行业分类"), n_text, required=False),
        Column("township", "乡镇", TOWNSHIP, n_township),
        Column(
            "address",
            "地址",
            ("地址", "注册地址", "经营地址", "详细地址", "生产经营地址"),
            n_text,
            required=False,
        ),
        Column(
            "legal_representative",
            "法定代表人",
            ("法定代表人", "法人代表", "法人", "负责人"),
            n_text,
            required=False,
        ),
        Column(
            "phone",
            "联系电话",
            ("联系电话", "电话", "手机", "联系方式"),
            n_phone,
            required=False,
            code=True,
        ),
        Column("lng", "经度", LNG, n_degrees, required=False),
        Column("lat", "纬度", LAT, n_degrees, required=False),
        Column("crs", "坐标系", CRS, n_crs, required=False),
    ),
    ("uscc",),
    check_point,
)


def n_cas(text: str, ctx: FieldContext) -> Result[str]:
    """CAS Registry Number in canonical ``NNNNNNN-NN-R`` form, check digit verified
    (:func:`yingji.engines.risk.cas.normalize_cas`); ``7664417`` → ``7664-41-7``."""
    try:
        return ok(normalize_cas(text))
    except InvalidCASError as exc:
        return fail(f"CAS号无效(格式或校验位错误): {exc} (invalid CAS number)")


def n_tonnes(text: str, ctx: FieldContext) -> Result[str]:
    """A chemical quantity in tonnes, as an exact decimal string ≥ 0.

    The unit is taken from the cell (``500kg``, ``2吨``), else from the header brackets
    (``最大存量(kg)``, ``(千克)``, ``(t)``), else tonnes. Conversion through
    :func:`~yingji.engines.normalize.units.parse_mass` (1 t = 1000 kg, exact).
    """
    hint = next((u for u in MASS_UNITS if ctx.unit_hint and u.lower() == ctx.unit_hint.lower()), None)
    res = parse_mass(text, default_unit=hint or "t")
    if not res.valid or res.value is None:
        return Result(False, None, res.warnings, res.error)
    return ok(format_decimal(Decimal(res.value) / 1000), res.warnings)


def check_inventory(values: dict[str, Any], ctx: RowContext) -> RowIssues:
    """The enterprise must be named: its credit code or its name. Sets ``enterprise_ref`` (the
    duplicate key's enterprise part): the credit code, else ``名称:<name>``."""
    if values.get("uscc"):
        return RowIssues({"enterprise_ref": values["uscc"]})
    if values.get("enterprise"):
        return RowIssues({"enterprise_ref": f"名称:{values['enterprise']}"})
    return RowIssues(errors=(("uscc", "须填写统一社会信用代码或企业名称 (enterprise required)"),))


ENTERPRISE_INVENTORY = RegistrySpec(
    "enterprise-inventory",
    "企业危险化学品存量",
    (
        Column(
            "uscc",
            "统一社会信用代码",
            ("统一社会信用代码", "企业统一社会信用代码", "社会信用代码", "信用代码"),
            n_uscc,
            required=False,
            code=True,
        ),
        Column(
            "enterprise",
            "企业名称",
            ("企业名称", "单位名称", "企业(单位)名称", "生产经营单位名称"),
            n_text,
            required=False,
        ),
        Column(
            "unit",
            "单元",
            ("单元", "单元名称", "生产单元", "储存单元", "所在单元", "装置/设施", "装置名称", "罐区/库区"),
            n_text,
        ),
        Column(
            "substance",
            "危险化学品",
            ("危险化学品", "危险化学品名称", "化学品名称", "物质名称", "品名", "危化品名称"),
            n_text,
        ),
        Column(
            "cas",
            "CAS号",
            ("CAS号", "CAS", "CAS编号", "CASNo.", "CAS登记号"),
            n_cas,
            required=False,
            code=True,
        ),
        Column(
            "hazard_class",
            "危险性类别",
            ("危险性类别", "危险类别", "危险性分类", "类别(表2)"),
            n_text,
            required=False,
        ),
        Column(
            "quantity_t",
            "最大存量(t)",
            ("最大存量", "设计最大存量", "最大储存量", "存量", "储存量", "在线量", "最大存量(t)"),
            n_tonnes,
        ),
    ),
    # enterprise_ref (set by the row check) = the credit code, else "名称:<name>": rows naming
    # different enterprises by name are not duplicates of each other
    ("enterprise_ref", "unit", "substance"),
    check_inventory,
)
