"""Resources engine: geodesic reach ranking (depots, teams, shelters), FEFO allocation of
stock across depots, reserve quotas and shortfall, expiry buckets and rotation
suggestions, and the (provisional) supply classification. Pure Python (no Django)."""

from yingji.engines.resources.allocation import allocate, fefo_order
from yingji.engines.resources.catalogue import CLASSES, SOURCE, SupplyClassDef, class_by_code
from yingji.engines.resources.expiry import (
    DEFAULT_HORIZONS,
    LotAge,
    RotationSuggestion,
    expiry_bucket,
    rotation_suggestions,
)
from yingji.engines.resources.geo import distance_m, distances_m
from yingji.engines.resources.model import (
    Allocation,
    DepotHolding,
    Draw,
    GeoPoint,
    InsufficientStockError,
    LotSource,
    Ranked,
    ResourceInputError,
    ShelterCandidate,
    TeamCandidate,
)
from yingji.engines.resources.quotas import (
    ABSOLUTE,
    PER_1000,
    QuotaRule,
    ShortfallLine,
    required_quantity,
    shortfall_report,
)
from yingji.engines.resources.reach import nearest_depots, nearest_teams, open_shelters

__all__ = [
    "ABSOLUTE",
    "CLASSES",
    "DEFAULT_HORIZONS",
    "PER_1000",
    "SOURCE",
    "Allocation",
    "DepotHolding",
    "Draw",
    "GeoPoint",
    "InsufficientStockError",
    "LotAge",
    "LotSource",
    "QuotaRule",
    "Ranked",
    "ResourceInputError",
    "RotationSuggestion",
    "ShelterCandidate",
    "ShortfallLine",
    "SupplyClassDef",
    "TeamCandidate",
    "allocate",
    "class_by_code",
    "distance_m",
    "distances_m",
    "expiry_bucket",
    "fefo_order",
    "nearest_depots",
    "nearest_teams",
    "open_shelters",
    "required_quantity",
    "rotation_suggestions",
    "shortfall_report",
]
