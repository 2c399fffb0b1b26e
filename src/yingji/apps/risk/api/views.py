"""Prevention API: ledger, units, inventories, risk points, hidden hazards (writes via services)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yingji.apps.core.api import RestrictedReadOnlyViewSet, RestrictedWriteViewSet
from yingji.apps.risk import exports, hazard_services, selectors, services
from yingji.apps.risk.api import serializers as s
from yingji.apps.risk.models import (
    ChemicalInventory,
    EnterpriseProfile,
    HiddenHazard,
    Licence,
    ProductionUnit,
    RiskPoint,
    SafetyManager,
    SpecialEquipment,
)


def _perms(model: str, *, delete: bool = False) -> dict[str, str]:
    perms = {
        "list": f"risk.view_{model}",
        "retrieve": f"risk.view_{model}",
        "create": f"risk.add_{model}",
        "update": f"risk.change_{model}",
        "partial_update": f"risk.change_{model}",
    }
    if delete:
        perms["destroy"] = f"risk.delete_{model}"
    return perms


class EnterpriseProfileViewSet(RestrictedWriteViewSet):
    """Enterprise safety ledger headers (industry GB/T 4754, legal representative, USCC, location)."""

    queryset = EnterpriseProfile.objects.select_related("enterprise", "enterprise__division")
    serializer_class = s.EnterpriseProfileSerializer
    filterset_fields = ["enterprise", "industry_code", "is_demo"]
    required_permissions = _perms("enterpriseprofile")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        enterprise = data.pop("enterprise")
        if EnterpriseProfile.objects.filter(enterprise=enterprise).exists():
            return Response({"enterprise": ["该企业已有台账,请修改。"]}, status=status.HTTP_400_BAD_REQUEST)
        profile = services.save_enterprise_ledger(actor=request.user, enterprise=enterprise, **data)
        return Response(self.get_serializer(profile).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        profile = self.get_object()
        ser = self.get_serializer(profile, data=request.data, partial=kwargs.get("partial", False))
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data.pop("enterprise", None)
        profile = services.save_enterprise_ledger(actor=request.user, enterprise=profile.enterprise, **data)
        return Response(self.get_serializer(profile).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)


class _ServiceWriteViewSet(RestrictedWriteViewSet):
    """Create/update/destroy through a service; subclasses set the three hooks."""

    def perform_create_service(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def perform_update_service(self, obj: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        obj = self.perform_create_service(dict(ser.validated_data))
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        ser = self.get_serializer(obj, data=request.data, partial=kwargs.get("partial", False))
        ser.is_valid(raise_exception=True)
        obj = self.perform_update_service(obj, dict(ser.validated_data))
        return Response(self.get_serializer(obj).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)


class _LedgerRecordViewSet(mixins.DestroyModelMixin, _ServiceWriteViewSet):
    def perform_create_service(self, data: dict[str, Any]) -> Any:
        return services.create_ledger_record(self.queryset.model, actor=self.request.user, **data)

    def perform_update_service(self, obj: Any, data: dict[str, Any]) -> Any:
        return services.update_ledger_record(obj, actor=self.request.user, **data)

    def perform_destroy(self, instance: Any) -> None:
        services.delete_ledger_record(instance, actor=self.request.user)


class SafetyManagerViewSet(_LedgerRecordViewSet):
    """Safety managers of enterprises (contact details only for roles that need them)."""

    queryset = SafetyManager.objects.select_related("enterprise", "enterprise__division")
    serializer_class = s.SafetyManagerSerializer
    filterset_fields = ["enterprise"]
    required_permissions = _perms("safetymanager", delete=True)


class LicenceViewSet(_LedgerRecordViewSet):
    """Licences with expiry (``status``: valid / expiring within 90 days / expired)."""

    queryset = Licence.objects.select_related("enterprise", "enterprise__division")
    serializer_class = s.LicenceSerializer
    filterset_fields = ["enterprise", "kind"]
    required_permissions = _perms("licence", delete=True)


class SpecialEquipmentViewSet(_LedgerRecordViewSet):
    """Special equipment (特种设备) with next inspection date."""

    queryset = SpecialEquipment.objects.select_related("enterprise", "enterprise__division", "unit")
    serializer_class = s.SpecialEquipmentSerializer
    filterset_fields = ["enterprise", "kind", "unit"]
    required_permissions = _perms("specialequipment", delete=True)


class ProductionUnitViewSet(_ServiceWriteViewSet):
    """Production/storage units with their GB 18218-2018 S, R and level (recomputed on every change)."""

    queryset = ProductionUnit.objects.select_related("enterprise", "enterprise__division")
    serializer_class = s.ProductionUnitSerializer
    filterset_fields = ["enterprise", "is_major_hazard", "major_hazard_level", "is_demo"]
    required_permissions = _perms("productionunit")

    def perform_create_service(self, data: dict[str, Any]) -> Any:
        return services.create_unit(actor=self.request.user, **data)

    def perform_update_service(self, obj: Any, data: dict[str, Any]) -> Any:
        data.pop("enterprise", None)
        return services.update_unit(obj, actor=self.request.user, **data)


class ChemicalInventoryViewSet(mixins.DestroyModelMixin, _ServiceWriteViewSet):
    """Hazardous-chemical inventory lines (quantity in t); enterprise managers see only their own.

    Writing a line checks the CAS check digit, matches the substance to GB 18218-2018 Table 1
    (or Table 2 by ``hazard_class``) and recomputes the unit's major-hazard level.
    """

    queryset = ChemicalInventory.objects.select_related("enterprise", "enterprise__division", "unit")
    serializer_class = s.ChemicalInventorySerializer
    filterset_fields = ["enterprise", "unit", "cas", "is_demo"]
    required_permissions = _perms("chemicalinventory", delete=True)

    def perform_create_service(self, data: dict[str, Any]) -> Any:
        return services.record_inventory(actor=self.request.user, **data)

    def perform_update_service(self, obj: Any, data: dict[str, Any]) -> Any:
        for key in ("enterprise", "unit_name", "is_demo"):
            data.pop(key, None)
        return services.update_inventory(obj, actor=self.request.user, **data)

    def perform_destroy(self, instance: Any) -> None:
        services.delete_inventory(instance, actor=self.request.user)


class RiskPointViewSet(_ServiceWriteViewSet):
    """Risk points graded by LEC or LS with the county's rule (shown in ``result``), with residual risk."""

    queryset = RiskPoint.objects.select_related("enterprise", "enterprise__division", "unit")
    serializer_class = s.RiskPointSerializer
    filterset_fields = ["enterprise", "unit", "grade", "method", "is_demo"]
    required_permissions = _perms("riskpoint")

    def perform_create_service(self, data: dict[str, Any]) -> Any:
        factors, residual = s.split_factors(data)
        return services.create_risk_point(
            actor=self.request.user, factors=factors or {}, residual=residual, **data
        )

    def perform_update_service(self, obj: Any, data: dict[str, Any]) -> Any:
        factors, residual = s.split_factors(data)
        data.pop("enterprise", None)
        return services.update_risk_point(
            obj, actor=self.request.user, factors=factors, residual=residual, **data
        )


_HAZARD_ACTIONS = {
    "grade": "risk.change_hiddenhazard",
    "assign": "risk.change_hiddenhazard",
    "progress": "risk.change_hiddenhazard",
    "complete": "risk.change_hiddenhazard",
    "photos": "risk.change_hiddenhazard",
    "verify": "risk.verify_hiddenhazard",
    "close": "risk.verify_hiddenhazard",
    "supervise": "risk.supervise_hiddenhazard",
}


class HiddenHazardViewSet(mixins.CreateModelMixin, RestrictedReadOnlyViewSet):
    """Hidden hazards: report (POST), then lifecycle actions grade → assign → progress → complete
    → verify → close; ``supervise`` lists for supervision; ``photos`` uploads before/after images.

    Grading 重大 and verification are officers' rights (checked in the services too).
    """

    queryset = HiddenHazard.objects.select_related(
        "enterprise", "enterprise__division", "unit"
    ).prefetch_related("photos", "events")
    serializer_class = s.HiddenHazardSerializer
    filterset_fields = ["enterprise", "status", "grade", "category", "source", "supervision_level", "is_demo"]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    required_permissions = {
        "list": "risk.view_hiddenhazard",
        "retrieve": "risk.view_hiddenhazard",
        "create": "risk.add_hiddenhazard",
        **_HAZARD_ACTIONS,
    }

    def get_queryset(self) -> Any:
        if self.action in _HAZARD_ACTIONS:
            return self.queryset.all().restrict(self.request.user, "view")
        return super().get_queryset()

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = hazard_services.report_hidden_hazard(
            actor=self.request.user, **serializer.validated_data
        )

    def _run(self, request: Request, ser_class: Any, fn: Any) -> Response:
        hazard = self.get_object()
        ser = ser_class(data=request.data)
        ser.is_valid(raise_exception=True)
        updated = fn(hazard, actor=request.user, **ser.validated_data)
        fresh = self.queryset.get(pk=updated.pk)
        return Response(s.HiddenHazardSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(request=s.GradeSerializer, responses=s.HiddenHazardSerializer)
    @action(detail=True, methods=["post"])
    def grade(self, request: Request, pk: Any = None) -> Response:
        """Grade 一般/重大 (checklist items 1..20 may be given again)."""
        return self._run(request, s.GradeSerializer, hazard_services.grade_hidden_hazard)

    @extend_schema(request=s.AssignSerializer, responses=s.HiddenHazardSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: Any = None) -> Response:
        """Assign responsible person, deadline and funding (CNY)."""
        return self._run(request, s.AssignSerializer, hazard_services.assign_hidden_hazard)

    @extend_schema(request=s.ProgressSerializer, responses=s.HiddenHazardSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, pk: Any = None) -> Response:
        """Record rectification progress."""
        return self._run(request, s.ProgressSerializer, hazard_services.record_rectification_progress)

    @extend_schema(request=s.NoteSerializer, responses=s.HiddenHazardSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: Any = None) -> Response:
        """Declare the rectification complete (awaits verification by someone else)."""
        return self._run(request, s.NoteSerializer, hazard_services.complete_rectification)

    @extend_schema(request=s.VerifySerializer, responses=s.HiddenHazardSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: Any = None) -> Response:
        """Verify (passed) or send back (not passed)."""
        return self._run(request, s.VerifySerializer, hazard_services.verify_hidden_hazard)

    @extend_schema(request=s.NoteSerializer, responses=s.HiddenHazardSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        """Close (销号) a verified hazard."""
        return self._run(request, s.NoteSerializer, hazard_services.close_hidden_hazard)

    @extend_schema(request=s.SuperviseSerializer, responses=s.HiddenHazardSerializer)
    @action(detail=True, methods=["post"])
    def supervise(self, request: Request, pk: Any = None) -> Response:
        """List for supervision (挂牌督办) by hand."""
        return self._run(request, s.SuperviseSerializer, hazard_services.list_for_supervision)

    @extend_schema(request=s.PhotoUploadSerializer, responses=s.HiddenHazardPhotoSerializer)
    @action(detail=True, methods=["post"])
    def photos(self, request: Request, pk: Any = None) -> Response:
        """Upload a photo (multipart: ``stage`` before/after, ``image``; JPEG/PNG/GIF/WebP ≤ 5 MB)."""
        hazard = self.get_object()
        ser = s.PhotoUploadSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        photo = hazard_services.add_hidden_hazard_photo(hazard, actor=request.user, **ser.validated_data)
        return Response(s.HiddenHazardPhotoSerializer(photo).data, status=status.HTTP_201_CREATED)


class HiddenHazardStatisticsView(APIView):
    """``GET ?year=2026&quarter=1&by=township|enterprise`` → statistics rows (visible hazards only)."""

    required_permissions = {"get": "risk.view_hiddenhazard"}

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        try:
            year = int(request.query_params.get("year") or timezone.localdate().year)
            q = request.query_params.get("quarter")
            rows = selectors.hidden_hazard_statistics(
                request.user,
                year=year,
                quarter=int(q) if q else None,
                by=request.query_params.get("by", "township"),
            )
        except ValueError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            {
                "year": year,
                "quarter": int(q) if q else None,
                "rows": [
                    {
                        "key": r.key,
                        "name": r.name,
                        "total": r.total,
                        "general": r.general,
                        "major": r.major,
                        "closed": r.closed,
                        "rectification_rate": r.rectification_rate,
                        "overdue": r.overdue,
                        "listed": r.listed,
                        "funding_cny": str(r.funding_cny),
                        "by_category": r.by_category,
                    }
                    for r in rows
                ],
            }
        )


class LedgerExportView(APIView):
    """``GET`` → the visible enterprises' ledgers as an Excel workbook (openpyxl)."""

    required_permissions = {"get": "risk.view_chemicalinventory"}

    @extend_schema(responses={200: bytes})
    def get(self, request: Request) -> HttpResponse:
        return exports.ledger_workbook_response(request.user)
