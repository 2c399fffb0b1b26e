"""Data for the warning maps (Leaflet): county boundary, township seats, message areas, extra layers."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from yingji.apps.directory import selectors as directory_selectors
from yingji.apps.warnings.selectors import assessment_layers
from yingji.engines.warnings import parse_alert
from yingji.engines.warnings.errors import CapError
from yingji.engines.warnings.geometry import GeometryError, parse_circle, parse_polygon


def _shapes(cap_xml: str) -> tuple[list[list[list[float]]], list[list[float]]]:
    polygons: list[list[list[float]]] = []
    circles: list[list[float]] = []
    if not cap_xml:
        return polygons, circles
    try:
        alert = parse_alert(cap_xml.encode("utf-8"))
    except CapError:
        return polygons, circles
    seen = set()
    for info in alert.infos:
        for area in info.areas:
            for text in area.polygons:
                if text in seen:
                    continue
                seen.add(text)
                try:
                    polygons.append([[lat, lon] for lat, lon in parse_polygon(text)])
                except GeometryError:
                    continue
            for text in area.circles:
                if text in seen:
                    continue
                seen.add(text)
                try:
                    c = parse_circle(text)
                except GeometryError:
                    continue
                circles.append([c.lat, c.lon, c.radius_km])
    return polygons, circles


def map_context(
    user: Any, *, polygon: str = "", cap_xml: str = "", area_codes: list[str] | None = None
) -> dict[str, Any]:
    """JSON-ready map data: ``boundary`` (GeoJSON), ``townships`` (seats with census figures),
    ``polygons`` ([[lat, lon], ...]), ``circles`` ([lat, lon, km]), ``draw`` (the warning's own
    polygon as [[lat, lon], ...]), ``affected`` (division codes), ``layers`` (extra layers from
    ``selectors.register_assessment_layer``, e.g. open incidents)."""
    county = directory_selectors.county_for(user, settings.YINGJI_COUNTY_CODE)
    townships = [
        {
            "code": d.code,
            "name": d.name,
            "lat": d.point_lat,
            "lon": d.point_lon,
            "population": d.population,
            "population_year": d.population_year,
        }
        for d in directory_selectors.divisions_for(user, level="township")
        if d.has_point
    ]
    polygons, circles = _shapes(cap_xml)
    draw: list[list[float]] = []
    if polygon.strip():
        try:
            draw = [[lat, lon] for lat, lon in parse_polygon(polygon)]
        except GeometryError:
            draw = []
    return {
        "boundary": county.boundary if county is not None else None,
        "townships": townships,
        "polygons": polygons,
        "circles": circles,
        "draw": draw,
        "affected": list(area_codes or []),
        "layers": assessment_layers(user),
    }
