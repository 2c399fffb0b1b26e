from yingji.apps.resources.models.catalogue import SupplyClass, SupplyItem
from yingji.apps.resources.models.dispatch import DispatchAllocation, DispatchLine, DispatchOrder
from yingji.apps.resources.models.equipment import Equipment
from yingji.apps.resources.models.quota import ReserveQuota
from yingji.apps.resources.models.registry import Depot, Expert, RescueTeam, Shelter, split_tags
from yingji.apps.resources.models.stock import StockLot, StockMovement
from yingji.apps.resources.models.teams import Certificate, TeamMember

__all__ = [
    "Certificate",
    "Depot",
    "DispatchAllocation",
    "DispatchLine",
    "DispatchOrder",
    "Equipment",
    "Expert",
    "RescueTeam",
    "ReserveQuota",
    "Shelter",
    "StockLot",
    "StockMovement",
    "SupplyClass",
    "SupplyItem",
    "TeamMember",
    "split_tags",
]
