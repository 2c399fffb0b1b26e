"""Plain-dict views of computed reports (shortfall, reach) shared by the API, pages and exports."""

from __future__ import annotations

from typing import Any

from yingji.apps.directory.models import AdministrativeDivision
from yingji.apps.resources.selectors import Reach, ShortfallRow


def shortfall_dicts(rows: list[ShortfallRow]) -> list[dict[str, Any]]:
    """``[{division_code, division_name, item_code, item_name, unit, hazard, population,
    required, held, shortfall, coverage}]`` (quantities as ``Decimal``)."""
    return [
        {
            "division_code": r.division.code,
            "division_name": r.division.name,
            "item_code": r.item.code,
            "item_name": r.item.name,
            "unit": r.item.unit,
            "hazard": r.line.hazard,
            "population": r.line.population,
            "required": r.line.required,
            "held": r.line.held,
            "shortfall": r.line.shortfall,
            "coverage": r.line.coverage,
        }
        for r in rows
    ]


def reach_dict(division: AdministrativeDivision, reach: Reach) -> dict[str, Any]:
    """``{division_code, origin: [lon, lat], depots|teams|shelters: [{id, name, distance_m, detail}]}``."""
    return {
        "division_code": division.code,
        "origin": [reach.origin.lon, reach.origin.lat],
        "depots": [
            {
                "id": r.item.depot_id,
                "name": r.item.name,
                "distance_m": r.distance_m,
                "detail": {"available": str(r.item.available)},
            }
            for r in reach.depots
        ],
        "teams": [
            {
                "id": r.item.team_id,
                "name": r.item.name,
                "distance_m": r.distance_m,
                "detail": {"skills": sorted(r.item.skills), "members": r.item.members},
            }
            for r in reach.teams
        ],
        "shelters": [
            {
                "id": r.item.shelter_id,
                "name": r.item.name,
                "distance_m": r.distance_m,
                "detail": {"free": r.item.free, "capacity": r.item.capacity},
            }
            for r in reach.shelters
        ],
    }
