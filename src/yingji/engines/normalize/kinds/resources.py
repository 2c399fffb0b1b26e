"""Kinds of the resources registries: depot stock (库存表) and shelters (避难场所登记表)."""

from __future__ import annotations

from yingji.engines.normalize.columns import (
    Column,
    RegistrySpec,
    n_area,
    n_code,
    n_count,
    n_crs,
    n_date,
    n_degrees,
    n_quantity,
    n_text,
    n_township,
)
from yingji.engines.normalize.kinds.common import (
    CRS,
    LAT,
    LNG,
    TOWNSHIP,
    check_point,
    check_stock,
)

DEPOT_STOCK = RegistrySpec(
    "depot-stock",
    "应急物资库存",
    (
        Column(
            "depot_code",
            "仓库编码",
            ("仓库编码", "库点编码", "仓库代码", "储备库编码", "仓库编号"),
            n_code,
            code=True,
        ),
        Column(
            "item_code",
            "物资编码",
            ("物资编码", "物资代码", "品目编码", "物资编号"),
            n_code,
            code=True,
        ),
        Column("item_name", "物资名称", ("物资名称", "品名", "物资品名", "名称"), n_text),
        Column("unit", "计量单位", ("计量单位", "单位"), n_text),
        Column("quantity", "数量", ("数量", "库存数量", "储备数量", "实存数量", "库存"), n_quantity),
        Column("batch", "批次", ("批次", "批号", "生产批号", "批次号"), n_code, required=False),
        Column("production_date", "生产日期", ("生产日期", "出厂日期"), n_date, required=False),
        Column(
            "expiry_date",
            "有效期至",
            ("有效期至", "失效日期", "有效期", "过期日期", "保质期至", "有效日期"),
            n_date,
            required=False,
        ),
    ),
    ("depot_code", "item_code", "batch"),
    check_stock,
)

SHELTERS = RegistrySpec(
    "shelters",
    "应急避难场所",
    (
        Column(
            "code",
            "场所编码",
            ("避难场所编码", "场所编码", "编码", "编号", "场所编号"),
            n_code,
            code=True,
        ),
        Column("name", "场所名称", ("避难场所名称", "场所名称", "名称"), n_text),
        Column("type", "场所类型", ("类型", "场所类型", "避难场所类型", "类别"), n_text, required=False),
        Column("township", "乡镇", TOWNSHIP, n_township),
        Column("address", "地址", ("地址", "详细地址", "位置", "场所地址"), n_text, required=False),
        Column("lng", "经度", LNG, n_degrees),
        Column("lat", "纬度", LAT, n_degrees),
        Column("crs", "坐标系", CRS, n_crs, required=False),
        Column(
            "capacity",
            "容纳人数",
            ("容纳人数", "可容纳人数", "容量", "可容纳人数(人)", "设计容量"),
            n_count,
        ),
        Column(
            "area_m2",
            "面积",
            ("面积", "占地面积", "有效面积", "有效避难面积", "场所面积"),
            n_area,
            required=False,
        ),
    ),
    ("code",),
    check_point,
)
