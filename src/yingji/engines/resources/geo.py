"""Geodesic distances on the WGS84 ellipsoid (pyproj.Geod, Karney's algorithm).

Straight-line (ellipsoidal) distance stands in for road travel time until a road
network is available; it is a lower bound of the real travel distance.
"""

from __future__ import annotations

from collections.abc import Sequence

from pyproj import Geod

from yingji.engines.resources.model import GeoPoint

_GEOD = Geod(ellps="WGS84")


def distance_m(a: GeoPoint, b: GeoPoint) -> float:
    """Geodesic distance between two WGS84 points in metres (Karney 2013 via PROJ)."""
    _az1, _az2, dist = _GEOD.inv(a.lon, a.lat, b.lon, b.lat)
    return float(dist)


def distances_m(origin: GeoPoint, points: Sequence[GeoPoint | None]) -> list[float | None]:
    """Geodesic distances in metres from ``origin`` to each point (``None`` stays ``None``).

    One vectorised PROJ call for all located points.
    """
    located = [(i, p) for i, p in enumerate(points) if p is not None]
    out: list[float | None] = [None] * len(points)
    if not located:
        return out
    n = len(located)
    _a, _b, dists = _GEOD.inv(
        [origin.lon] * n,
        [origin.lat] * n,
        [p.lon for _, p in located],
        [p.lat for _, p in located],
    )
    for (i, _p), d in zip(located, dists, strict=True):
        out[i] = float(d)
    return out
