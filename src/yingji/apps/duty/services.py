"""Write use cases of duty (值班值守): rosters, shifts, swaps, holidays, handover, duty log, calendar tokens.

Every function validates fully (``full_clean`` plus the cross-row rules below),
writes in one transaction with its ``ChangeRecord``, and raises before writing
anything:

* ``ValidationError`` (field -> messages) for bad input: end before start, a
  person on two overlapping shifts, a swap for someone not on the shift...
* ``PermissionDenied`` when the actor may not do this here (outside their
  scope, approving their own request, acknowledging a handover addressed to
  someone else);
* ``ShiftVersionConflict`` when a shift changed since the caller read it.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yingji.apps.audit.services import record_change, snapshot, update_audited
from yingji.apps.core.dates import past_time_error, planned_date_error
from yingji.apps.directory.models import AdministrativeDivision
from yingji.apps.duty.handover_items import collect_open_items
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
    SwapKind,
    SwapStatus,
)
from yingji.engines.duty import (
    CoverageMode,
    HolidayDate,
    HolidayKind,
    HolidayPolicy,
    RotationInputError,
    RotationPlan,
    RotationRequest,
    RotationUnit,
    ShiftSlot,
    plan_rotation,
)
from yingji.engines.normalize.phone import parse_phone

_SERVICE_NUMBER = re.compile(r"^\d{3,6}$")  # 110, 119, 120, 12345, 96110...


class ShiftVersionConflict(Exception):
    """The shift was changed by someone else since ``expected_version`` was read."""

    def __init__(self, shift: Shift) -> None:
        super().__init__(f"shift {shift.pk} is at version {shift.version}")
        self.current = shift


def local_tz() -> ZoneInfo:
    """The deployment's time zone (``TIME_ZONE``, Asia/Shanghai by default)."""
    return ZoneInfo(settings.TIME_ZONE)


def require_scope(
    user: Any, perm: str, division: AdministrativeDivision, organization_id: int | None = None
) -> None:
    """Raise ``PermissionDenied`` unless ``user`` holds ``perm`` in a scope covering ``division``.

    Raises:
        PermissionDenied: no such permission, or not for this division / organisation.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.has_perm(perm):
        raise PermissionDenied(f"missing permission {perm}")
    scopes = user.permission_scopes(perm)
    if scopes is None:
        return
    for prefix, org in scopes:
        if division.code.startswith(prefix) and (org is None or org == organization_id):
            return
    raise PermissionDenied(f"{perm} not granted for {division.code}")


def _county() -> AdministrativeDivision:
    county = (
        AdministrativeDivision.objects.filter(code=settings.YINGJI_COUNTY_CODE)
        .order_by("-edition_year")
        .first()
    )
    if county is None:
        raise ValidationError({"division": "未加载区划参考数据。"})
    return county


# --- rosters ---------------------------------------------------------------------------------------


def create_roster(*, actor: Any, **fields: Any) -> DutyRoster:
    """Create a roster (name, division, organization, officers_required, description, is_demo); audited.

    Raises:
        ValidationError: field errors (duplicate name in the division included).
        PermissionDenied: the actor may not add rosters in that division.
    """
    with transaction.atomic():
        roster = DutyRoster(**fields)
        roster.full_clean()
        require_scope(actor, "duty.add_dutyroster", roster.division, roster.organization_id)
        roster.save()
        record_change(roster, "create", None, actor=actor)
    return roster


def update_roster(roster: DutyRoster, *, actor: Any, **fields: Any) -> DutyRoster:
    """Change a roster's fields; audited. Raises ``ValidationError`` / ``PermissionDenied``."""
    with transaction.atomic():
        locked = DutyRoster.objects.select_for_update().get(pk=roster.pk)
        require_scope(actor, "duty.change_dutyroster", locked.division, locked.organization_id)
        before = snapshot(locked)
        for key, value in fields.items():
            setattr(locked, key, value)
        locked.full_clean()
        require_scope(actor, "duty.change_dutyroster", locked.division, locked.organization_id)
        locked.save()
        record_change(locked, "update", before, actor=actor)
    return locked


# --- shifts ----------------------------------------------------------------------------------------


def _name(user: Any) -> str:
    return str(user.display_name or user.username) if user is not None else "?"


def _check_people(
    *,
    starts_at: datetime,
    ends_at: datetime,
    leader: Any,
    officers: Sequence[Any],
    exclude_ids: Iterable[int] = (),
) -> None:
    """Field errors when a person appears twice in the shift or is on an overlapping shift."""
    errors: dict[str, list[str]] = {}
    officer_ids = [o.pk for o in officers]
    if len(set(officer_ids)) != len(officer_ids):
        errors.setdefault("officers", []).append("值班员名单中有重复人员。")
    if leader is not None and leader.pk in officer_ids:
        errors.setdefault("officers", []).append(f"{_name(leader)} 已是本班带班领导,不能同时任值班员。")
    people = {p.pk: p for p in [*officers, *([leader] if leader is not None else [])]}
    if people:
        overlapping = (
            Shift.objects.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
            .filter(Q(leader__in=people) | Q(officers__in=people))
            .exclude(pk__in=list(exclude_ids))
            .select_related("leader", "roster")
            .prefetch_related("officers")
            .distinct()
        )
        for other in overlapping:
            on_other = {other.leader_id, *(o.pk for o in other.officers.all())}
            for pk in sorted(set(people) & on_other):
                field = "leader" if leader is not None and pk == leader.pk else "officers"
                errors.setdefault(field, []).append(f"{_name(people[pk])} 已在重叠的班次 {other} 中值班。")
    if errors:
        raise ValidationError(errors)


def create_shift(
    *,
    actor: Any,
    roster: DutyRoster,
    starts_at: datetime,
    ends_at: datetime,
    leader: Any = None,
    officers: Sequence[Any] = (),
    label: str = "",
    note: str = "",
    is_demo: bool = False,
) -> Shift:
    """Create one shift with its leader and officers; audited.

    Raises:
        ValidationError: ``ends_at`` not after ``starts_at`` or over 48 h; a person twice
            in the shift or on an overlapping shift (``leader``/``officers``).
        PermissionDenied: the actor may not add shifts to this roster.
    """
    with transaction.atomic():
        require_scope(actor, "duty.add_shift", roster.division, roster.organization_id)
        shift = Shift(
            roster=roster, starts_at=starts_at, ends_at=ends_at, leader=leader, label=label, note=note,
            is_demo=is_demo,
        )  # fmt: skip
        shift.full_clean()
        _check_people(starts_at=starts_at, ends_at=ends_at, leader=leader, officers=officers)
        shift.save()
        shift.officers.set(list(officers))
        record_change(shift, "create", None, actor=actor)
    return shift


def _shift_snapshot(shift: Shift) -> dict[str, Any]:
    data = snapshot(shift)
    data["officers"] = sorted(shift.officers.values_list("pk", flat=True))
    return data


def update_shift(shift: Shift, *, actor: Any, expected_version: int, **fields: Any) -> Shift:
    """Change a shift (times, label, note, ``leader``, ``officers``) if nobody changed it since.

    Args:
        shift: the shift as the caller read it.
        expected_version: the ``version`` the caller's edit is based on.
        fields: new values; ``officers`` is a list of users.

    Raises:
        ShiftVersionConflict: the stored version differs (nothing written).
        ValidationError / PermissionDenied: as ``create_shift``.
    """
    with transaction.atomic():
        locked = (
            Shift.objects.select_for_update(of=("self",)).select_related("roster__division").get(pk=shift.pk)
        )
        require_scope(actor, "duty.change_shift", locked.roster.division, locked.roster.organization_id)
        if locked.version != expected_version:
            raise ShiftVersionConflict(locked)
        before = _shift_snapshot(locked)
        officers = fields.pop("officers", None)
        fields.pop("roster", None)
        for key, value in fields.items():
            setattr(locked, key, value)
        locked.full_clean()
        new_officers = list(officers) if officers is not None else list(locked.officers.all())
        _check_people(
            starts_at=locked.starts_at, ends_at=locked.ends_at, leader=locked.leader, officers=new_officers,
            exclude_ids=[locked.pk],
        )  # fmt: skip
        locked.version += 1
        locked.save()
        if officers is not None:
            locked.officers.set(new_officers)
        record_change(locked, "update", before, actor=actor)
    return locked


@dataclass(frozen=True)
class GeneratedRotation:
    """What ``generate_rotation`` created, with the engine's plan (gaps, load)."""

    shifts: list[Shift]
    plan: RotationPlan


def generate_rotation(
    roster: DutyRoster,
    *,
    actor: Any,
    starts_on: date,
    ends_on: date,
    slots: Sequence[ShiftSlot],
    leaders: Sequence[Any],
    officers: Sequence[Any],
    officers_per_shift: int | None = None,
    weekdays: Iterable[int] = range(7),
    holiday_policy: str = HolidayPolicy.SAME,
    holiday_slots: Sequence[ShiftSlot] = (),
    leader_rotation: str = RotationUnit.SHIFT,
    officer_rotation: str = RotationUnit.SHIFT,
    coverage: str = CoverageMode.CONTINUOUS,
    is_demo: bool = False,
) -> GeneratedRotation:
    """Plan shifts for ``roster`` over ``starts_on..ends_on`` (inclusive) by the rotation engine; store them.

    Holidays come from the ``Holiday`` table. People already on another roster's
    shift on a date are unavailable that date; earlier hours on this roster
    (90 days) count toward fairness. Times are wall-clock in the deployment
    time zone (Asia/Shanghai).

    Raises:
        ValidationError: engine input errors (by field), an implausible ``starts_on`` /
            ``ends_on`` (before 2000 or more than 5 years ahead), the roster already has
            shifts in the period (``starts_on``), or an overlap that remains.
        PermissionDenied: the actor may not add shifts to this roster.
    """
    errors = {
        name: error
        for name, value in (("starts_on", starts_on), ("ends_on", ends_on))
        if (error := planned_date_error(value))
    }
    if errors:
        raise ValidationError(errors)
    tz = local_tz()
    with transaction.atomic():
        require_scope(actor, "duty.add_shift", roster.division, roster.organization_id)
        DutyRoster.objects.select_for_update().filter(pk=roster.pk).first()
        period_start = datetime.combine(starts_on, datetime.min.time(), tzinfo=tz)
        period_end = datetime.combine(ends_on + timedelta(days=1), datetime.min.time(), tzinfo=tz)
        if Shift.objects.filter(
            roster=roster, starts_at__gte=period_start, starts_at__lt=period_end
        ).exists():
            raise ValidationError({"starts_on": "该排班表在此期间已有班次,请先调整期间或删除原班次。"})
        horizon = period_end + timedelta(days=2)
        people = {str(p.pk): p for p in [*leaders, *officers]}
        busy = (
            Shift.objects.exclude(roster=roster)
            .filter(starts_at__lt=horizon, ends_at__gt=period_start)
            .filter(Q(leader__in=people.values()) | Q(officers__in=people.values()))
            .prefetch_related("officers")
            .distinct()
        )
        unavailable: set[tuple[str, date]] = set()
        for other in busy:
            on_it = {str(other.leader_id), *(str(o.pk) for o in other.officers.all())} & set(people)
            day = timezone.localtime(other.starts_at, tz).date()
            last = timezone.localtime(other.ends_at, tz).date()
            while day <= last:
                unavailable.update((p, day) for p in on_it)
                day += timedelta(days=1)
        since = period_start - timedelta(days=90)
        prior: dict[str, float] = {}
        for s in Shift.objects.filter(
            roster=roster, starts_at__gte=since, starts_at__lt=period_start
        ).prefetch_related("officers"):
            for pk in {str(s.leader_id), *(str(o.pk) for o in s.officers.all())} & set(people):
                prior[pk] = prior.get(pk, 0.0) + s.duration_hours
        holidays = tuple(
            HolidayDate(h.day, h.name, HolidayKind(h.kind))
            for h in Holiday.objects.filter(day__gte=starts_on, day__lte=ends_on)
        )
        try:
            request = RotationRequest(
                starts_on=starts_on,
                ends_on=ends_on,
                tz=tz,
                slots=tuple(slots),
                leaders=tuple(str(p.pk) for p in leaders),
                officers=tuple(str(p.pk) for p in officers),
                officers_per_shift=roster.officers_required
                if officers_per_shift is None
                else officers_per_shift,
                weekdays=frozenset(weekdays),
                holidays=holidays,
                holiday_policy=HolidayPolicy(holiday_policy),
                holiday_slots=tuple(holiday_slots),
                leader_rotation=RotationUnit(leader_rotation),
                officer_rotation=RotationUnit(officer_rotation),
                unavailable=tuple(sorted(unavailable)),
                prior_hours=tuple(sorted(prior.items())),
                coverage=CoverageMode(coverage),
            )
            plan = plan_rotation(request)
        except RotationInputError as exc:
            raise ValidationError({exc.field: exc.message}) from exc
        except ValueError as exc:
            raise ValidationError({"non_field_errors": str(exc)}) from exc
        created: list[Shift] = []
        for planned in plan.shifts:
            leader = people[planned.leader] if planned.leader else None
            shift = Shift(
                roster=roster,
                starts_at=planned.starts_at,
                ends_at=planned.ends_at,
                leader=leader,
                label=planned.label,
                note=planned.holiday,
                is_demo=is_demo,
            )
            shift.full_clean()
            shift.save()
            shift.officers.set([people[p] for p in planned.officers])
            record_change(shift, "create", None, actor=actor)
            created.append(shift)
    return GeneratedRotation(shifts=created, plan=plan)


# --- swaps and overrides ---------------------------------------------------------------------------


def _post_of(shift: Shift, person: Any) -> str | None:
    if shift.leader_id == person.pk:
        return "leader"
    if shift.officers.filter(pk=person.pk).exists():
        return "officer"
    return None


def request_shift_swap(
    *,
    actor: Any,
    shift: Shift,
    original_person: Any,
    replacement: Any,
    kind: str = SwapKind.OVERRIDE,
    counterpart_shift: Shift | None = None,
    reason: str = "",
) -> ShiftSwap:
    """Ask for an override (替班) or a swap (调班); nothing changes until approved; audited.

    Raises:
        ValidationError: ``original_person`` not on ``shift``; replacement the same person
            or already on it; a swap without a ``counterpart_shift`` the replacement is on.
        PermissionDenied: the actor may not request changes on this roster.
    """
    with transaction.atomic():
        require_scope(actor, "duty.add_shiftswap", shift.roster.division, shift.roster.organization_id)
        errors: dict[str, str] = {}
        if _post_of(shift, original_person) is None:
            errors["original_person"] = f"{_name(original_person)} 不在该班次中。"
        if replacement.pk == original_person.pk:
            errors["replacement"] = "替换人不能是原值班人本人。"
        elif _post_of(shift, replacement) is not None:
            errors["replacement"] = f"{_name(replacement)} 已在该班次中。"
        elif not replacement.has_perm("duty.change_shift"):
            errors["replacement"] = f"{_name(replacement)} 不是值班人员（无值班权限），不能替班。"
        if kind == SwapKind.SWAP:
            if counterpart_shift is None:
                errors["counterpart_shift"] = "调班须指定对调的班次。"
            elif counterpart_shift.pk == shift.pk:
                errors["counterpart_shift"] = "对调班次不能是同一班次。"
            elif _post_of(counterpart_shift, replacement) is None:
                errors["counterpart_shift"] = f"{_name(replacement)} 不在对调班次中。"
        elif counterpart_shift is not None:
            errors["counterpart_shift"] = "替班不需要对调班次。"
        if errors:
            raise ValidationError(errors)
        swap = ShiftSwap(
            kind=kind,
            shift=shift,
            counterpart_shift=counterpart_shift,
            original_person=original_person,
            replacement=replacement,
            reason=reason,
            requested_by=actor,
        )
        swap.full_clean()
        swap.save()
        record_change(swap, "create", None, actor=actor)
    return swap


def _replace_person(shift: Shift, old: Any, new: Any, *, actor: Any) -> None:
    before = _shift_snapshot(shift)
    post = _post_of(shift, old)
    if post is None:
        raise ValidationError({"original_person": f"{_name(old)} 已不在班次 {shift} 中。"})
    if post == "leader":
        shift.leader = new
    shift.version += 1
    shift.save()
    if post == "officer":
        shift.officers.set([new if o.pk == old.pk else o for o in shift.officers.all()])
    record_change(shift, "update", before, actor=actor)


def _people(shift: Shift) -> tuple[Any, list[Any]]:
    return shift.leader, list(shift.officers.all())


def _decidable(swap: ShiftSwap, actor: Any) -> ShiftSwap:
    locked = (
        ShiftSwap.objects.select_for_update(of=("self",))
        .select_related("shift__roster__division")
        .get(pk=swap.pk)
    )
    roster = locked.shift.roster
    require_scope(actor, "duty.approve_shiftswap", roster.division, roster.organization_id)
    if locked.requested_by_id == actor.pk:
        raise PermissionDenied("不能审批本人提出的申请。")
    if locked.status != SwapStatus.PENDING:
        raise ValidationError({"status": f"该申请已{locked.get_status_display()},不能再审批。"})
    return locked


def approve_shift_swap(swap: ShiftSwap, *, actor: Any, note: str = "") -> ShiftSwap:
    """Approve a pending request and apply it to the shift(s); both audited in one transaction.

    Raises:
        PermissionDenied: the actor lacks ``duty.approve_shiftswap`` here, or requested it.
        ValidationError: not pending; the change would put someone on overlapping shifts.
    """
    with transaction.atomic():
        locked = _decidable(swap, actor)
        before = snapshot(locked)
        shift = Shift.objects.select_for_update().get(pk=locked.shift_id)
        original, replacement = locked.original_person, locked.replacement
        changed = [shift]
        _replace_person(shift, original, replacement, actor=actor)
        if locked.kind == SwapKind.SWAP and locked.counterpart_shift_id:
            other = Shift.objects.select_for_update().get(pk=locked.counterpart_shift_id)
            _replace_person(other, replacement, original, actor=actor)
            changed.append(other)
        ids = [s.pk for s in changed]
        for s in changed:
            leader, officers = _people(s)
            _check_people(
                starts_at=s.starts_at, ends_at=s.ends_at, leader=leader, officers=officers, exclude_ids=ids
            )
        locked.status = SwapStatus.APPROVED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_note = note
        locked.full_clean()
        locked.save()
        record_change(locked, "update", before, actor=actor)
    return locked


def reject_shift_swap(swap: ShiftSwap, *, actor: Any, note: str = "") -> ShiftSwap:
    """Reject a pending request; audited. Raises as ``approve_shift_swap`` (except overlaps)."""
    with transaction.atomic():
        locked = _decidable(swap, actor)
        before = snapshot(locked)
        locked.status = SwapStatus.REJECTED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_note = note
        locked.full_clean()
        locked.save()
        record_change(locked, "update", before, actor=actor)
    return locked


# --- holidays --------------------------------------------------------------------------------------


def create_holiday(*, actor: Any, **fields: Any) -> Holiday:
    """Add one date of the holiday arrangement (day, name, kind, source); audited.

    Raises:
        ValidationError: field errors (date already entered, missing source).
    """
    if not getattr(actor, "has_perm", lambda p: False)("duty.manage_holiday"):
        raise PermissionDenied("missing permission duty.add_holiday")
    with transaction.atomic():
        holiday = Holiday(**fields)
        holiday.full_clean()
        holiday.save()
        record_change(holiday, "create", None, actor=actor)
    return holiday


def update_holiday(holiday: Holiday, *, actor: Any, **fields: Any) -> Holiday:
    """Change one holiday date; audited. Raises ``ValidationError`` / ``PermissionDenied``."""
    if not getattr(actor, "has_perm", lambda p: False)("duty.manage_holiday"):
        raise PermissionDenied("missing permission duty.change_holiday")
    return update_audited(holiday, fields, actor=actor)


# --- handover --------------------------------------------------------------------------------------


def hand_over_shift(
    *,
    actor: Any,
    incoming_officer: Any,
    summary: str,
    from_shift: Shift | None = None,
    to_shift: Shift | None = None,
    division: AdministrativeDivision | None = None,
    is_demo: bool = False,
) -> ShiftHandover:
    """The outgoing officer (``actor``) hands over to ``incoming_officer``; audited.

    Every open item ``collect_open_items(actor)`` returns is copied into a
    ``HandoverItemAck`` row (stable afterwards). The division is the outgoing
    shift's roster division, else ``division``, else the county.

    Raises:
        ValidationError: blank summary; incoming officer is the actor or cannot read duty records.
        PermissionDenied: the actor may not add handovers in that division.
    """
    with transaction.atomic():
        where = from_shift.roster.division if from_shift is not None else (division or _county())
        require_scope(actor, "duty.add_shifthandover", where)
        errors: dict[str, str] = {}
        if incoming_officer is None:
            errors["incoming_officer"] = "请选择接班人。"
        elif incoming_officer.pk == actor.pk:
            errors["incoming_officer"] = "接班人不能是交班人本人。"
        elif not incoming_officer.has_perm("duty.change_shifthandover"):
            errors["incoming_officer"] = f"{_name(incoming_officer)} 不是值班人员,不能接班。"
        if not (summary or "").strip():
            errors["summary"] = "请填写交班摘要。"
        if errors:
            raise ValidationError(errors)
        handover = ShiftHandover(
            division=where,
            from_shift=from_shift,
            to_shift=to_shift,
            outgoing_officer=actor,
            incoming_officer=incoming_officer,
            summary=summary.strip(),
            is_demo=is_demo,
        )
        handover.full_clean()
        handover.save()
        record_change(handover, "create", None, actor=actor)
        seen: set[str] = set()
        for position, item in enumerate(collect_open_items(actor)):
            if item.ref in seen:
                continue
            seen.add(item.ref)
            row = HandoverItemAck(
                handover=handover,
                position=position,
                kind=item.kind[:40],
                ref=item.ref[:120],
                title=item.title[:300],
                url=item.url[:300],
                severity=item.severity[:10],
            )
            row.full_clean()
            row.save()
            record_change(row, "create", None, actor=actor)
    return handover


def acknowledge_handover(
    handover: ShiftHandover,
    *,
    actor: Any,
    item_ids: Sequence[int] = (),
    all_items: bool = False,
) -> ShiftHandover:
    """The incoming officer acknowledges items (``item_ids``) or, explicitly, ``all_items``; audited.

    The handover completes when every item is acknowledged (a handover without
    items completes on ``all_items=True``). Acknowledging an item twice is a no-op.

    Raises:
        PermissionDenied: the actor is not the handover's incoming officer.
        ValidationError: nothing chosen; an id that is not an item of this handover;
            the handover is already complete.
    """
    with transaction.atomic():
        locked = ShiftHandover.objects.select_for_update().get(pk=handover.pk)
        if actor is None or locked.incoming_officer_id != actor.pk:
            raise PermissionDenied("该交接班不是交给您的。")
        if locked.status == HandoverStatus.COMPLETE:
            raise ValidationError({"status": "该交接班已完成。"})
        items = {i.pk: i for i in locked.items.select_for_update()}
        if all_items:
            chosen = list(items.values())
        else:
            if not item_ids:
                raise ValidationError({"item_ids": "请选择要确认的交接事项。"})
            unknown = [i for i in item_ids if i not in items]
            if unknown:
                raise ValidationError({"item_ids": f"不是本次交接的事项: {unknown}"})
            chosen = [items[i] for i in item_ids]
        now = timezone.now()
        for item in chosen:
            if item.acknowledged_at is not None:
                continue
            before = snapshot(item)
            item.acknowledged_at = now
            item.acknowledged_by = actor
            item.save(update_fields=["acknowledged_at", "acknowledged_by"])
            record_change(item, "update", before, actor=actor)
        if all(i.acknowledged_at is not None for i in items.values()) and (items or all_items):
            before = snapshot(locked)
            locked.status = HandoverStatus.COMPLETE
            locked.completed_at = now
            locked.save(update_fields=["status", "completed_at"])
            record_change(locked, "update", before, actor=actor)
    return locked


# --- duty log --------------------------------------------------------------------------------------


def _normalise_number(number: str) -> str:
    number = (number or "").strip()
    if not number or _SERVICE_NUMBER.match(number):
        return number
    result = parse_phone(number)
    if not result.valid or result.value is None:
        raise ValidationError({"caller_number": f"电话号码无法识别: {result.error}"})
    return result.value


def add_duty_log_entry(
    *,
    actor: Any,
    kind: str,
    summary: str,
    division: AdministrativeDivision | None = None,
    occurred_at: datetime | None = None,
    shift: Shift | None = None,
    caller_name: str = "",
    caller_number: str = "",
    instructed_by: str = "",
    is_demo: bool = False,
) -> DutyLogEntry:
    """Append a duty-log entry (call in/out, instruction, note); audited.

    ``division`` defaults to the shift's roster division, else the county;
    ``occurred_at`` to now; ``shift`` to the shift of a roster in that division
    covering ``occurred_at``. Phone numbers are normalised (mobile 11 digits,
    landline ``area-number``; short service numbers such as 110/12345 kept).

    Raises:
        ValidationError: missing caller for calls, instructor for instructions,
            blank summary, unreadable phone number, future time (over 5 minutes ahead),
            a time before 2000.
        PermissionDenied: no ``duty.add_dutylogentry`` for the division.
    """
    with transaction.atomic():
        where = division or (shift.roster.division if shift is not None else _county())
        require_scope(actor, "duty.add_dutylogentry", where)
        if shift is not None and shift.roster.division_id != where.pk:
            raise ValidationError({"shift": "该班次不属于所选区划的排班表。"})
        when = occurred_at or timezone.now()
        if when > timezone.now() + timedelta(minutes=5):
            raise ValidationError({"occurred_at": "时间不能晚于当前时间。"})
        if early := past_time_error(when):
            raise ValidationError({"occurred_at": early})
        if shift is None:
            shift = (
                Shift.objects.filter(roster__division=where, starts_at__lte=when, ends_at__gt=when)
                .order_by("starts_at")
                .first()
            )
        entry = DutyLogEntry(
            division=where,
            shift=shift,
            kind=kind,
            occurred_at=when,
            caller_name=caller_name.strip(),
            caller_number=_normalise_number(caller_number),
            instructed_by=instructed_by.strip(),
            summary=(summary or "").strip(),
            author=actor,
            is_demo=is_demo,
        )
        entry.full_clean()
        entry.save()
        record_change(entry, "create", None, actor=actor)
    return entry


# --- calendar tokens -------------------------------------------------------------------------------


def _redact(record: Any) -> None:
    """Keep calendar tokens (credentials) out of the audit trail."""
    for side in ("before", "after"):
        data = getattr(record, side)
        if isinstance(data, dict) and "token" in data:
            data["token"] = "***"  # noqa: S105 - a mask, not a password
    record.save(update_fields=["before", "after"])


def ensure_calendar_token(*, actor: Any) -> CalendarToken:
    """The actor's iCal token, created on first use (256 random bits); audited on creation."""
    with transaction.atomic():
        existing = CalendarToken.objects.filter(user=actor).first()
        if existing is not None:
            return existing
        token = CalendarToken(user=actor, token=secrets.token_urlsafe(32))
        token.save()
        _redact(record_change(token, "create", None, actor=actor))
    return token


def rotate_calendar_token(*, actor: Any) -> CalendarToken:
    """Replace the actor's iCal token; old feed URLs stop working. Audited."""
    with transaction.atomic():
        token = ensure_calendar_token(actor=actor)
        before = snapshot(token)
        token.token = secrets.token_urlsafe(32)
        token.save(update_fields=["token"])
        _redact(record_change(token, "update", before, actor=actor))
    return token
