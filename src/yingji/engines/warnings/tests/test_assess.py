"""Assessment against Yanqi (652826): geocodes, polygons, circles, population basis."""

from __future__ import annotations

import dataclasses

import pytest
from shapely.geometry import Point, box

from yingji.engines.warnings.assess import assess, chinese_division_code, division_prefix
from yingji.engines.warnings.county import CountyReference, Division, yanqi_reference
from yingji.engines.warnings.geometry import geodesic_km
from yingji.engines.warnings.model import Alert
from yingji.engines.warnings.parse import parse_alert, parse_file

from .factory import area_xml, cap_xml, geocode, info_xml, ring, sample

YANQI_TOWN = "652826100000"  # 焉耆镇, seat (86.568708, 42.061072) WGS 84
YONGNING = "652826102000"  # 永宁镇
TOWNSHIPS = 10


def _alert(area: str) -> Alert:
    return parse_alert(cap_xml(info=info_xml(areas=area)))


def _codes(alert: Alert) -> list[str]:
    return [a.division.code for a in assess(alert).affected]


def test_reference_data() -> None:
    ref = yanqi_reference()
    assert ref.code == "652826000000" and ref.name == "焉耆回族自治县"
    assert (ref.population, ref.population_year) == (122961, 2020)  # census_bayingolin_counties_2010_2020.csv
    townships = [d for d in ref.divisions if d.level == "township"]
    assert len(townships) == TOWNSHIPS
    assert all(d.seat is not None and ref.boundary.contains(Point(d.seat)) for d in townships)
    assert {d.population_year for d in townships} == {2000}
    yanqi_town = next(d for d in townships if d.code == YANQI_TOWN)
    assert (yanqi_town.name, yanqi_town.population) == ("焉耆镇", 29000)


def test_cma_sample_is_outside_yanqi() -> None:
    result = assess(parse_file(sample("cn-cma-baoding-lightning-yellow-update-en-zh.xml")))
    assert result.identifier == "13060041600000_20240712213138"
    assert not result.intersects_county and result.affected == ()
    assert result.population == 0


@pytest.mark.parametrize("value", ["652826000000", "652826", "652800000000", "650000000000", "6528"])
def test_county_or_ancestor_geocode_covers_the_county(value: str) -> None:
    result = assess(_alert(area_xml(geocodes=geocode("CPEAS Geographic Code", value))))
    if len(value) == 4:  # not a 6/9/12-digit code: ignored
        assert not result.intersects_county
        return
    assert result.whole_county and result.intersects_county
    assert result.population == 122961 and "2020" in result.population_basis
    assert len(result.affected) == 1 + TOWNSHIPS
    assert result.affected[0].division.level == "county"


def test_cma_sample_retargeted_to_a_yanqi_township() -> None:
    cma = parse_file(sample("cn-cma-baoding-lightning-yellow-update-en-zh.xml"))
    infos = tuple(
        dataclasses.replace(
            i,
            areas=tuple(
                dataclasses.replace(
                    a, geocodes=tuple(dataclasses.replace(g, value="652826101") for g in a.geocodes)
                )
                for a in i.areas
            ),
        )
        for i in cma.infos
    )
    result = assess(dataclasses.replace(cma, infos=infos))
    data = result.as_dict()
    assert data["intersects_county"] is True
    assert [d["code"] for d in data["affected_divisions"]] == [
        "652826000000",
        "652826101000",
    ]  # no duplicates
    township = data["affected_divisions"][1]
    assert township == {
        "code": "652826101000",
        "name": "七个星镇",
        "level": "township",
        "population": 12629,
        "population_year": 2000,
        "coverage": "whole",
        "reason": "geocode 652826101000",
    }
    assert data["population"] == 12629 and "2000 census" in data["population_basis"]


def test_village_geocode_has_no_population_figure() -> None:
    result = assess(_alert(area_xml(geocodes=geocode("CPEAS Geographic Code", "652826100001"))))
    assert _codes(_alert(area_xml(geocodes=geocode("CPEAS Geographic Code", "652826100001")))) == [
        "652826000000",
        "652826100001",
    ]
    assert result.intersects_county and result.population is None


def test_non_chinese_geocodes_are_ignored() -> None:
    # A SAME/FIPS code can also be six digits.
    result = assess(_alert(area_xml(geocodes=geocode("SAME", "652826"))))
    assert not result.intersects_county
    assert chinese_division_code("SAME", "652826", yanqi_reference().geocode_names) is None
    assert (
        chinese_division_code("行政区划代码", "652826101", yanqi_reference().geocode_names) == "652826101000"
    )
    assert division_prefix("652826101000") == "652826101"
    assert division_prefix("650000000000") == "65"


def test_small_polygon_around_the_county_seat() -> None:
    lon, lat = 86.568708, 42.061072
    d = 0.005
    poly = ring([(lon - d, lat - d), (lon + d, lat - d), (lon + d, lat + d), (lon - d, lat + d)])
    result = assess(_alert(area_xml(polygons=(poly,))))
    assert [a.division.code for a in result.affected] == ["652826000000", YANQI_TOWN]
    assert result.affected[1].reason == "seat in polygon"
    assert result.population == 29000 and not result.whole_county


def test_polygon_covering_the_county() -> None:
    w, s, e, n = yanqi_reference().boundary.bounds
    poly = ring([(w - 0.1, s - 0.1), (e + 0.1, s - 0.1), (e + 0.1, n + 0.1), (w - 0.1, n + 0.1)])
    result = assess(_alert(area_xml(polygons=(poly,))))
    assert result.whole_county and result.population == 122961


def test_polygon_outside() -> None:
    poly = ring([(115.0, 38.8), (115.6, 38.8), (115.6, 39.1), (115.0, 39.1)])  # Baoding
    result = assess(_alert(area_xml(polygons=(poly,))))
    assert not result.intersects_county and result.population == 0


def test_polygon_touching_the_county_without_a_seat() -> None:
    ref = yanqi_reference()
    west = ref.boundary.intersection(box(85.2, 41.0, 85.8, 43.0)).representative_point()
    d = 0.01
    poly = ring(
        [
            (west.x - d, west.y - d),
            (west.x + d, west.y - d),
            (west.x + d, west.y + d),
            (west.x - d, west.y + d),
        ]
    )
    result = assess(_alert(area_xml(polygons=(poly,))))
    assert result.intersects_county and not result.whole_county
    assert [a.division.level for a in result.affected] == ["county"]
    assert result.population is None and "no township seat" in result.population_basis


def test_circles() -> None:
    lat, lon = 42.061072, 86.568708
    # 永宁镇's seat is about 2.3 km away (geodesic), 五号渠乡's about 5.2 km.
    assert 2.0 < geodesic_km(lat, lon, 42.04182, 86.558344) < 2.5
    one_km = assess(_alert(area_xml(circles=(f"{lat},{lon} 1",))))
    assert [a.division.code for a in one_km.affected] == ["652826000000", YANQI_TOWN]
    assert one_km.affected[1].reason == "seat in circle"
    three_km = _codes(_alert(area_xml(circles=(f"{lat},{lon} 3",))))
    assert three_km == ["652826000000", YANQI_TOWN, YONGNING]
    point = assess(_alert(area_xml(circles=(f"{lat},{lon} 0",))))
    assert point.intersects_county and YANQI_TOWN in [a.division.code for a in point.affected]
    whole = assess(_alert(area_xml(circles=(f"{lat},{lon} 200",))))
    assert whole.whole_county and whole.population == 122961
    far = assess(_alert(area_xml(circles=("38.87,115.46 50",))))
    assert not far.intersects_county


def test_invalid_geometry_is_noted_not_fatal() -> None:
    result = assess(_alert(area_xml(polygons=("1,2 3,4",), circles=("x",))))
    assert not result.intersects_county and len(result.notes) == 2


def test_another_county_plugs_in() -> None:
    divisions = (
        Division("999999000000", "Test County", "county", "999900000000", None, 5000, 2020),
        Division("999999100000", "North", "township", "999999000000", (10.5, 10.8), 1200, 2000),
        Division("999999101000", "South", "township", "999999000000", (10.5, 10.2), 900, 2000),
    )
    ref = CountyReference("999999000000", "Test County", box(10, 10, 11, 11), divisions, 5000, 2020)
    north = ring([(10.4, 10.7), (10.6, 10.7), (10.6, 10.9), (10.4, 10.9)])
    result = assess(_alert(area_xml(polygons=(north,))), ref)
    assert [a.division.name for a in result.affected] == ["Test County", "North"]
    assert result.population == 1200
    whole = assess(_alert(area_xml(geocodes=geocode("CPEAS", "999999"))), ref)
    assert whole.whole_county and whole.population == 5000
