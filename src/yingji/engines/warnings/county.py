"""Reference data of the county a CAP message is assessed against (default: Yanqi, 652826).

Files (data/yanqi/, see data/yanqi/SOURCES.md):
* boundaries/yanqi_county_amap_wgs84.geojson — AMap district boundary (~2018),
  converted GCJ-02 → WGS 84 (≈1–2 m formula error);
* admin/admin_divisions_652826_2023.csv — NBS 统计用区划代码 2023 (12-digit codes);
* poi/township_points_amap_2016.csv — one AMap "center" point per township
  (``lon_wgs84_derived``/``lat_wgs84_derived``), probably near the seat, not guaranteed;
* demographics/census_bayingolin_counties_2010_2020.csv — 2020 census county total;
* demographics/township_population_census2000.csv — 2000 census township figures
  (the latest township-level numbers available).

Another county plugs in by building a ``CountyReference`` itself.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.prepared import PreparedGeometry, prep

from ..refdata import data_path


@dataclass(frozen=True)
class Division:
    """An administrative division: 12-digit code, name, level (county/township/village), parent code.

    ``seat`` is the (lon, lat) WGS 84 point of the township seat when known;
    ``population``/``population_year`` the latest census figure for the division.
    """

    code: str
    name: str
    level: str
    parent: str
    seat: tuple[float, float] | None = None
    population: int | None = None
    population_year: int | None = None


@dataclass(frozen=True)
class CountyReference:
    """Everything ``assess`` needs about one county.

    ``boundary`` is a shapely (Multi)Polygon in WGS 84 (lon, lat); ``divisions``
    include the county itself; ``geocode_names`` are the lower-cased ``valueName``
    fragments that mark a geocode as a Chinese division code (GB/T 2260 / NBS codes).
    """

    code: str
    name: str
    boundary: BaseGeometry
    divisions: tuple[Division, ...]
    population: int | None
    population_year: int | None
    ancestors: tuple[str, ...] = ()
    geocode_names: tuple[str, ...] = (
        "cpeas",
        "gb/t 2260",
        "gb2260",
        "行政区划",
        "区划代码",
        "adcode",
        "admin",
    )
    prepared: PreparedGeometry = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "prepared", prep(self.boundary))

    @property
    def county(self) -> Division:
        """The county's own ``Division`` row."""
        return next(d for d in self.divisions if d.code == self.code)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def load_county_reference(
    county_code6: str = "652826",
    *,
    boundary_file: Path | None = None,
    divisions_file: Path | None = None,
    points_file: Path | None = None,
    census_file: Path | None = None,
    township_population_file: Path | None = None,
) -> CountyReference:
    """Load a county's reference data from the repository files (Yanqi by default).

    Args:
        county_code6: the 6-digit county code (GB/T 2260).
        *_file: override any of the files listed in the module docstring.

    Returns:
        ``CountyReference``. Townships get their 2000-census population (year 2000);
        the county its latest county census total (2020 for Yanqi: 122,961).

    Raises:
        FileNotFoundError: a file is missing; KeyError/ValueError: unexpected columns.
    """
    boundary_file = boundary_file or data_path("yanqi", "boundaries", "yanqi_county_amap_wgs84.geojson")
    divisions_file = divisions_file or data_path("yanqi", "admin", f"admin_divisions_{county_code6}_2023.csv")
    points_file = points_file or data_path("yanqi", "poi", "township_points_amap_2016.csv")
    census_file = census_file or data_path(
        "yanqi", "demographics", "census_bayingolin_counties_2010_2020.csv"
    )
    township_population_file = township_population_file or data_path(
        "yanqi", "demographics", "township_population_census2000.csv"
    )
    geo = json.loads(boundary_file.read_text(encoding="utf-8"))
    features = geo["features"] if geo.get("type") == "FeatureCollection" else [geo]
    boundary = shape(features[0]["geometry"])
    seats: dict[str, tuple[float, float]] = {}
    for row in _rows(points_file):
        if row.get("lon_wgs84_derived") and row.get("lat_wgs84_derived"):
            seats[row["code12"]] = (float(row["lon_wgs84_derived"]), float(row["lat_wgs84_derived"]))
    township_pop: dict[str, int] = {}
    for row in _rows(township_population_file):
        township_pop[row["code9"] + "000"] = int(row["pop_census_2000"])
    county_rows = [r for r in _rows(census_file) if r["code6"] == county_code6]
    latest = max(county_rows, key=lambda r: int(r["census_year"])) if county_rows else None
    county_pop = int(latest["pop_total"]) if latest else None
    county_year = int(latest["census_year"]) if latest else None
    county_code = county_code6 + "000000"
    divisions: list[Division] = []
    ancestors: list[str] = []
    name = county_code
    for row in _rows(divisions_file):
        code, level = row["code12"], row["level"]
        if level in ("province", "prefecture"):
            ancestors.append(code)
            continue
        pop: int | None = None
        year: int | None = None
        if code == county_code:
            name, pop, year = row["name"], county_pop, county_year
        elif code in township_pop:
            pop, year = township_pop[code], 2000
        divisions.append(Division(code, row["name"], level, row["parent_code12"], seats.get(code), pop, year))
    return CountyReference(
        county_code, name, boundary, tuple(divisions), county_pop, county_year, tuple(ancestors)
    )


@cache
def yanqi_reference() -> CountyReference:
    """The cached Yanqi (652826) reference data (see ``load_county_reference``)."""
    return load_county_reference("652826")
