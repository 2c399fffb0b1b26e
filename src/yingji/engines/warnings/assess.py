"""Which parts of the county a CAP message covers, and how many people live there.

Every ``<area>`` of every ``<info>`` is intersected with the county:

* polygons (CAP 1.2 §3.2.4) and circles (geodesic radius in km on WGS 84) against
  the county boundary; a township counts as affected when its seat point lies in
  the shape (there are no township polygons); a shape that reaches the county but
  holds no seat marks the county as touched only; a shape containing the whole
  boundary covers the county;
* geocodes whose ``valueName`` names a Chinese division code (CMA uses
  "CPEAS Geographic Code"; see ``CountyReference.geocode_names``) holding a 6-, 9- or
  12-digit GB/T 2260 / NBS code: a code equal to the county or one of its ancestors
  covers the whole county; a township or village code covers that unit.

Population: the county total from the latest census (2020: 122,961) when the whole
county is covered; otherwise the sum of the affected townships' 2000-census figures
(the latest township-level data), labelled with its year; ``None`` when no figure
applies (touched without a seat, or village-level codes only). Nothing is estimated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from .county import CountyReference, Division, yanqi_reference
from .geometry import GeometryError, circle_shape, in_circle, parse_circle, parse_polygon, polygon_shape
from .model import Alert, Area


@dataclass(frozen=True)
class AffectedDivision:
    """A division reached by the message. ``coverage``: ``whole``/``part``; ``reason``: how it was found."""

    division: Division
    coverage: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        """JSON form: code, name, level, population, population_year, coverage, reason."""
        d = self.division
        return {
            "code": d.code,
            "name": d.name,
            "level": d.level,
            "population": d.population,
            "population_year": d.population_year,
            "coverage": self.coverage,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Assessment:
    """Result of ``assess``. ``population`` is a head count (persons) or ``None``."""

    identifier: str
    county_code: str
    county_name: str
    intersects_county: bool
    whole_county: bool
    affected: tuple[AffectedDivision, ...]
    population: int | None
    population_basis: str
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        """The JSON object printed by ``yingji cap assess --json``."""
        return {
            "identifier": self.identifier,
            "county": {"code": self.county_code, "name": self.county_name},
            "intersects_county": self.intersects_county,
            "whole_county": self.whole_county,
            "affected_divisions": [a.as_dict() for a in self.affected],
            "population": self.population,
            "population_basis": self.population_basis,
            "notes": list(self.notes),
        }


def division_prefix(code12: str) -> str:
    """Significant prefix of a 12-digit division code (province 2, prefecture 4, county 6, township 9)."""
    for length in (2, 4, 6, 9):
        if code12[length:] == "0" * (12 - length):
            return code12[:length]
    return code12


def chinese_division_code(value_name: str, value: str, names: tuple[str, ...]) -> str | None:
    """The 12-digit code of a geocode naming a Chinese division, else ``None``.

    Accepts 6-, 9- or 12-digit values (padded with zeros) when ``value_name``
    contains one of ``names`` (case-insensitive).
    """
    vn = value_name.strip().lower()
    v = value.strip()
    if not any(n in vn for n in names) or not v.isdigit() or len(v) not in (6, 9, 12):
        return None
    return v.ljust(12, "0")


class _Hits:
    def __init__(self, ref: CountyReference) -> None:
        self.ref = ref
        self.whole: list[str] = []
        self.touched = False
        self.units: dict[str, str] = {}  # division code -> reason
        self.notes: list[str] = []

    def shape(self, geom: BaseGeometry, kind: str, contains_seat: Any) -> None:
        if not self.ref.prepared.intersects(geom):
            return
        self.touched = True
        if geom.covers(self.ref.boundary):
            self.whole.append(kind)
        for d in self.ref.divisions:
            if d.level == "township" and d.seat is not None and contains_seat(d.seat):
                self.units.setdefault(d.code, f"seat in {kind}")

    def area(self, area: Area) -> None:
        for text in area.polygons:
            try:
                points = parse_polygon(text)
            except GeometryError as exc:
                self.notes.append(f"polygon of {area.area_desc!r} skipped: {exc}")
                continue
            poly = polygon_shape(points)
            self.shape(poly, "polygon", lambda s, p=poly: p.covers(Point(s)))
        for text in area.circles:
            try:
                circle = parse_circle(text)
            except GeometryError as exc:
                self.notes.append(f"circle of {area.area_desc!r} skipped: {exc}")
                continue
            self.shape(circle_shape(circle), "circle", lambda s, c=circle: in_circle(c, s[1], s[0]))
        for pair in area.geocodes:
            code = chinese_division_code(pair.value_name, pair.value, self.ref.geocode_names)
            if code is None:
                continue
            prefix = division_prefix(code)
            if self.ref.code.startswith(prefix):
                self.whole.append(f"geocode {code}")
                continue
            for d in self.ref.divisions:
                if d.code == code:
                    self.units.setdefault(d.code, f"geocode {code}")


def assess(alert: Alert, ref: CountyReference | None = None) -> Assessment:
    """Intersect all areas of a CAP message with a county (Yanqi by default).

    Args:
        alert: the parsed message.
        ref: county reference data (``county.load_county_reference``); default Yanqi 652826.

    Returns:
        ``Assessment`` with affected divisions (county first, then townships and villages
        in code order) and the population figure with its basis (census year stated).
    """
    ref = ref or yanqi_reference()
    hits = _Hits(ref)
    seen: set[Area] = set()
    for info in alert.infos:
        for area in info.areas:
            if area not in seen:
                seen.add(area)
                hits.area(area)
    whole = bool(hits.whole)
    intersects = whole or hits.touched or bool(hits.units)
    county = ref.county
    affected: list[AffectedDivision] = []
    population: int | None
    if not intersects:
        basis = "no area of the message reaches the county"
        population = 0
    elif whole:
        affected.append(AffectedDivision(county, "whole", f"county covered by {hits.whole[0]}"))
        for d in ref.divisions:
            if d.level == "township":
                affected.append(AffectedDivision(d, "whole", "county covered"))
        population = ref.population
        basis = (
            f"county total, {ref.population_year} census"
            if ref.population is not None
            else "no county figure"
        )
    else:
        affected.append(AffectedDivision(county, "part", "part of the county"))
        units = [d for d in ref.divisions if d.code in hits.units]
        affected.extend(AffectedDivision(d, "whole", hits.units[d.code]) for d in units)
        townships = [d for d in units if d.level == "township"]
        figures = [d.population for d in townships if d.population is not None]
        if townships and len(figures) == len(townships):
            population = sum(figures)
            years = sorted({d.population_year for d in townships if d.population_year})
            basis = (
                f"sum of {len(townships)} affected township(s), {'/'.join(map(str, years))} census "
                "(latest township-level figures; no later township data)"
            )
        else:
            population = None
            basis = (
                "the area reaches the county but contains no township seat; no population figure applies"
                if not units
                else "affected units have no population figure (village level or missing data)"
            )
    return Assessment(
        alert.identifier.strip(),
        ref.code,
        county.name,
        intersects,
        whole,
        tuple(affected),
        population,
        basis,
        tuple(hits.notes),
    )
