"""Shared header synonyms and cross-field row checks of the registry kinds."""

from __future__ import annotations

from typing import Any

from yingji.engines.normalize.columns import RowContext, RowIssues
from yingji.engines.normalize.coords import normalize_point
from yingji.engines.normalize.ids import citizen_id_facts


def check_member(values: dict[str, Any], ctx: RowContext) -> RowIssues:
    """Sex and birth date must agree with the citizen ID (GB 11643-1999 §4); blank ones are
    filled from the ID."""
    idn = values.get("id_number")
    if not idn:
        return RowIssues()
    facts = citizen_id_facts(idn)
    updates: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    birth = values.get("birth_date")
    iso = facts.birth_date.isoformat()
    if birth is None:
        updates["birth_date"] = iso
    elif birth != iso and not (len(birth) == 7 and iso.startswith(birth)):
        errors.append(
            ("birth_date", f"出生日期{birth}与身份证号中的{iso}不一致 (birth date differs from ID)")
        )
    elif birth != iso:
        updates["birth_date"] = iso
    sex = values.get("sex")
    if sex is None:
        updates["sex"] = facts.sex
    elif sex != facts.sex:
        errors.append(("sex", f"性别{sex}与身份证号({facts.sex})不一致 (sex differs from ID)"))
    return RowIssues(updates, tuple(errors))


def check_stock(values: dict[str, Any], ctx: RowContext) -> RowIssues:
    """Expiry date before production date is an error."""
    prod, exp = values.get("production_date"), values.get("expiry_date")
    if prod and exp and exp < prod:
        return RowIssues(
            errors=(("expiry_date", f"有效期{exp}早于生产日期{prod} (expiry before production date)"),)
        )
    return RowIssues()


def check_point(values: dict[str, Any], ctx: RowContext) -> RowIssues:
    """Convert lng/lat to WGS84 from the row's CRS (else the file's, else WGS84); swapped
    axes are fixed with a warning; a point outside the county boundary is a warning."""
    lng, lat = values.get("lng"), values.get("lat")
    if lng is None and lat is None:
        return RowIssues()
    if lng is None or lat is None:
        col = "lat" if lat is None else "lng"
        return RowIssues(errors=((col, "经度和纬度须同时填写 (longitude and latitude go together)"),))
    crs = values.get("crs") or ctx.crs or "wgs84"
    res = normalize_point(lng, lat, crs, boundary=ctx.boundary)
    if not res.valid or res.value is None:
        return RowIssues(errors=(("lng", res.error or "invalid point"),))
    updates = {"lng": res.value.lng, "lat": res.value.lat, "crs": "wgs84", "source_crs": crs}
    return RowIssues(updates, (), tuple(("lng", w) for w in res.warnings))


TOWNSHIP = (
    "乡镇",
    "所属乡镇",
    "所在乡镇",
    "乡镇名称",
    "乡(镇)",
    "乡镇(街道)",
    "乡镇(场)",
    "所在乡镇(场)",
    "乡镇场",
)
# Registers exported by the platform head the division column 所在区划 (county or township).
DIVISION = ("所在区划", "区划", "所属区划", "行政区划", "驻地乡镇", *TOWNSHIP)
ORGANIZATION = ("所属单位", "管理单位", "主管单位", "责任单位", "隶属单位")
ADDRESS = ("地址", "详细地址", "位置", "所在地址", "具体位置")
PHONE = ("联系电话", "电话", "手机", "手机号码", "联系方式", "值班电话", "联系人电话")
LNG = ("经度", "东经", "经度(°)", "x", "lng", "lon", "longitude")
LAT = ("纬度", "北纬", "纬度(°)", "y", "lat", "latitude")
CRS = ("坐标系", "坐标类型", "坐标系统", "crs")
