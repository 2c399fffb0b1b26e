"""Reading a county's reference data (divisions, points, boundary, population, hazard history).

A county describes its files in a manifest (``data/<county>/reference.json``,
see ``data/yanqi/reference.json``). Every reader validates as it goes and
raises ``ReferenceDataError`` naming the file, the row (1-based, header = row 1)
and the problem, so a corrupt file stops the load before anything is written.
Readers return plain dataclasses; ``services.load_reference_data`` writes them.
"""

from __future__ import annotations

import csv
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shapely.geometry import shape
from shapely.validation import explain_validity

_CODE12 = re.compile(r"^\d{12}$")
_LEVELS = {"county": "county", "township": "township", "town": "township", "village": "village"}


class ReferenceDataError(Exception):
    """A reference file is unusable. ``str()`` is one line: ``FILE:ROW: problem``."""

    def __init__(self, file: Path | str, row: int | None, problem: str) -> None:
        self.file = str(file)
        self.row = row
        self.problem = problem
        where = f"{self.file}:{row}" if row is not None else self.file
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class DivisionRow:
    code: str
    name: str
    level: str
    parent_code: str
    urban_rural_code: str
    note: str


@dataclass(frozen=True)
class HazardRow:
    layer: str
    source_key: str
    title: str
    occurred_on: str
    magnitude: float | None
    geometry: dict[str, Any]
    properties: dict[str, Any]
    source: str
    licence: str


@dataclass
class ReferenceBundle:
    """Everything a manifest describes, validated and ready to write."""

    county_code: str
    edition_year: int
    divisions: list[DivisionRow]
    division_source: str
    points: dict[str, tuple[float, float]]
    point_source: str
    boundary: dict[str, Any] | None
    boundary_source: str
    population: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    hazards: list[HazardRow] = field(default_factory=list)


def _read_csv(path: Path, required: list[str], delimiter: str = ",") -> list[tuple[int, dict[str, str]]]:
    if not path.is_file():
        raise ReferenceDataError(path, None, "file not found")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReferenceDataError(path, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    reader = csv.DictReader(text.splitlines(), delimiter=delimiter)
    header = reader.fieldnames or []
    missing = [c for c in required if c not in header]
    if missing:
        raise ReferenceDataError(path, 1, f"missing column(s): {', '.join(missing)}")
    rows = []
    for index, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            raise ReferenceDataError(path, index, f"expected {len(header)} fields")
        rows.append((index, {k: (v or "").strip() for k, v in row.items()}))
    return rows


def _float(path: Path, row: int, column: str, raw: str, lo: float, hi: float) -> float:
    try:
        value = float(raw)
    except ValueError as exc:
        raise ReferenceDataError(path, row, f"{column}={raw!r} is not a number") from exc
    if not math.isfinite(value) or not lo <= value <= hi:
        raise ReferenceDataError(path, row, f"{column}={raw} outside [{lo}, {hi}]")
    return value


def read_divisions(path: Path, county_code: str) -> list[DivisionRow]:
    """Divisions of the county (county, townships, villages) from an NBS code CSV.

    Columns: code12, name, level, parent_code12 (urban_rural_code, note optional).
    Rows above the county (province, prefecture) are skipped.
    Raises ``ReferenceDataError`` on a malformed code, unknown level, duplicate
    code or a parent that is not in the file.
    """
    rows = _read_csv(path, ["code12", "name", "level", "parent_code12"])
    result: list[DivisionRow] = []
    seen: set[str] = set()
    prefix = county_code[:6]
    for index, row in rows:
        code = row["code12"]
        if not _CODE12.match(code):
            raise ReferenceDataError(path, index, f"code12={code!r} is not a 12-digit division code")
        raw_level = row["level"].lower()
        if raw_level in ("province", "prefecture"):
            continue
        level = _LEVELS.get(raw_level)
        if level is None:
            raise ReferenceDataError(path, index, f"level={row['level']!r} is not county/township/village")
        if not code.startswith(prefix):
            raise ReferenceDataError(path, index, f"code {code} is outside county {county_code}")
        if not row["name"]:
            raise ReferenceDataError(path, index, "empty name")
        if code in seen:
            raise ReferenceDataError(path, index, f"duplicate code {code}")
        parent = row["parent_code12"]
        if level != "county" and parent not in seen:
            raise ReferenceDataError(path, index, f"parent {parent!r} not listed before this row")
        seen.add(code)
        result.append(
            DivisionRow(
                code, row["name"], level, parent, row.get("urban_rural_code", ""), row.get("note", "")
            )
        )
    if county_code not in seen:
        raise ReferenceDataError(path, None, f"county {county_code} not in file")
    return result


def read_points(path: Path, lon_column: str, lat_column: str) -> dict[str, tuple[float, float]]:
    """Seat points ``{code12: (lon, lat)}`` in WGS84; rows with blank coordinates are skipped."""
    rows = _read_csv(path, ["code12", lon_column, lat_column])
    points: dict[str, tuple[float, float]] = {}
    for index, row in rows:
        if not row[lon_column] and not row[lat_column]:
            continue
        lon = _float(path, index, lon_column, row[lon_column], -180, 180)
        lat = _float(path, index, lat_column, row[lat_column], -90, 90)
        points[row["code12"]] = (lon, lat)
    return points


def _load_geojson(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ReferenceDataError(path, None, "file not found")
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise ReferenceDataError(path, line, f"not valid GeoJSON: {exc}") from exc
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise ReferenceDataError(path, None, "not a GeoJSON FeatureCollection")
    return data


def _check_geometry(path: Path, feature_no: int, geometry: Any, kinds: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(geometry, dict) or geometry.get("type") not in kinds:
        raise ReferenceDataError(path, feature_no, f"feature {feature_no}: geometry must be one of {kinds}")
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError) as exc:
        raise ReferenceDataError(path, feature_no, f"feature {feature_no}: bad coordinates ({exc})") from exc
    if geom.is_empty:
        raise ReferenceDataError(path, feature_no, f"feature {feature_no}: empty geometry")
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise ReferenceDataError(path, feature_no, f"feature {feature_no}: coordinates outside WGS84 range")
    if geometry["type"] in ("Polygon", "MultiPolygon") and not geom.is_valid:
        raise ReferenceDataError(
            path, feature_no, f"feature {feature_no}: invalid polygon ({explain_validity(geom)})"
        )
    return geometry


def read_boundary(path: Path) -> dict[str, Any]:
    """The county boundary: the geometry of the first feature (Polygon/MultiPolygon, WGS84)."""
    data = _load_geojson(path)
    if not data["features"]:
        raise ReferenceDataError(path, None, "no feature")
    return _check_geometry(path, 1, data["features"][0].get("geometry"), ("Polygon", "MultiPolygon"))


def read_population(spec: dict[str, Any], base: Path) -> dict[str, tuple[int, int, str]]:
    """``{code prefix: (population, year, source)}`` from one population file of the manifest."""
    path = base / spec["file"]
    code_col, value_col = spec["code_column"], spec["value_column"]
    rows = _read_csv(path, [code_col, value_col])
    result: dict[str, tuple[int, int, str]] = {}
    year_col = spec.get("year_column")
    for index, row in rows:
        if year_col and row.get(year_col) != str(spec["year"]):
            continue
        raw = row[value_col].replace(",", "")
        if not raw.isdigit():
            raise ReferenceDataError(path, index, f"{value_col}={row[value_col]!r} is not a whole number")
        result[row[code_col]] = (int(raw), int(spec["year"]), spec["source"])
    return result


def _earthquakes(path: Path, spec: dict[str, Any]) -> list[HazardRow]:
    rows = _read_csv(path, ["time_utc", "lat", "lon", "magnitude", "catalogue"])
    result = []
    for index, row in rows:
        lat = _float(path, index, "lat", row["lat"], -90, 90)
        lon = _float(path, index, "lon", row["lon"], -180, 180)
        mag = _float(path, index, "magnitude", row["magnitude"], -2, 10) if row["magnitude"] else None
        key = f"{row['catalogue']}|{row.get('source_event_id') or row['time_utc']}"
        title = f"M{mag:g} {row['time_utc'][:10]}" if mag is not None else row["time_utc"][:10]
        props = {k: v for k, v in row.items() if k not in ("lat", "lon") and v}
        result.append(
            HazardRow(
                "earthquake",
                key,
                title,
                row["time_utc"],
                mag,
                {"type": "Point", "coordinates": [lon, lat]},
                props,
                row["catalogue"],
                spec.get("licence", ""),
            )
        )
    return result


def _floods(path: Path, spec: dict[str, Any]) -> list[HazardRow]:
    rows = _read_csv(path, ["ID", "long", "lat", "Began", "MainCause"])
    result = []
    for index, row in rows:
        lat = _float(path, index, "lat", row["lat"], -90, 90)
        lon = _float(path, index, "long", row["long"], -180, 180)
        props = {k: v for k, v in row.items() if k not in ("lat", "long") and v}
        result.append(
            HazardRow(
                "flood",
                f"DFO|{row['ID']}",
                f"{row['Began']} {row['MainCause']}",
                row["Began"],
                None,
                {"type": "Point", "coordinates": [lon, lat]},
                props,
                spec["source"],
                spec.get("licence", ""),
            )
        )
    return result


def _geojson_features(path: Path, spec: dict[str, Any]) -> list[HazardRow]:
    data = _load_geojson(path)
    result = []
    key_prop = spec.get("key_property")
    for number, feature in enumerate(data["features"], start=1):
        props = feature.get("properties") or {}
        geometry = _check_geometry(
            path,
            number,
            feature.get("geometry"),
            ("Point", "LineString", "MultiLineString", "Polygon", "MultiPolygon"),
        )
        key = str(props.get(key_prop, number)) if key_prop else str(number)
        title = str(props.get("name") or f"{spec['layer']} #{key}")
        result.append(
            HazardRow(
                spec["layer"], key, title, "", None, geometry, props, spec["source"], spec.get("licence", "")
            )
        )
    return result


_HAZARD_READERS = {"earthquake_csv": _earthquakes, "dfo_csv": _floods, "geojson": _geojson_features}


def read_manifest(manifest_path: Path) -> ReferenceBundle:
    """Read and validate every file a county manifest names.

    Raises:
        ReferenceDataError: the manifest or any file is missing or malformed.
    """
    if not manifest_path.is_file():
        raise ReferenceDataError(manifest_path, None, "manifest not found")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        base = manifest_path.parent
        county_code = manifest["county_code"]
        div_spec = manifest["divisions"]
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ReferenceDataError(manifest_path, None, f"manifest is not UTF-8 JSON: {exc}") from exc
    except (KeyError, TypeError) as exc:
        raise ReferenceDataError(manifest_path, None, f"manifest lacks a required entry: {exc}") from exc
    divisions = read_divisions(base / div_spec["file"], county_code)
    point_spec = manifest.get("points")
    points = (
        read_points(base / point_spec["file"], point_spec["lon_column"], point_spec["lat_column"])
        if point_spec
        else {}
    )
    boundary_spec = manifest.get("boundary")
    boundary = read_boundary(base / boundary_spec["file"]) if boundary_spec else None
    population: dict[str, tuple[int, int, str]] = {}
    for spec in manifest.get("population", []):
        population.update(read_population(spec, base))
    hazards: list[HazardRow] = []
    for spec in manifest.get("hazard_layers", []):
        reader = _HAZARD_READERS.get(spec.get("format", ""))
        if reader is None:
            raise ReferenceDataError(
                manifest_path, None, f"unknown hazard layer format {spec.get('format')!r}"
            )
        hazards.extend(reader(base / spec["file"], spec))
    return ReferenceBundle(
        county_code=county_code,
        edition_year=int(div_spec["edition_year"]),
        divisions=divisions,
        division_source=div_spec.get("source", ""),
        points=points,
        point_source=(point_spec or {}).get("source", ""),
        boundary=boundary,
        boundary_source=(boundary_spec or {}).get("source", ""),
        population=population,
        hazards=hazards,
    )
