"""WGS84 / GCJ-02 / BD-09, DMS, swapped axes, county boundary."""

from __future__ import annotations

import csv
import random

import pytest

from yingji.engines.normalize.coords import (
    bd09_to_gcj02,
    convert,
    county_boundary,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    normalize_point,
    out_of_china,
    parse_crs,
    parse_degrees,
    wgs84_to_gcj02,
)
from yingji.engines.refdata import data_path

# wandergis/coordtransform test/app.js published results for (116.404, 39.915):
CT_GCJ_TO_BD = (116.41036949371029, 39.92133699351021)
CT_WGS_TO_GCJ = (116.41024449916938, 39.91640428150164)
CT_BD_TO_GCJ_APPROX = (116.39762729119315, 39.90865673957631)  # closed-form approximation


def test_forward_formulas_match_published_values() -> None:
    assert gcj02_to_bd09(116.404, 39.915) == pytest.approx(CT_GCJ_TO_BD, abs=1e-12)
    assert wgs84_to_gcj02(116.404, 39.915) == pytest.approx(CT_WGS_TO_GCJ, abs=1e-12)


def test_bd09_inverse_close_to_published_approximation_and_exact_roundtrip() -> None:
    gcj = bd09_to_gcj02(116.404, 39.915)
    assert gcj == pytest.approx(CT_BD_TO_GCJ_APPROX, abs=2e-6)
    assert gcj02_to_bd09(*gcj) == pytest.approx((116.404, 39.915), abs=1e-11)


def test_yanqi_township_points_gcj_to_wgs() -> None:
    # data/yanqi/poi/township_points_amap_2016.csv: AMap GCJ-02 points with WGS84 given to 6 decimals.
    with open(data_path("yanqi", "poi", "township_points_amap_2016.csv"), encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["lon_gcj02"]]
    assert len(rows) >= 10
    for r in rows:
        lng, lat = gcj02_to_wgs84(float(r["lon_gcj02"]), float(r["lat_gcj02"]))
        assert lng == pytest.approx(float(r["lon_wgs84_derived"]), abs=1.5e-6)
        assert lat == pytest.approx(float(r["lat_wgs84_derived"]), abs=1.5e-6)


def test_gcj_inverse_residual_below_1e9() -> None:
    rng = random.Random(42)
    for _ in range(300):
        g = (rng.uniform(74, 134), rng.uniform(19, 53))
        w = gcj02_to_wgs84(*g)
        back = wgs84_to_gcj02(*w)
        assert abs(back[0] - g[0]) < 1e-9 and abs(back[1] - g[1]) < 1e-9


@pytest.mark.parametrize("src", ["wgs84", "gcj02", "bd09"])
@pytest.mark.parametrize("dst", ["wgs84", "gcj02", "bd09"])
def test_round_trips(src: str, dst: str) -> None:
    p = (86.5718, 42.0586)
    there = convert(*p, src, dst)
    assert convert(*there, dst, src) == pytest.approx(p, abs=1e-9)


def test_offset_size_in_yanqi() -> None:
    # SOURCES.md: GCJ-02 is shifted about 200-300 m from WGS84 in Yanqi.
    g = wgs84_to_gcj02(86.5718, 42.0586)
    dx = (g[0] - 86.5718) * 111_320 * 0.743
    dy = (g[1] - 42.0586) * 110_540
    assert 150 < (dx * dx + dy * dy) ** 0.5 < 350


def test_out_of_china_identity() -> None:
    assert out_of_china(2.35, 48.85)
    assert wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)
    assert gcj02_to_wgs84(2.35, 48.85) == (2.35, 48.85)


def test_unknown_crs_raises() -> None:
    with pytest.raises(ValueError):
        convert(1, 2, "utm", "wgs84")


@pytest.mark.parametrize(
    ("text", "deg"),
    [
        ("86°34'12\"E", 86.57),
        ("86度34分12秒", 86.57),
        ("东经86°34′12″", 86.57),
        ("86°34.2'", 86.57),
        ("86.57", 86.57),
        ("41°N", 41.0),
        ("86°34'12\"W", -86.57),
        ("北纬42°03′36″", 42.06),
    ],
)
def test_degrees(text: str, deg: float) -> None:
    res = parse_degrees(text)
    assert res.valid and res.value == pytest.approx(deg, abs=1e-9)


@pytest.mark.parametrize("text", ["86°60'", "86°34'61\"", "abc", ""])
def test_bad_degrees(text: str) -> None:
    assert not parse_degrees(text).valid


@pytest.mark.parametrize(
    ("label", "crs"),
    [("高德", "gcj02"), ("GCJ-02", "gcj02"), ("百度坐标", "bd09"), ("CGCS2000", "wgs84"), ("GPS", "wgs84")],
)
def test_crs_labels(label: str, crs: str) -> None:
    assert parse_crs(label).value == crs


def test_point_checks() -> None:
    boundary = county_boundary()
    inside = normalize_point(86.57, 42.06, boundary=boundary)
    assert inside.value is not None and not inside.value.outside_county and inside.warnings == ()
    swapped = normalize_point("42.06", "86.57", boundary=boundary)
    assert swapped.value is not None and swapped.value.lng == 86.57 and swapped.warnings
    outside = normalize_point(88.0, 42.0, boundary=boundary)
    assert outside.valid and outside.value is not None and outside.value.outside_county and outside.warnings
    assert not normalize_point(10.0, 10.0).valid
    assert not normalize_point(86.5, 95.0).valid
    gcj = normalize_point(86.574067, 42.059759, "高德")
    assert gcj.value is not None
    assert (gcj.value.lng, gcj.value.lat) == pytest.approx((86.571822, 42.058579), abs=1.5e-6)
