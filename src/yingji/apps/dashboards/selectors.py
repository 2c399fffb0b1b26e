"""Map layers (GeoJSON FeatureCollections) and overview counts, built from other apps' selectors.

Each layer is included only when the user may view its model; every feature
comes through that model's per-user restriction.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from yingji.apps.directory import selectors as directory
from yingji.apps.directory.models import HazardLayer
from yingji.apps.incidents.selectors import incident_map_layer
from yingji.apps.monitoring.selectors import monitoring_map_layer_for
from yingji.apps.resources import selectors as resources
from yingji.apps.risk import selectors as risk


def _point(lon: float | None, lat: float | None) -> dict[str, Any] | None:
    if lon is None or lat is None:
        return None
    return {"type": "Point", "coordinates": [lon, lat]}


def _collection(
    key: str, title: str, kind: str, features: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    return {
        "key": key,
        "title": title,
        "kind": kind,
        "type": "FeatureCollection",
        "features": features,
        **extra,
    }


def map_layers_for(user: Any) -> list[dict[str, Any]]:
    """All map layers ``user`` may see, as GeoJSON FeatureCollections with ``key``/``title``/``kind``.

    Coordinates are WGS84 (lon, lat). Demo records carry ``demo: true`` so the
    map labels them 示例.
    """
    layers: list[dict[str, Any]] = []
    if user.has_perm("directory.view_administrativedivision"):
        county = directory.county_for(user, settings.YINGJI_COUNTY_CODE)
        if county is not None and county.boundary:
            layers.append(
                _collection(
                    "boundary",
                    _("县界"),
                    "boundary",
                    [
                        {
                            "type": "Feature",
                            "geometry": county.boundary,
                            "properties": {
                                "code": county.code,
                                "name": county.name,
                                "population": county.population,
                                "population_year": county.population_year,
                                "source": county.boundary_source,
                            },
                        }
                    ],
                )
            )
        seats = []
        for d in directory.divisions_for(user, level="township"):
            geom = _point(d.point_lon, d.point_lat)
            if geom is None:
                continue
            seats.append(
                {
                    "type": "Feature",
                    "geometry": geom,
                    "properties": {
                        "code": d.code,
                        "name": d.name,
                        "population": d.population,
                        "population_year": d.population_year,
                        "url": f"/directory/divisions/{d.code}/",
                    },
                }
            )
        layers.append(_collection("townships", _("乡镇驻地"), "township", seats))
    if user.has_perm("directory.view_hazardhistoryfeature"):
        titles = dict(HazardLayer.choices)
        for layer in HazardLayer.values:
            feats = [
                {
                    "type": "Feature",
                    "geometry": f.geometry,
                    "properties": {
                        "title": f.title,
                        "occurred_on": f.occurred_on,
                        "magnitude": f.magnitude,
                        "source": f.source,
                    },
                }
                for f in directory.hazard_features_for(user, layer)
            ]
            layers.append(_collection(f"hazard-{layer}", str(titles[layer]), layer, feats))
    if user.has_perm("directory.view_organization"):
        orgs = [
            {
                "type": "Feature",
                "geometry": _point(o.lon, o.lat),
                "properties": {"name": o.name, "kind": o.get_kind_display(), "demo": o.is_demo},
            }
            for o in directory.organizations_for(user).filter(kind="enterprise")
            if o.lon is not None
        ]
        layers.append(_collection("enterprises", _("企业"), "enterprise", orgs))
    registries = [
        ("depots", _("储备库"), "depot", "resources.view_depot", resources.depots_for),
        ("teams", _("救援队伍"), "team", "resources.view_rescueteam", resources.rescue_teams_for),
        ("shelters", _("避难场所"), "shelter", "resources.view_shelter", resources.shelters_for),
    ]
    for key, title, kind, perm, selector in registries:
        if not user.has_perm(perm):
            continue
        feats = []
        obj: Any
        for obj in selector(user):
            geom = _point(obj.lon, obj.lat)
            if geom is not None:
                feats.append(
                    {
                        "type": "Feature",
                        "geometry": geom,
                        "properties": {
                            "name": obj.name,
                            "demo": obj.is_demo,
                            "detail": getattr(obj, "capacity_persons", None)
                            or getattr(obj, "member_count", None),
                        },
                    }
                )
        layers.append(_collection(key, str(title), kind, feats))
    if user.has_perm("incidents.view_incident"):
        layers.append(incident_map_layer(user))
    monitoring = monitoring_map_layer_for(user)
    if monitoring is not None:
        layers.append(monitoring)
    return layers


def overview_for(user: Any) -> dict[str, Any]:
    """Counts for the overview page (only what ``user`` may see)."""
    county = directory.county_for(user, settings.YINGJI_COUNTY_CODE)
    return {
        "county": county,
        "townships": directory.divisions_for(user, level="township").count(),
        "villages": directory.divisions_for(user, level="village").count(),
        "organizations": directory.organizations_for(user).count()
        if user.has_perm("directory.view_organization")
        else None,
        "depots": resources.depots_for(user).count() if user.has_perm("resources.view_depot") else None,
        "teams": resources.rescue_teams_for(user).count()
        if user.has_perm("resources.view_rescueteam")
        else None,
        "experts": resources.experts_for(user).count() if user.has_perm("resources.view_expert") else None,
        "shelters": resources.shelters_for(user).count() if user.has_perm("resources.view_shelter") else None,
        "inventories": risk.inventories_for(user).count()
        if user.has_perm("risk.view_chemicalinventory")
        else None,
        "hazard_features": directory.hazard_features_for(user).count(),
    }
