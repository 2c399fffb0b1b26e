"""Duty API: rosters (+ rotation generation, gaps), shifts (optimistic locking), swaps, holidays,
handovers (+ acknowledgement), duty log, who is on duty now. Writes go through ``services``."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yingji.apps.core.api import RestrictedViewSetMixin, RestrictedWriteViewSet
from yingji.apps.core.dates import planned_date_error
from yingji.apps.duty import selectors, services
from yingji.apps.duty.api.serializers import (
    DutyAcknowledgeSerializer,
    DutyDecisionSerializer,
    DutyGeneratedRotationSerializer,
    DutyGenerateRotationSerializer,
    DutyHandoverSerializer,
    DutyHolidaySerializer,
    DutyLogEntrySerializer,
    DutyOnDutySerializer,
    DutyRosterGapsSerializer,
    DutyRosterSerializer,
    DutyShiftSerializer,
    DutySlotSerializer,
    DutySwapSerializer,
)
from yingji.apps.duty.models import DutyLogEntry, DutyRoster, Holiday, Shift, ShiftHandover, ShiftSwap


def _day(value: str, name: str) -> date:
    """An ISO date query parameter between 2000 and 5 years ahead, else a 400 on ``name``."""
    try:
        day = parse_date(value)
    except ValueError:  # well-formed but not a date (2026-02-30)
        day = None
    if day is None:
        raise serializers.ValidationError({name: "无法识别的日期 (YYYY-MM-DD)。"})
    if error := planned_date_error(day):
        raise serializers.ValidationError({name: error})
    return day


def _when(value: str | None, name: str) -> datetime | None:
    """An ISO date or datetime query parameter (a date = its local midnight), else a 400 on ``name``.

    Times before 2000 or more than 5 years ahead are refused (``core.dates``): they are typos,
    and windows built from them would overflow.
    """
    if not value:
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        raise serializers.ValidationError({name: "无法识别的时间 (ISO 8601)。"}) from None
    if parsed is None:
        return selectors.local_day_bounds(_day(value, name))[0]
    when = parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, services.local_tz())
    if error := planned_date_error(when):
        raise serializers.ValidationError({name: error})
    return when


WINDOW_PARAMS = [
    OpenApiParameter("start", str, description="ISO date or datetime (default: now)"),
    OpenApiParameter("end", str, description="ISO date or datetime (default: start + 7 days)"),
]


class RosterViewSet(RestrictedWriteViewSet):
    """Duty rosters (排班表). ``generate`` lays out a rotation; ``gaps`` reports coverage gaps."""

    queryset = DutyRoster.objects.select_related("division")
    serializer_class = DutyRosterSerializer
    filterset_fields = ["division", "is_demo"]
    required_permissions = {
        "list": "duty.view_dutyroster",
        "retrieve": "duty.view_dutyroster",
        "create": "duty.add_dutyroster",
        "update": "duty.change_dutyroster",
        "partial_update": "duty.change_dutyroster",
        "generate": "duty.add_shift",
        "gaps": "duty.view_shift",
    }

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        roster = services.create_roster(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(roster).data, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        roster = self.get_object()
        serializer = self.get_serializer(roster, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        roster = services.update_roster(roster, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(roster).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(request=DutyGenerateRotationSerializer, responses={201: DutyGeneratedRotationSerializer})
    @action(detail=True, methods=["post"])
    def generate(self, request: Request, pk: str | None = None) -> Response:
        """Generate shifts for a period with the rotation engine; returns shifts, gaps and load."""
        roster = self.get_object()
        data_in = DutyGenerateRotationSerializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        data = dict(data_in.validated_data)
        slot = DutySlotSerializer()
        result = services.generate_rotation(
            roster,
            actor=request.user,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            slots=[slot.to_slot(s) for s in data["slots"]],
            holiday_slots=[slot.to_slot(s) for s in data["holiday_slots"]],
            leaders=data["leaders"],
            officers=data["officers"],
            officers_per_shift=data.get("officers_per_shift"),
            weekdays=data["weekdays"],
            holiday_policy=data["holiday_policy"],
            leader_rotation=data["leader_rotation"],
            officer_rotation=data["officer_rotation"],
            coverage=data["coverage"],
        )
        return Response(DutyGeneratedRotationSerializer(result).data, status=201)

    @extend_schema(parameters=WINDOW_PARAMS, responses=DutyRosterGapsSerializer(many=True))
    @action(detail=True, methods=["get"])
    def gaps(self, request: Request, pk: str | None = None) -> Response:
        """Coverage gaps of this roster between ``start`` and ``end``."""
        roster = self.get_object()
        start = _when(request.query_params.get("start"), "start") or timezone.now()
        end = _when(request.query_params.get("end"), "end") or start + timedelta(days=7)
        if end <= start or end - start > timedelta(days=366):
            raise serializers.ValidationError({"end": "结束须晚于开始,且不超过366天。"})
        found = selectors.coverage_gaps_for(request.user, start, end, roster=roster)
        return Response(DutyRosterGapsSerializer(found, many=True).data)


class ShiftViewSet(RestrictedWriteViewSet):
    """Shifts (班次). Updates must send the ``version`` they read; a stale version gets 409."""

    queryset = Shift.objects.select_related("leader", "roster__division").prefetch_related("officers")
    serializer_class = DutyShiftSerializer
    required_permissions = {
        "list": "duty.view_shift",
        "retrieve": "duty.view_shift",
        "create": "duty.add_shift",
        "update": "duty.change_shift",
        "partial_update": "duty.change_shift",
    }

    @extend_schema(
        parameters=[
            OpenApiParameter("roster", int),
            OpenApiParameter("person", int, description="user id on the shift (leader or officer)"),
            *WINDOW_PARAMS,
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def filter_queryset(self, queryset: Any) -> Any:
        qs = super().filter_queryset(queryset).order_by("starts_at", "pk")
        if self.action != "list":
            return qs
        params = self.request.query_params
        if params.get("roster", "").isdigit():
            qs = qs.filter(roster_id=int(params["roster"]))
        start = _when(params.get("start"), "start")
        end = _when(params.get("end"), "end")
        if start:
            qs = qs.filter(ends_at__gt=start)
        if end:
            qs = qs.filter(starts_at__lt=end)
        if params.get("person", "").isdigit():
            person = int(params["person"])
            qs = qs.filter(leader_id=person) | qs.filter(officers__id=person)
            qs = qs.distinct()
        return qs

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        shift = services.create_shift(actor=request.user, **data)
        return Response(self.get_serializer(shift).data, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        shift = self.get_object()
        serializer = self.get_serializer(shift, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expected = data.pop("version")
        try:
            shift = services.update_shift(shift, actor=request.user, expected_version=expected, **data)
        except services.ShiftVersionConflict as exc:
            return Response(
                {
                    "detail": "该班次已被他人修改,请刷新后重试。",
                    "version": exc.current.version,
                    "current": self.get_serializer(exc.current).data,
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(self.get_serializer(shift).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)


class ShiftSwapViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Swap (调班) and override (替班) requests; ``approve``/``reject`` by someone else than the requester."""

    queryset = ShiftSwap.objects.select_related("shift__roster__division")
    serializer_class = DutySwapSerializer
    filterset_fields = ["status", "kind", "shift"]
    required_permissions = {
        "list": "duty.view_shiftswap",
        "retrieve": "duty.view_shiftswap",
        "create": "duty.add_shiftswap",
        "approve": "duty.approve_shiftswap",
        "reject": "duty.approve_shiftswap",
    }

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        swap = services.request_shift_swap(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(swap).data, status=201)

    @extend_schema(request=DutyDecisionSerializer, responses=DutySwapSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve and apply (never by the requester)."""
        decision = DutyDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        swap = services.approve_shift_swap(self.get_object(), actor=request.user, **decision.validated_data)
        return Response(self.get_serializer(swap).data)

    @extend_schema(request=DutyDecisionSerializer, responses=DutySwapSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Reject (never by the requester)."""
        decision = DutyDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        swap = services.reject_shift_swap(self.get_object(), actor=request.user, **decision.validated_data)
        return Response(self.get_serializer(swap).data)


class HolidayViewSet(RestrictedWriteViewSet):
    """The holiday arrangement (节假日安排) entered by administrators from the official notice."""

    queryset = Holiday.objects.all()
    serializer_class = DutyHolidaySerializer
    filterset_fields = ["kind"]
    required_permissions = {
        "list": "duty.view_holiday",
        "retrieve": "duty.view_holiday",
        "create": "duty.manage_holiday",
        "update": "duty.manage_holiday",
        "partial_update": "duty.manage_holiday",
    }

    def get_queryset(self) -> Any:
        return Holiday.objects.restrict(self.request.user, "view")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        holiday = services.create_holiday(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(holiday).data, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        holiday = self.get_object()
        serializer = self.get_serializer(holiday, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        holiday = services.update_holiday(holiday, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(holiday).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)


class HandoverViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Handovers (交接班): the caller hands over; ``acknowledge`` is for the incoming officer only."""

    queryset = ShiftHandover.objects.select_related("division").prefetch_related("items")
    serializer_class = DutyHandoverSerializer
    filterset_fields = ["status", "incoming_officer", "outgoing_officer"]
    required_permissions = {
        "list": "duty.view_shifthandover",
        "retrieve": "duty.view_shifthandover",
        "create": "duty.add_shifthandover",
        "acknowledge": "duty.change_shifthandover",
    }

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        handover = services.hand_over_shift(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(handover).data, status=201)

    @extend_schema(request=DutyAcknowledgeSerializer, responses=DutyHandoverSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        """Acknowledge items by id, or all of them with ``{"all": true}``."""
        handover = self.get_object()
        ack = DutyAcknowledgeSerializer(data=request.data)
        ack.is_valid(raise_exception=True)
        handover = services.acknowledge_handover(
            handover,
            actor=request.user,
            item_ids=ack.validated_data["item_ids"],
            all_items=ack.validated_data["all"],
        )
        return Response(self.get_serializer(selectors.get_handover_for(request.user, handover.pk)).data)


class DutyLogViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Duty log (值班日志), append-only. Filter by ``shift``, ``date`` (local day), ``kind``."""

    queryset = DutyLogEntry.objects.select_related("author", "division")
    serializer_class = DutyLogEntrySerializer
    required_permissions = {
        "list": "duty.view_dutylogentry",
        "retrieve": "duty.view_dutylogentry",
        "create": "duty.add_dutylogentry",
    }

    @extend_schema(
        parameters=[
            OpenApiParameter("shift", int),
            OpenApiParameter("date", str, description="local calendar day, YYYY-MM-DD"),
            OpenApiParameter("kind", str),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        if self.action != "list":
            return super().get_queryset()
        params = self.request.query_params
        day = None
        if params.get("date"):
            day = _day(params["date"], "date")
        shift = int(params["shift"]) if params.get("shift", "").isdigit() else None
        return selectors.log_entries_for(self.request.user, shift=shift, day=day, kind=params.get("kind"))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.add_duty_log_entry(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(entry).data, status=201)


class OnDutyNowView(APIView):
    """Who is on duty now (or at ``at``): the leader (带班领导), officers and shift."""

    required_permissions = {"get": "duty.view_shift"}
    serializer_class = DutyOnDutySerializer

    @extend_schema(
        parameters=[OpenApiParameter("at", str, description="ISO datetime (default now)")],
        responses=DutyOnDutySerializer,
    )
    def get(self, request: Request) -> Response:
        at = _when(request.query_params.get("at"), "at") or timezone.now()
        duty = selectors.on_duty_now(at, user=request.user)
        shift = duty.shift
        data = {
            "at": at,
            "shift": shift.pk if shift else None,
            "roster": shift.roster.name if shift else None,
            "starts_at": shift.starts_at if shift else None,
            "ends_at": shift.ends_at if shift else None,
            "leader": {"id": duty.leader.pk, "name": str(duty.leader)} if duty.leader else None,
            "officers": [{"id": o.pk, "name": str(o)} for o in duty.officers],
        }
        return Response(DutyOnDutySerializer(data).data)
