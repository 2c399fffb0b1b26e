"""Read-only API over resource registries (writes arrive with the resources issue)."""

from __future__ import annotations

from yingji.apps.core.api import RestrictedReadOnlyViewSet
from yingji.apps.resources.api.serializers import (
    DepotSerializer,
    ExpertSerializer,
    RescueTeamSerializer,
    ShelterSerializer,
)
from yingji.apps.resources.models import Depot, Expert, RescueTeam, Shelter


def _perms(model_name: str) -> dict[str, str]:
    perm = f"resources.view_{model_name}"
    return {"list": perm, "retrieve": perm}


class DepotViewSet(RestrictedReadOnlyViewSet):
    queryset = Depot.objects.select_related("division")
    serializer_class = DepotSerializer
    filterset_fields = ["owner_kind", "is_demo"]
    required_permissions = _perms("depot")


class RescueTeamViewSet(RestrictedReadOnlyViewSet):
    queryset = RescueTeam.objects.select_related("division")
    serializer_class = RescueTeamSerializer
    filterset_fields = ["kind", "readiness", "is_demo"]
    required_permissions = _perms("rescueteam")


class ExpertViewSet(RestrictedReadOnlyViewSet):
    queryset = Expert.objects.select_related("division")
    serializer_class = ExpertSerializer
    filterset_fields = ["specialty", "available", "is_demo"]
    required_permissions = _perms("expert")


class ShelterViewSet(RestrictedReadOnlyViewSet):
    queryset = Shelter.objects.select_related("division")
    serializer_class = ShelterSerializer
    filterset_fields = ["kind", "status", "is_demo"]
    required_permissions = _perms("shelter")
