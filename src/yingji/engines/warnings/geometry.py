"""CAP ``polygon`` and ``circle`` geometry (CAP 1.2 §3.2.4, WGS 84).

* polygon: whitespace-separated ``lat,lon`` pairs, at least 4, first == last
  (CAP 1.2 §3.2.4 "polygon"); we also require a simple ring (shapely ``is_simple``).
* circle: ``lat,lon radius`` with the radius in **km** (CAP 1.2 §3.2.4 "circle");
  a radius of 0 is a point.

Coordinates are degrees, latitude in [-90, 90], longitude in [-180, 180].
Shapely geometries use (lon, lat) axis order. Circles are turned into polygons on
the WGS 84 ellipsoid (pyproj ``Geod``), 72 vertices.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pyproj import Geod
from shapely.geometry import LinearRing, Point, Polygon
from shapely.geometry.base import BaseGeometry

_WGS84 = Geod(ellps="WGS84")


class GeometryError(ValueError):
    """A polygon or circle string that cannot be used. ``rule`` names the CAP rule broken."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule


@dataclass(frozen=True)
class Circle:
    """A CAP circle: centre (degrees WGS 84) and radius in km."""

    lat: float
    lon: float
    radius_km: float


def _pair(token: str) -> tuple[float, float]:
    parts = token.split(",")
    if len(parts) != 2:
        raise GeometryError("area.polygon.syntax", f"{token!r} is not a 'lat,lon' pair")
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        raise GeometryError("area.polygon.syntax", f"{token!r} is not a 'lat,lon' pair of numbers") from None
    if lat != lat or lon != lon:
        raise GeometryError("area.polygon.syntax", f"{token!r} is not a number")
    return lat, lon


def _check_range(lat: float, lon: float, rule: str) -> None:
    if not -90.0 <= lat <= 90.0 or not -180.0 <= lon <= 180.0:
        raise GeometryError(rule, f"{lat},{lon} is outside WGS 84 ranges (lat ±90, lon ±180)")


def parse_polygon(text: str) -> tuple[tuple[float, float], ...]:
    """Parse and check a CAP polygon string.

    Args:
        text: ``lat,lon lat,lon ...`` (any whitespace, line breaks allowed).

    Returns:
        The points as ``(lat, lon)`` degrees, closing point included.

    Raises:
        GeometryError: rule ``area.polygon.syntax`` (empty, bad pair), ``area.polygon.range``,
            ``area.polygon.too-few-points`` (< 4 pairs), ``area.polygon.not-closed``
            (first != last), ``area.polygon.self-intersecting``.
    """
    tokens = text.split()
    if not tokens:
        raise GeometryError("area.polygon.syntax", "empty polygon")
    points = tuple(_pair(t) for t in tokens)
    for lat, lon in points:
        _check_range(lat, lon, "area.polygon.range")
    if len(points) < 4:
        raise GeometryError("area.polygon.too-few-points", f"{len(points)} pairs; CAP needs at least 4")
    if points[0] != points[-1]:
        raise GeometryError("area.polygon.not-closed", "first and last pairs differ; the ring must be closed")
    ring = LinearRing([(lon, lat) for lat, lon in points])
    if not ring.is_simple:
        raise GeometryError("area.polygon.self-intersecting", "the polygon ring crosses itself")
    return points


def parse_circle(text: str) -> Circle:
    """Parse a CAP circle ``lat,lon radius`` (radius in km, >= 0).

    Raises:
        GeometryError: rule ``area.circle.syntax``, ``area.circle.range`` or ``area.circle.radius``.
    """
    tokens = text.split()
    if len(tokens) != 2:
        raise GeometryError("area.circle.syntax", f"{text.strip()!r} is not 'lat,lon radius'")
    parts = tokens[0].split(",")
    try:
        if len(parts) != 2:
            raise ValueError
        lat, lon, radius = float(parts[0]), float(parts[1]), float(tokens[1])
    except ValueError:
        raise GeometryError("area.circle.syntax", f"{text.strip()!r} is not 'lat,lon radius'") from None
    if lat != lat or lon != lon or radius != radius:
        raise GeometryError("area.circle.syntax", f"{text.strip()!r} holds NaN")
    _check_range(lat, lon, "area.circle.range")
    if radius < 0:
        raise GeometryError("area.circle.radius", f"radius {radius} km is negative")
    return Circle(lat, lon, radius)


def polygon_shape(points: tuple[tuple[float, float], ...]) -> Polygon:
    """Shapely polygon in (lon, lat) order from ``parse_polygon`` output."""
    return Polygon([(lon, lat) for lat, lon in points])


@cache
def _circle_shape(lat: float, lon: float, radius_km: float, vertices: int) -> BaseGeometry:
    if radius_km == 0:
        return Point(lon, lat)
    azimuths = [360.0 * i / vertices for i in range(vertices)]
    lons, lats, _ = _WGS84.fwd([lon] * vertices, [lat] * vertices, azimuths, [radius_km * 1000.0] * vertices)
    return Polygon(list(zip(lons, lats, strict=True)))


def circle_shape(circle: Circle, vertices: int = 72) -> BaseGeometry:
    """Geodesic circle on WGS 84 as a shapely polygon (a Point when the radius is 0)."""
    return _circle_shape(circle.lat, circle.lon, circle.radius_km, vertices)


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance on the WGS 84 ellipsoid, in km (pyproj ``Geod.inv``)."""
    _, _, metres = _WGS84.inv(lon1, lat1, lon2, lat2)
    return float(metres) / 1000.0


def in_circle(circle: Circle, lat: float, lon: float) -> bool:
    """True when (lat, lon) lies within the circle (geodesic distance <= radius km)."""
    return geodesic_km(circle.lat, circle.lon, lat, lon) <= circle.radius_km
