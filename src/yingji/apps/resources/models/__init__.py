from yingji.apps.resources.models.registry import Depot, Expert, RescueTeam, Shelter

__all__ = ["Depot", "Expert", "RescueTeam", "Shelter"]
