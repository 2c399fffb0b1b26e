"""Is a point inside the deployment county? (WGS84 lon/lat against the county boundary polygon.)

Shared by every app that stores coordinates (incidents, resources, monitoring, risk): a
model field validator or serializer check calls :func:`point_outside_county`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from shapely.geometry import Point, shape
from shapely.prepared import PreparedGeometry, prep

from yingji.apps.directory.models import AdministrativeDivision


@lru_cache(maxsize=4)
def _prepared_boundary(code: str, marker: int) -> PreparedGeometry | None:
    county = AdministrativeDivision.objects.filter(code=code).order_by("-edition_year").first()
    if county is None or not county.boundary:
        return None
    return prep(shape(county.boundary))


def county_boundary_marker(code: str) -> int:
    """A value that changes when the county row changes (pk), so the cache follows reloads."""
    return (
        AdministrativeDivision.objects.filter(code=code)
        .order_by("-edition_year")
        .values_list("pk", flat=True)
        .first()
        or 0
    )


def point_outside_county(lon: float, lat: float) -> bool:
    """True when (lon, lat) WGS84 lies outside the deployment county's boundary.

    Returns False when no boundary is loaded (nothing to check against). The
    boundary is ``AdministrativeDivision.boundary`` of ``YINGJI_COUNTY_CODE``
    (GeoJSON Polygon/MultiPolygon, WGS84).
    """
    code = str(settings.YINGJI_COUNTY_CODE)
    boundary = _prepared_boundary(code, county_boundary_marker(code))
    if boundary is None:
        return False
    return not boundary.covers(Point(lon, lat))


def coordinate_errors(lon: float | None, lat: float | None) -> dict[str, Any]:
    """Field errors of a WGS84 point in decimal degrees, for ``ValidationError``: both or neither
    given, longitude within -180..180 and latitude within -90..90, and inside the deployment county
    (:func:`point_outside_county`; skipped when no boundary is loaded).

    Returns:
        ``{}`` when the point is acceptable or absent, else ``{"lon": message, "lat": message}``
        (either or both; half a point or a point outside the county names both fields).
    """
    if lon is None and lat is None:
        return {}
    if lon is None or lat is None:
        half = _("经度和纬度须同时填写。")
        return {"lon": half, "lat": half}
    errors: dict[str, Any] = {}
    if not -180 <= lon <= 180:
        errors["lon"] = _("经度须在 -180..180 之间。")
    if not -90 <= lat <= 90:
        errors["lat"] = _("纬度须在 -90..90 之间。")
    if not errors and point_outside_county(lon, lat):
        message = _("坐标不在本县范围内 (%(lon)s, %(lat)s)。") % {"lon": lon, "lat": lat}
        errors = {"lon": message, "lat": message}
    return errors
