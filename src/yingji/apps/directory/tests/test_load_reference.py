"""Loading the real Yanqi reference data: counts, values, idempotence, corrupt input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

from yingji.apps.audit.models import ChangeRecord
from yingji.apps.directory.models import AdministrativeDivision, HazardHistoryFeature
from yingji.apps.directory.reference import ReferenceDataError
from yingji.apps.directory.services import load_reference_data

ROOT = Path(__file__).resolve().parents[5]
MANIFEST = ROOT / "data" / "yanqi" / "reference.json"


@pytest.mark.django_db
def test_divisions_counts_and_codes():
    qs = AdministrativeDivision.objects.filter(edition_year=2023)
    assert qs.filter(level="county").count() == 1
    assert qs.filter(level="township").count() == 10
    assert qs.filter(level="village").count() == 76
    county = qs.get(level="county")
    assert county.code == "652826000000" and county.name == "焉耆回族自治县"
    assert county.parent_code == "652800000000"
    assert all(len(d.code) == 12 and d.code.startswith("652826") for d in qs)
    for village in qs.filter(level="village"):
        assert village.parent is not None and village.parent.level == "township"
        assert village.point_lon is None and village.point_lat is None  # never invented


@pytest.mark.django_db
def test_population_and_points_and_boundary():
    county = AdministrativeDivision.objects.get(code="652826000000")
    assert (county.population, county.population_year) == (122961, 2020)
    townships = AdministrativeDivision.objects.filter(level="township")
    assert all(t.has_point for t in townships)
    assert townships.get(name="七个星镇").population == 12629
    assert townships.get(name="七个星镇").population_year == 2000
    polygon = shape(county.boundary)
    assert polygon.is_valid and polygon.geom_type == "Polygon"
    assert "GCJ-02" in county.boundary_source and "WGS84" in county.boundary_source
    for t in townships:
        assert polygon.contains(Point(t.point_lon, t.point_lat)), t.name
    # WGS84 seat of 焉耆镇 from the source file (converted from GCJ-02 86.570957, 42.062255)
    seat = townships.get(code="652826100000")
    assert seat.point_lon == pytest.approx(86.568708) and seat.point_lat == pytest.approx(42.061072)


@pytest.mark.django_db
def test_hazard_layers_loaded():
    assert HazardHistoryFeature.objects.filter(layer="earthquake").count() == 36
    assert HazardHistoryFeature.objects.filter(layer="fault").count() == 15
    assert HazardHistoryFeature.objects.filter(layer="flood").count() == 11
    fault = HazardHistoryFeature.objects.filter(layer="fault").first()
    assert fault.geometry["type"] in ("LineString", "MultiLineString")


@pytest.mark.django_db
def test_reload_is_idempotent_and_writes_no_audit():
    before = ChangeRecord.objects.count()
    counts = load_reference_data(MANIFEST).counts
    assert counts["divisions"] == {"created": 0, "updated": 0, "unchanged": 87}
    assert ChangeRecord.objects.count() == before


def _copy_county(tmp_path: Path) -> Path:
    dest = tmp_path / "county"
    shutil.copytree(MANIFEST.parent, dest)
    return dest / "reference.json"


@pytest.mark.django_db
def test_corrupt_csv_names_file_and_row_and_loads_nothing(tmp_path):
    manifest = _copy_county(tmp_path)
    csv_path = manifest.parent / "admin" / "admin_divisions_652826_2023.csv"
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    lines.append("65282610099X,坏代码村,village,652826100000,,,")
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    AdministrativeDivision.objects.filter(code="652826100001").update(name="changed-before-load")
    with pytest.raises(ReferenceDataError) as err:
        load_reference_data(manifest)
    assert str(err.value).startswith(f"{csv_path}:{len(lines)}:")
    assert "12-digit" in str(err.value)
    # nothing of the failed load was written
    assert AdministrativeDivision.objects.get(code="652826100001").name == "changed-before-load"


@pytest.mark.django_db
def test_corrupt_geojson_is_rejected(tmp_path):
    manifest = _copy_county(tmp_path)
    boundary = manifest.parent / "boundaries" / "yanqi_county_amap_wgs84.geojson"
    boundary.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(ReferenceDataError) as err:
        load_reference_data(manifest)
    assert str(boundary) in str(err.value) and "GeoJSON" in str(err.value)


@pytest.mark.django_db
def test_self_intersecting_boundary_is_rejected(tmp_path):
    manifest = _copy_county(tmp_path)
    boundary = manifest.parent / "boundaries" / "yanqi_county_amap_wgs84.geojson"
    bowtie = {"type": "Polygon", "coordinates": [[[86, 42], [87, 43], [87, 42], [86, 43], [86, 42]]]}
    boundary.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": {}, "geometry": bowtie}],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(ReferenceDataError, match="invalid polygon"):
        load_reference_data(manifest)


@pytest.mark.django_db
def test_bad_population_value(tmp_path):
    manifest = _copy_county(tmp_path)
    pop = manifest.parent / "demographics" / "township_population_census2000.csv"
    text = pop.read_text(encoding="utf-8").replace("12629", "12x29")
    pop.write_text(text, encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"township_population_census2000.csv:3: pop_census_2000"):
        load_reference_data(manifest)
