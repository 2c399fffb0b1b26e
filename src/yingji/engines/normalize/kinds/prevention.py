"""Kinds of the prevention registries: enterprises (企业台账)."""

from __future__ import annotations

from yingji.engines.normalize.columns import (
    Column,
    RegistrySpec,
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
