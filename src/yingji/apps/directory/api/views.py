"""Divisions (read-only reference data), organisations (read/write through services)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework.request import Request
from rest_framework.response import Response

from yingji.apps.core.api import RestrictedReadOnlyViewSet, RestrictedWriteViewSet
from yingji.apps.directory import services
from yingji.apps.directory.api.filters import DivisionFilter, OrganizationFilter
from yingji.apps.directory.api.serializers import (
    DivisionGeoSerializer,
    DivisionSerializer,
    HazardFeatureSerializer,
    OrganizationSerializer,
)
from yingji.apps.directory.models import AdministrativeDivision, HazardHistoryFeature, Organization


class DivisionViewSet(RestrictedReadOnlyViewSet):
    """Administrative divisions (县/乡镇/村). Filter by level, parent_code, code_prefix, name."""

    queryset = AdministrativeDivision.objects.select_related("parent").order_by("code")
    filterset_class = DivisionFilter
    lookup_field = "code"
    required_permissions = {
        "list": "directory.view_administrativedivision",
        "retrieve": "directory.view_administrativedivision",
    }

    def get_serializer_class(self) -> Any:
        return DivisionGeoSerializer if self.action == "retrieve" else DivisionSerializer

    def get_object(self) -> Any:
        qs = (
            self.filter_queryset(self.get_queryset())
            .filter(code=self.kwargs["code"])
            .order_by("-edition_year")
        )
        obj = qs.first()
        if obj is None:
            raise Http404
        return obj


class OrganizationViewSet(RestrictedWriteViewSet):
    """Organisations: bureau, member units, township governments, enterprises, rescue teams."""

    queryset = Organization.objects.select_related("division")
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    required_permissions = {
        "list": "directory.view_organization",
        "retrieve": "directory.view_organization",
        "create": "directory.add_organization",
        "update": "directory.change_organization",
        "partial_update": "directory.change_organization",
    }

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        org = services.create_organization(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(org).data, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        org = self.get_object()
        serializer = self.get_serializer(org, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        org = services.update_organization(org, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(org).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)


class HazardFeatureViewSet(RestrictedReadOnlyViewSet):
    """Hazard-history features (earthquakes, faults, floods). Filter by layer."""

    queryset = HazardHistoryFeature.objects.all()
    serializer_class = HazardFeatureSerializer
    filterset_fields = ["layer"]
    required_permissions = {
        "list": "directory.view_hazardhistoryfeature",
        "retrieve": "directory.view_hazardhistoryfeature",
    }
