"""API over resource registries: depots, teams, members, experts, shelters, equipment (via services)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yingji.apps.core.api import RestrictedViewSetMixin, RestrictedWriteViewSet
from yingji.apps.resources import services
from yingji.apps.resources.api.serializers import (
    DepotSerializer,
    EquipmentSerializer,
    ExpertSerializer,
    RescueTeamSerializer,
    ShelterSerializer,
    ShelterStatusSerializer,
    TeamMemberSerializer,
)
from yingji.apps.resources.models import Depot, Equipment, Expert, RescueTeam, Shelter, TeamMember


def perms(model_name: str, **extra: str) -> dict[str, str]:
    """``required_permissions`` for list/retrieve (view), create (add), update (change) and extras."""
    return {
        "list": f"resources.view_{model_name}",
        "retrieve": f"resources.view_{model_name}",
        "create": f"resources.add_{model_name}",
        "update": f"resources.change_{model_name}",
        "partial_update": f"resources.change_{model_name}",
        **extra,
    }


class ScopedActionsMixin(RestrictedViewSetMixin):
    """Restrict the queryset by the verb of the action (``action_verbs`` for custom actions)."""

    action_verbs: dict[str, str] = {}

    def get_queryset(self) -> Any:
        action_name = getattr(self, "action", None) or ""
        verb = self.action_verbs.get(action_name) or self._ACTION_VERB.get(action_name, "view")
        return self.queryset.all().restrict(self.request.user, verb)  # type: ignore[attr-defined]


class ScopedWriteViewSet(ScopedActionsMixin, RestrictedWriteViewSet):
    """Write viewset whose create/update call ``create_service``/``update_service``."""

    create_service: Any = None
    update_service: Any = None

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = type(self).create_service(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(obj).data, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        serializer = self.get_serializer(obj, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        obj = type(self).update_service(obj, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(obj).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)


class DepotViewSet(ScopedWriteViewSet):
    """Depots (储备库) of every owner. Filter by owner_kind, is_demo."""

    queryset = Depot.objects.select_related("division")
    serializer_class = DepotSerializer
    filterset_fields = ["owner_kind", "is_demo"]
    required_permissions = perms("depot")
    create_service = staticmethod(services.create_depot)
    update_service = staticmethod(services.update_depot)


class RescueTeamViewSet(ScopedWriteViewSet):
    """Rescue teams (综合性/专业/社会). Filter by kind, readiness, is_demo."""

    queryset = RescueTeam.objects.select_related("division").prefetch_related("members")
    serializer_class = RescueTeamSerializer
    filterset_fields = ["kind", "readiness", "is_demo"]
    required_permissions = perms("rescueteam")
    create_service = staticmethod(services.create_rescue_team)
    update_service = staticmethod(services.update_rescue_team)


class TeamMemberViewSet(ScopedWriteViewSet):
    """Team members (ID numbers are write-only; reads show them masked). Filter by team."""

    queryset = TeamMember.objects.select_related("team")
    serializer_class = TeamMemberSerializer
    filterset_fields = ["team", "is_demo"]
    required_permissions = perms("teammember")
    create_service = staticmethod(services.add_team_member)
    update_service = staticmethod(services.update_team_member)


class ExpertViewSet(ScopedWriteViewSet):
    """Expert roster (专家库). Filter by specialty, available."""

    queryset = Expert.objects.select_related("division")
    serializer_class = ExpertSerializer
    filterset_fields = ["specialty", "available", "is_demo"]
    required_permissions = perms("expert")
    create_service = staticmethod(services.create_expert)
    update_service = staticmethod(services.update_expert)


class ShelterViewSet(ScopedWriteViewSet):
    """Shelters (避难场所): capacity in persons, status, occupancy. ``POST …/status/`` opens/closes."""

    queryset = Shelter.objects.select_related("division")
    serializer_class = ShelterSerializer
    filterset_fields = ["kind", "status", "is_demo"]
    required_permissions = perms("shelter", set_status="resources.change_shelter")
    action_verbs = {"set_status": "change"}
    create_service = staticmethod(services.create_shelter)
    update_service = staticmethod(services.update_shelter)

    @extend_schema(request=ShelterStatusSerializer, responses=ShelterSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk: Any = None) -> Response:
        shelter = self.get_object()
        body = ShelterStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        shelter = services.set_shelter_status(shelter, actor=request.user, **body.validated_data)
        return Response(ShelterSerializer(shelter).data)


class EquipmentViewSet(ScopedWriteViewSet):
    """Equipment: vehicles, pumps, generators, UAVs, satellite phones. Filter by kind, status, team, depot."""

    queryset = Equipment.objects.select_related("division")
    serializer_class = EquipmentSerializer
    filterset_fields = ["kind", "status", "team", "depot", "is_demo"]
    required_permissions = perms("equipment")
    create_service = staticmethod(services.create_equipment)
    update_service = staticmethod(services.update_equipment)
