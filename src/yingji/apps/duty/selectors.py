"""Reads of duty records, always through the per-user restriction (``restrict(user, "view")``).

One deliberate exception: ``county_duty_desk`` reads who is on duty at the county emergency
bureau (names and the duty phone only) for every signed-in user, whatever their scope, because
everyone on the platform must be able to call the duty desk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from yingji.apps.accounts.roles import ROLE_PERMISSIONS, role_grants
from yingji.apps.directory.models import Organization, OrganizationKind
from yingji.apps.duty.handover_items import HandoverItem, collect_open_items
from yingji.apps.duty.models import (
    CalendarToken,
    DutyLogEntry,
    DutyRoster,
    HandoverItemAck,
    HandoverStatus,
    Holiday,
    Shift,
    ShiftHandover,
    ShiftSwap,
    SwapStatus,
)
from yingji.apps.duty.services import local_tz
from yingji.engines.duty import CoverageGap, CoverageShift, coverage_gaps


@dataclass(frozen=True)
class OnDuty:
    """Who is on duty at one moment: the shift's leader and officers (``shift`` None when nobody)."""

    leader: Any
    officers: list[Any] = field(default_factory=list)
    shift: Shift | None = None


# --- rosters and shifts ----------------------------------------------------------------------------


def rosters_for(user: Any) -> QuerySet[DutyRoster]:
    """Rosters ``user`` may see, with division."""
    return DutyRoster.objects.restrict(user, "view").select_related("division", "organization")


def get_roster_for(user: Any, pk: int, action: str = "view") -> DutyRoster:
    """One roster ``user`` may ``action``; ``Http404`` otherwise."""
    return get_object_or_404(DutyRoster.objects.restrict(user, action).select_related("division"), pk=pk)


def shifts_for(
    user: Any,
    *,
    roster: DutyRoster | int | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    person: Any = None,
    action: str = "view",
) -> QuerySet[Shift]:
    """Shifts ``user`` may see; optionally of one roster, overlapping ``[start, end)``, with ``person`` on it.

    Leader and roster come joined, officers prefetched (two queries for any number of shifts).
    """
    qs = (
        Shift.objects.restrict(user, action)
        .select_related("leader", "roster__division")
        .prefetch_related("officers")
        .order_by("starts_at", "roster_id")
    )
    if roster is not None:
        qs = qs.filter(roster=roster)
    if start is not None:
        qs = qs.filter(ends_at__gt=start)
    if end is not None:
        qs = qs.filter(starts_at__lt=end)
    if person is not None:
        qs = qs.filter(Q(leader=person) | Q(officers=person)).distinct()
    return qs


def get_shift_for(user: Any, pk: int, action: str = "view") -> Shift:
    """One shift ``user`` may ``action`` (view/change); ``Http404`` otherwise."""
    return get_object_or_404(shifts_for(user, action=action), pk=pk)


def on_duty_now(at: datetime | None = None, *, user: Any = None) -> OnDuty:
    """Who is on duty at ``at`` (default now).

    With ``user``, only shifts that user may see; without, every roster (system
    callers: notification routing). When several shifts cover ``at``, the one
    of the highest-level division (the county bureau before townships) wins,
    then the earliest start. Two queries.

    Returns:
        ``OnDuty(leader, officers, shift)``; ``OnDuty(None, [], None)`` when nobody is on duty.
    """
    moment = at or timezone.now()
    base = Shift.objects.restrict(user, "view") if user is not None else Shift.objects.all()
    shift = (
        base.filter(starts_at__lte=moment, ends_at__gt=moment)
        .select_related("leader", "roster__division")
        .prefetch_related("officers")
        .order_by("roster__division__code", "starts_at", "pk")
        .first()
    )
    if shift is None:
        return OnDuty(leader=None, officers=[], shift=None)
    return OnDuty(leader=shift.leader, officers=list(shift.officers.all()), shift=shift)


@dataclass(frozen=True)
class DutyDesk:
    """The county duty desk at one moment, as every signed-in user may see it.

    Only names and the duty phone: ``leader`` (带班领导) and ``officers`` (值班员) as display
    names (``None`` / empty when nobody is on duty), ``phone`` the duty phone (值班电话) of the
    roster's organisation or else of the county emergency bureau ("" when none is recorded).
    """

    leader: str | None
    officers: tuple[str, ...]
    phone: str
    on_duty: bool


def _bureau_phones() -> QuerySet[Organization]:
    return (
        Organization.objects.filter(kind=OrganizationKind.BUREAU, division__code=settings.YINGJI_COUNTY_CODE)
        .exclude(phone="")
        .order_by("pk")
    )


def county_duty_desk(at: datetime | None = None) -> DutyDesk:
    """Who is on duty at the county emergency bureau at ``at`` (default now), for any signed-in user.

    Reads explicitly, not through a user's restricted queryset (township officers' grants do not
    cover the county roster, yet they must be able to call the duty desk): the shift of a roster
    of the county division (``YINGJI_COUNTY_CODE``) covering ``at`` (earliest start first), and
    returns only names and the duty phone, never ids, personal phones or the roster itself.
    Two queries.
    """
    moment = at or timezone.now()
    roster_phone = Organization.objects.filter(pk=OuterRef("roster__organization_id")).exclude(phone="")
    shift = (
        Shift.objects.filter(
            roster__division__code=settings.YINGJI_COUNTY_CODE, starts_at__lte=moment, ends_at__gt=moment
        )
        .select_related("leader")
        .prefetch_related("officers")
        .annotate(
            roster_phone=Subquery(roster_phone.values("phone")[:1]),
            bureau_phone=Subquery(_bureau_phones().values("phone")[:1]),
        )
        .order_by("starts_at", "pk")
        .first()
    )
    if shift is None:
        phone = _bureau_phones().values_list("phone", flat=True).first() or ""
        return DutyDesk(leader=None, officers=(), phone=phone, on_duty=False)
    return DutyDesk(
        leader=str(shift.leader) if shift.leader else None,
        officers=tuple(str(o) for o in shift.officers.all()),
        phone=shift.roster_phone or shift.bureau_phone or "",
        on_duty=True,
    )


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """``[00:00, next 00:00)`` of ``day`` in the deployment time zone."""
    tz = local_tz()
    start = datetime.combine(day, time(0), tzinfo=tz)
    return start, start + timedelta(days=1)


@dataclass(frozen=True)
class RosterGaps:
    """Coverage gaps of one roster over a window."""

    roster: DutyRoster
    gaps: tuple[CoverageGap, ...]


def coverage_gaps_for(
    user: Any, start: datetime, end: datetime, *, roster: DutyRoster | None = None
) -> list[RosterGaps]:
    """Gaps (no shift, no leader, too few officers) of each visible roster in ``[start, end)``.

    Only rosters with gaps are returned. Three queries plus none per roster.
    """
    rosters = [roster] if roster is not None else list(rosters_for(user))
    by_roster: dict[int, list[CoverageShift]] = {r.pk: [] for r in rosters}
    for s in shifts_for(user, start=start, end=end).filter(roster__in=rosters):
        by_roster[s.roster_id].append(
            CoverageShift(
                s.starts_at, s.ends_at, str(s.leader_id) if s.leader_id else None,
                tuple(str(o.pk) for o in s.officers.all()),
            )
        )  # fmt: skip
    found = []
    for r in rosters:
        gaps = coverage_gaps(start, end, by_roster[r.pk], r.officers_required)
        if gaps:
            found.append(RosterGaps(roster=r, gaps=gaps))
    return found


# --- swaps, holidays ----------------------------------------------------------------------------


def swaps_for(user: Any, *, status: str | None = None) -> QuerySet[ShiftSwap]:
    """Swap/override requests ``user`` may see, newest first."""
    qs = ShiftSwap.objects.restrict(user, "view").select_related(
        "shift__roster", "counterpart_shift", "original_person", "replacement", "requested_by", "decided_by"
    )
    return qs.filter(status=status) if status else qs


def get_swap_for(user: Any, pk: int) -> ShiftSwap:
    """One request visible to ``user``; ``Http404`` otherwise."""
    return get_object_or_404(swaps_for(user), pk=pk)


def pending_swaps_for_approver(user: Any) -> QuerySet[ShiftSwap]:
    """Pending requests ``user`` could decide: visible, not their own, and they hold the approve right."""
    if not user.has_perm("duty.approve_shiftswap"):
        return ShiftSwap.objects.none()
    return swaps_for(user, status=SwapStatus.PENDING).exclude(requested_by=user)


def holidays_for(user: Any, *, start: date | None = None, end: date | None = None) -> QuerySet[Holiday]:
    """Holiday dates ``user`` may see, optionally within ``[start, end]``."""
    qs = Holiday.objects.restrict(user, "view")
    if start is not None:
        qs = qs.filter(day__gte=start)
    if end is not None:
        qs = qs.filter(day__lte=end)
    return qs


# --- handover --------------------------------------------------------------------------------------


def handovers_for(user: Any) -> QuerySet[ShiftHandover]:
    """Handovers ``user`` may see, newest first, with people and items prefetched."""
    return (
        ShiftHandover.objects.restrict(user, "view")
        .select_related("outgoing_officer", "incoming_officer", "from_shift", "to_shift", "division")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=HandoverItemAck.objects.select_related("acknowledged_by").order_by("position"),
            )
        )
    )


def get_handover_for(user: Any, pk: int) -> ShiftHandover:
    """One handover visible to ``user``; ``Http404`` otherwise."""
    return get_object_or_404(handovers_for(user), pk=pk)


def pending_handovers_to(user: Any) -> QuerySet[ShiftHandover]:
    """Handovers addressed to ``user`` still waiting for acknowledgement."""
    return handovers_for(user).filter(incoming_officer=user, status=HandoverStatus.PENDING)


def open_items_for(user: Any) -> list[HandoverItem]:
    """Open items the providers report for ``user`` (what a handover now would carry)."""
    return collect_open_items(user)


# --- duty log --------------------------------------------------------------------------------------


def log_entries_for(
    user: Any, *, shift: Shift | int | None = None, day: date | None = None, kind: str | None = None
) -> QuerySet[DutyLogEntry]:
    """Duty-log entries ``user`` may see, newest first; filter by shift, local calendar day, kind."""
    qs = DutyLogEntry.objects.restrict(user, "view").select_related("author", "shift", "division")
    if shift is not None:
        qs = qs.filter(shift=shift)
    if day is not None:
        start, end = local_day_bounds(day)
        qs = qs.filter(occurred_at__gte=start, occurred_at__lt=end)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


# --- calendar --------------------------------------------------------------------------------------


def user_for_calendar_token(token: str) -> Any:
    """The active user owning ``token``, or None (unknown token, inactive user)."""
    if not token or len(token) > 64:
        return None
    row = CalendarToken.objects.select_related("user").filter(token=token).first()
    if row is None or not row.user.is_active:
        return None
    return row.user


def calendar_token_of(user: Any) -> str | None:
    """The user's current iCal token, or None when they have none yet."""
    row = CalendarToken.objects.filter(user=user).first()
    return row.token if row else None


def duty_staff() -> QuerySet[Any]:
    """Active users holding a desk role (one that may change shifts): who can be put on a roster.

    People are chosen by name in forms; the list is the bureau's duty staff, not a restricted record set.
    """
    roles = [role for role in ROLE_PERMISSIONS if role_grants(role, "duty.change_shift")]
    user_model = get_user_model()
    return user_model.objects.filter(is_active=True, grants__role__in=roles).distinct().order_by("username")
