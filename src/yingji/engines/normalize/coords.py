"""Coordinates: WGS84 ↔ GCJ-02 ↔ BD-09, degree-minute-second text, swapped axes,
points outside the county.

* GCJ-02 (国测局 2002 offset, used by AMap/Tencent): the widely published
  reconstruction of the offset on the Krasovsky 1940 ellipsoid (a = 6378245 m,
  e² = 0.00669342162296594323) with the two trigonometric series in (lng-105,
  lat-35); no offset outside the rectangle lng 72.004-137.8347, lat 0.8293-55.8271
  ("out of China"). GCJ-02 → WGS84 is solved by fixed-point iteration until the
  forward transform reproduces the input within 1e-12° (< 1e-9° required).
* BD-09 (Baidu): from GCJ-02 by the published constants x_pi = π·3000/180,
  z = √(x²+y²) + 2e-5·sin(y·x_pi), θ = atan2(y, x) + 3e-6·cos(x·x_pi),
  offset (0.0065, 0.006). BD-09 → GCJ-02 starts from the usual closed-form
  approximation and is refined by the same fixed-point iteration, so round trips
  are exact to 1e-12° (the bare approximation is off by up to ~2e-6°).
* The county boundary is AMap's district fence converted to WGS84
  (``data/yanqi/boundaries/yanqi_county_amap_wgs84.geojson``).

Units: decimal degrees; ``lng`` east-positive, ``lat`` north-positive.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.prepared import PreparedGeometry, prep

from yingji.engines.normalize.result import Result, fail, ok
from yingji.engines.normalize.text import numeric_text
from yingji.engines.refdata import data_path

KRASOVSKY_A = 6378245.0
KRASOVSKY_EE = 0.00669342162296594323
X_PI = math.pi * 3000.0 / 180.0
CRS_NAMES = ("wgs84", "gcj02", "bd09")
CHINA_LNG = (73.0, 135.0)
CHINA_LAT = (18.0, 54.0)
_TOL = 1e-12


def out_of_china(lng: float, lat: float) -> bool:
    """True outside the rectangle where GCJ-02 applies an offset (published bounds)."""
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _tlat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _tlng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    """WGS84 → GCJ-02 (degrees). Identity outside China (see :func:`out_of_china`)."""
    if out_of_china(lng, lat):
        return lng, lat
    dlat = _tlat(lng - 105.0, lat - 35.0)
    dlng = _tlng(lng - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - KRASOVSKY_EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (magic * sqrtmagic) * math.pi)
    dlng = (dlng * 180.0) / (KRASOVSKY_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lng + dlng, lat + dlat


def _invert(
    forward: Any, lng: float, lat: float, start: tuple[float, float], max_iter: int = 100
) -> tuple[float, float]:
    x, y = start
    for _ in range(max_iter):
        fx, fy = forward(x, y)
        dx, dy = fx - lng, fy - lat
        if abs(dx) < _TOL and abs(dy) < _TOL:
            break
        x, y = x - dx, y - dy
    return x, y


def gcj02_to_wgs84(lng: float, lat: float) -> tuple[float, float]:
    """GCJ-02 → WGS84 by fixed-point iteration (residual < 1e-12°, at most 100 steps)."""
    if out_of_china(lng, lat):
        return lng, lat
    return _invert(wgs84_to_gcj02, lng, lat, (lng, lat))


def gcj02_to_bd09(lng: float, lat: float) -> tuple[float, float]:
    """GCJ-02 → BD-09 with the published Baidu constants (see module docstring)."""
    z = math.sqrt(lng * lng + lat * lat) + 0.00002 * math.sin(lat * X_PI)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def _bd09_to_gcj02_approx(lng: float, lat: float) -> tuple[float, float]:
    x, y = lng - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * X_PI)
    return z * math.cos(theta), z * math.sin(theta)


def bd09_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    """BD-09 → GCJ-02: the published closed form refined by fixed-point iteration."""
    return _invert(gcj02_to_bd09, lng, lat, _bd09_to_gcj02_approx(lng, lat))


def convert(lng: float, lat: float, src: str, dst: str) -> tuple[float, float]:
    """Convert a point between ``"wgs84"``, ``"gcj02"`` and ``"bd09"`` (degrees).

    Raises:
        ValueError: unknown CRS name (a programming/usage error).
    """
    if src not in CRS_NAMES or dst not in CRS_NAMES:
        raise ValueError(f"unknown CRS {src!r} or {dst!r}; use one of {', '.join(CRS_NAMES)}")
    if src == dst:
        return lng, lat
    if src == "bd09":
        lng, lat = bd09_to_gcj02(lng, lat)
    elif src == "wgs84":
        lng, lat = wgs84_to_gcj02(lng, lat)
    # now GCJ-02
    if dst == "gcj02":
        return lng, lat
    if dst == "bd09":
        return gcj02_to_bd09(lng, lat)
    return gcj02_to_wgs84(lng, lat)


_CRS_ALIASES = {
    "wgs84": "wgs84", "wgs-84": "wgs84", "wgs 84": "wgs84", "gps": "wgs84", "epsg:4326": "wgs84",
    "4326": "wgs84", "cgcs2000": "wgs84", "cgcs 2000": "wgs84", "2000": "wgs84",
    "2000国家大地坐标系": "wgs84",
    "天地图": "wgs84", "北斗": "wgs84",
    "gcj02": "gcj02", "gcj-02": "gcj02", "gcj": "gcj02", "高德": "gcj02", "火星": "gcj02",
    "火星坐标": "gcj02", "腾讯": "gcj02", "国测局": "gcj02", "amap": "gcj02",
    "bd09": "bd09", "bd-09": "bd09", "bd09ll": "bd09", "百度": "bd09", "baidu": "bd09",
}  # fmt: skip


def parse_crs(value: str) -> Result[str]:
    """Normalise a CRS label to ``"wgs84"``, ``"gcj02"`` or ``"bd09"``.

    CGCS2000 (天地图, 北斗) is treated as WGS84: the two differ by centimetres, far
    below the 1-2 m error of the GCJ-02 reconstruction. Errors: unknown label.
    """
    key = numeric_text(value).lower()
    for word in ("坐标系", "坐标", "地图"):
        if key.endswith(word) and key != word:
            key = key[: -len(word)]
    if key in _CRS_ALIASES:
        return ok(_CRS_ALIASES[key])
    return fail(f"无法识别的坐标系“{value}” (use WGS84, GCJ-02 or BD-09)")


_DMS = re.compile(
    r"^(?P<pre>[NSEW]|东经|西经|北纬|南纬)?\s*(?P<d>\d+(?:\.\d+)?)\s*(?:°|度|º|˚|d)\s*"
    r"(?:(?P<m>\d+(?:\.\d+)?)\s*(?:'|′|’|分|m)\s*)?"
    r"(?:(?P<s>\d+(?:\.\d+)?)\s*(?:\"|″|”|''|秒|s)\s*)?(?P<post>[NSEW])?$",
    re.IGNORECASE,
)
_DECIMAL = re.compile(
    r"^(?P<pre>[NSEW]|东经|西经|北纬|南纬)?\s*(?P<v>[+-]?\d+(?:\.\d+)?)\s*°?\s*(?P<post>[NSEW])?$"
)


def parse_degrees(value: str) -> Result[float]:
    """Parse one coordinate: decimal degrees (``86.57``), degree-minute-second
    (``86°34'12"E``, ``86度34分12秒``, ``东经86°34′12″``) or degree-decimal-minute
    (``86°34.2'``). S and W make the value negative.

    Errors: minutes or seconds ≥ 60, unreadable text. Never raises.
    """
    # NFKC turns ″ (U+2033) into two primes ′′; normalise primes and curly quotes.
    text = numeric_text(value).replace("′′", '"').replace("''", '"').replace("′", "'").replace("″", '"')
    if not text:
        return fail("空值 (empty)")
    m = _DECIMAL.match(text)
    warnings: tuple[str, ...] = ()
    if m:
        deg = float(m["v"])
        hemi = (m["pre"] or m["post"] or "").upper()
    else:
        m = _DMS.match(text)
        if not m:
            return fail(f"无法识别的经纬度“{value.strip()}” (not a coordinate)")
        minutes = float(m["m"] or 0)
        seconds = float(m["s"] or 0)
        if minutes >= 60 or seconds >= 60:
            return fail(f"分或秒不能大于等于60: {value.strip()} (minutes/seconds must be < 60)")
        deg = float(m["d"]) + minutes / 60 + seconds / 3600
        hemi = (m["pre"] or m["post"] or "").upper()
    if hemi in ("S", "W", "西经", "南纬"):
        deg = -deg
    return ok(deg, warnings)


@dataclass(frozen=True)
class LngLat:
    """A WGS84 point (degrees) with a flag for points outside the county boundary."""

    lng: float
    lat: float
    outside_county: bool = False


@functools.cache
def _boundary(path: str) -> PreparedGeometry:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    feats = data.get("features") or [data]
    geoms: list[BaseGeometry] = [shape(f["geometry"]) for f in feats]
    geom = geoms[0]
    for g in geoms[1:]:
        geom = geom.union(g)
    return prep(geom)


def county_boundary(path: Path | str | None = None) -> PreparedGeometry:
    """Load (and cache) a WGS84 boundary polygon from GeoJSON; default: Yanqi county
    (``data/yanqi/boundaries/yanqi_county_amap_wgs84.geojson``).

    Raises:
        FileNotFoundError, ValueError: unreadable file (configuration error).
    """
    if path is None:
        path = data_path("yanqi", "boundaries", "yanqi_county_amap_wgs84.geojson")
    return _boundary(str(path))


def normalize_point(
    lng: float | str,
    lat: float | str,
    crs: str = "wgs84",
    *,
    boundary: PreparedGeometry | None = None,
) -> Result[LngLat]:
    """Check and convert a point to WGS84.

    Args:
        lng, lat: numbers or text (decimal or DMS).
        crs: ``wgs84``/``gcj02``/``bd09`` (or a label accepted by :func:`parse_crs`).
        boundary: county polygon (WGS84); when given, a point outside it is flagged
            (``outside_county=True`` plus a warning), not rejected.

    Swapped columns (lng in 18-54 and lat in 73-135) are swapped back with a
    warning. Errors: unreadable text, |lat| > 90, |lng| > 180, a point outside
    China (lng 73-135, lat 18-54), unknown CRS. Never raises.
    """
    crs_res = parse_crs(crs)
    if not crs_res.valid or crs_res.value is None:
        return fail(crs_res.error or "unknown CRS")
    vals: list[float] = []
    for raw in (lng, lat):
        if isinstance(raw, int | float):
            vals.append(float(raw))
            continue
        res = parse_degrees(raw)
        if not res.valid or res.value is None:
            return fail(res.error or "not a coordinate")
        vals.append(res.value)
    x, y = vals
    warnings: list[str] = []
    if not (math.isfinite(x) and math.isfinite(y)):
        return fail("经纬度不是有限数 (not finite)")
    in_lng = CHINA_LNG[0] <= x <= CHINA_LNG[1]
    in_lat = CHINA_LAT[0] <= y <= CHINA_LAT[1]
    if not (in_lng and in_lat) and CHINA_LNG[0] <= y <= CHINA_LNG[1] and CHINA_LAT[0] <= x <= CHINA_LAT[1]:
        x, y = y, x
        warnings.append("经度和纬度填反了,已对调 (longitude and latitude were swapped)")
    elif abs(y) > 90 or abs(x) > 180:
        return fail(f"经纬度超出范围: {x}, {y} (latitude must be within ±90, longitude ±180)")
    elif not (in_lng and in_lat):
        return fail(f"坐标({x}, {y})不在中国境内 (outside China: lng 73-135, lat 18-54)")
    wx, wy = convert(x, y, crs_res.value, "wgs84")
    outside = False
    if boundary is not None and not boundary.contains(Point(wx, wy)):
        outside = True
        warnings.append("坐标不在本县范围内 (point outside the county boundary)")
    return ok(LngLat(round(wx, 7), round(wy, 7), outside), warnings)
