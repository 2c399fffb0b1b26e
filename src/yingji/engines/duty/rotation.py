"""Duty rotation (排班) and coverage gaps (值班空档): a pure, deterministic engine.

``plan_rotation(request)`` lays shift slots over a period of days and assigns
a duty leader (带班领导) and ``officers_per_shift`` duty officers (值班员) to each
shift, fairly: the person with the fewest hours so far (``prior_hours`` counts
earlier periods) goes first, ties broken by who has waited longest, then by
the order the caller listed them. Nobody is placed on two overlapping shifts
or on a day they are unavailable. The same inputs always give the same plan.

Patterns:

* daily: ``slots`` (e.g. one 24 h shift from 08:00, or 08:00-20:00 and
  20:00-08:00) on every day whose weekday is in ``weekdays``;
* weekly: ``leader_rotation``/``officer_rotation`` = ``week`` keeps the same
  person for every shift of an ISO week (``day``: of a date; ``shift``: a new
  choice per shift), falling back to the next fair choice when that person is
  unavailable on a day;
* holidays (``HolidayDate``, from data the caller supplies; this engine ships
  no holiday list): ``holiday_policy`` ``same`` (regular pattern), ``skip``
  (no shifts that day) or ``special`` (``holiday_slots`` with
  ``holiday_officers_per_shift``). A ``workday`` entry (调休上班) is staffed with
  the regular pattern even when its weekday is not in ``weekdays``.

Coverage: ``coverage_gaps(window_start, window_end, shifts, officers_required)``
returns the maximal periods of the window with no shift at all, no leader, or
fewer distinct officers on duty than required. ``plan_rotation`` reports the
gaps of its own plan over the requested window: ``continuous`` (24/7 from the
first slot of the first day to the same time after the last day) or
``scheduled`` (only the periods the slots cover).

Times are timezone-aware ``datetime`` values; slot start times are wall-clock
times in ``request.tz`` (Asia/Shanghai for the platform; China has no DST).
No Django import.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from itertools import pairwise

#: Longest period one request may plan (days), to keep a request's cost bounded.
MAX_PERIOD_DAYS = 366
#: Longest single shift.
MAX_SHIFT = timedelta(hours=48)


class RotationInputError(ValueError):
    """Invalid rotation input; ``field`` names the offending input field."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


class HolidayKind(StrEnum):
    """``holiday``: a public holiday (法定节假日); ``workday``: a make-up working day (调休上班)."""

    HOLIDAY = "holiday"
    WORKDAY = "workday"


class HolidayPolicy(StrEnum):
    """What the rotation does on a holiday date."""

    SAME = "same"
    SKIP = "skip"
    SPECIAL = "special"


class RotationUnit(StrEnum):
    """How long one person keeps a post: per shift, per calendar day, per ISO week."""

    SHIFT = "shift"
    DAY = "day"
    WEEK = "week"


class CoverageMode(StrEnum):
    """The duty window gaps are measured against: 24/7 or only the scheduled slots."""

    CONTINUOUS = "continuous"
    SCHEDULED = "scheduled"


class GapReason(StrEnum):
    """Why a period is a coverage gap."""

    UNCOVERED = "uncovered"  # no shift at all
    NO_LEADER = "no_leader"  # shifts, but no duty leader
    UNDERSTAFFED = "understaffed"  # fewer officers than required


@dataclass(frozen=True)
class ShiftSlot:
    """One shift of a day's pattern: starts at wall-clock ``start``, lasts ``duration``."""

    start: time
    duration: timedelta
    label: str = ""


@dataclass(frozen=True)
class HolidayDate:
    """A date from the holiday calendar the caller maintains (e.g. the State Council notice)."""

    day: date
    name: str = ""
    kind: HolidayKind = HolidayKind.HOLIDAY


@dataclass(frozen=True)
class RotationRequest:
    """Everything ``plan_rotation`` needs. People are opaque keys (user ids as strings, names).

    ``ends_on`` is inclusive. ``unavailable`` lists (person, date) pairs.
    ``prior_hours`` lists (person, hours already served) to carry fairness over periods.
    """

    starts_on: date
    ends_on: date
    tz: tzinfo
    slots: tuple[ShiftSlot, ...]
    leaders: tuple[str, ...]
    officers: tuple[str, ...]
    officers_per_shift: int = 1
    weekdays: frozenset[int] = frozenset(range(7))  # 0 = Monday
    holidays: tuple[HolidayDate, ...] = ()
    holiday_policy: HolidayPolicy = HolidayPolicy.SAME
    holiday_slots: tuple[ShiftSlot, ...] = ()
    holiday_officers_per_shift: int | None = None
    leader_rotation: RotationUnit = RotationUnit.SHIFT
    officer_rotation: RotationUnit = RotationUnit.SHIFT
    unavailable: tuple[tuple[str, date], ...] = ()
    prior_hours: tuple[tuple[str, float], ...] = ()
    coverage: CoverageMode = CoverageMode.CONTINUOUS


@dataclass(frozen=True)
class PlannedShift:
    """One generated shift. ``leader`` is None and/or ``officers`` short when nobody was free."""

    starts_at: datetime
    ends_at: datetime
    day: date
    label: str
    leader: str | None
    officers: tuple[str, ...]
    officers_required: int
    holiday: str = ""  # holiday name when the date is a holiday


@dataclass(frozen=True)
class CoverageShift:
    """A shift as coverage sees it (generated or stored)."""

    starts_at: datetime
    ends_at: datetime
    leader: str | None
    officers: tuple[str, ...]


@dataclass(frozen=True)
class CoverageGap:
    """A maximal period with the same shortfall. ``officers`` = distinct officers on duty then."""

    starts_at: datetime
    ends_at: datetime
    reasons: tuple[GapReason, ...]
    officers: int
    officers_required: int

    @property
    def duration(self) -> timedelta:
        """Length of the gap."""
        return self.ends_at - self.starts_at


@dataclass(frozen=True)
class PersonLoad:
    """How much of the plan one person carries (this period only)."""

    person: str
    leader_shifts: int
    officer_shifts: int
    hours: float


@dataclass(frozen=True)
class RotationPlan:
    """The result: shifts in time order, coverage gaps, per-person load (in input order)."""

    shifts: tuple[PlannedShift, ...]
    gaps: tuple[CoverageGap, ...]
    load: tuple[PersonLoad, ...]
    window_start: datetime
    window_end: datetime


@dataclass
class _Tally:
    hours: float = 0.0
    leader_shifts: int = 0
    officer_shifts: int = 0
    busy_until: datetime | None = None
    last_start: datetime | None = None
    rank: int = 0


def _validate(req: RotationRequest) -> None:
    if req.ends_on < req.starts_on:
        raise RotationInputError("ends_on", "结束日期早于开始日期 (end date before start date)")
    if (req.ends_on - req.starts_on).days + 1 > MAX_PERIOD_DAYS:
        raise RotationInputError("ends_on", f"排班周期不得超过 {MAX_PERIOD_DAYS} 天")
    if not req.slots:
        raise RotationInputError("slots", "至少需要一个班次 (at least one slot)")
    for name, slots in (("slots", req.slots), ("holiday_slots", req.holiday_slots)):
        for slot in slots:
            if not timedelta(0) < slot.duration <= MAX_SHIFT:
                raise RotationInputError(name, "班次时长须在 0–48 小时之间")
    if req.holiday_policy == HolidayPolicy.SPECIAL and not req.holiday_slots:
        raise RotationInputError("holiday_slots", "节假日特殊排班需要节假日班次")
    if req.officers_per_shift < 0 or (req.holiday_officers_per_shift or 0) < 0:
        raise RotationInputError("officers_per_shift", "值班员人数不能为负")
    if not set(req.weekdays) <= set(range(7)):
        raise RotationInputError("weekdays", "星期须为 0(周一)–6(周日)")
    for name, people in (("leaders", req.leaders), ("officers", req.officers)):
        if len(set(people)) != len(people):
            raise RotationInputError(name, "名单中有重复人员")
        if any(not p for p in people):
            raise RotationInputError(name, "名单中有空的人员")
    if req.tz is None:
        raise RotationInputError("tz", "需要时区")


def _days(start: date, end: date) -> Iterable[date]:
    d = start
    while d <= end:
        yield d
        d += timedelta(days=1)


def _block_key(unit: RotationUnit, day: date, index: int) -> str:
    if unit == RotationUnit.WEEK:
        iso = day.isocalendar()
        return f"w{iso.year}-{iso.week}"
    if unit == RotationUnit.DAY:
        return f"d{day.isoformat()}"
    return f"s{index}"


class _Assigner:
    """Fair, deterministic choice of people for one post (leader or officer)."""

    def __init__(
        self,
        people: Sequence[str],
        tallies: dict[str, _Tally],
        unavailable: frozenset[tuple[str, date]],
        unit: RotationUnit,
        post: str,
    ) -> None:
        self.people = list(people)
        self.tallies = tallies
        self.unavailable = unavailable
        self.unit = unit
        self.post = post
        self.block_choice: dict[str, list[str]] = {}

    def _free(self, person: str, start: datetime, day: date, taken: set[str]) -> bool:
        if person in taken or (person, day) in self.unavailable:
            return False
        busy = self.tallies[person].busy_until
        return busy is None or busy <= start

    def pick(self, count: int, start: datetime, day: date, block: str, taken: set[str]) -> list[str]:
        chosen: list[str] = []
        kept = self.block_choice.get(block, []) if self.unit != RotationUnit.SHIFT else []
        for person in kept:
            if len(chosen) < count and self._free(person, start, day, taken | set(chosen)):
                chosen.append(person)
        if len(chosen) < count:
            candidates = [
                p for p in self.people if p not in chosen and self._free(p, start, day, taken | set(chosen))
            ]
            epoch = datetime.min.replace(tzinfo=start.tzinfo)
            candidates.sort(
                key=lambda p: (
                    round(self.tallies[p].hours, 6),
                    self.tallies[p].last_start or epoch,
                    self.tallies[p].rank,
                )
            )
            chosen.extend(candidates[: count - len(chosen)])
        if self.unit != RotationUnit.SHIFT and block not in self.block_choice:
            self.block_choice[block] = list(chosen)
        return chosen


def plan_rotation(request: RotationRequest) -> RotationPlan:
    """Generate shifts for ``request`` with fair assignment, and report coverage gaps.

    Returns:
        ``RotationPlan``: shifts sorted by start, gaps over the requested window
        (see ``CoverageMode``), load per person (leaders first, then officers not
        already listed).

    Raises:
        RotationInputError: end before start, period over 366 days, no slots,
        a slot of 0 or over 48 h, duplicate people, negative officer counts,
        ``special`` holiday policy without holiday slots.
    """
    _validate(request)
    tz = request.tz
    holidays = {h.day: h for h in request.holidays}
    everyone = list(dict.fromkeys([*request.leaders, *request.officers]))
    prior = dict(request.prior_hours)
    tallies = {p: _Tally(hours=float(prior.get(p, 0.0)), rank=i) for i, p in enumerate(everyone)}
    unavailable = frozenset(request.unavailable)
    leader_pick = _Assigner(request.leaders, tallies, unavailable, request.leader_rotation, "leader")
    officer_pick = _Assigner(request.officers, tallies, unavailable, request.officer_rotation, "officer")

    # Lay out the slots first (time order), then assign in time order.
    layout: list[tuple[datetime, datetime, date, ShiftSlot, int, str]] = []
    for day in _days(request.starts_on, request.ends_on):
        hol = holidays.get(day)
        slots, required, hol_name = request.slots, request.officers_per_shift, ""
        if hol is not None and hol.kind == HolidayKind.HOLIDAY:
            hol_name = hol.name or "holiday"
            if request.holiday_policy == HolidayPolicy.SKIP:
                continue
            if request.holiday_policy == HolidayPolicy.SPECIAL:
                slots = request.holiday_slots
                if request.holiday_officers_per_shift is not None:
                    required = request.holiday_officers_per_shift
        elif day.weekday() not in request.weekdays and not (
            hol is not None and hol.kind == HolidayKind.WORKDAY
        ):
            continue
        for slot in slots:
            start = datetime.combine(day, slot.start, tzinfo=tz)
            layout.append((start, start + slot.duration, day, slot, required, hol_name))
    layout.sort(key=lambda row: (row[0], row[1]))

    planned: list[PlannedShift] = []
    for index, (start, end, day, slot, required, hol_name) in enumerate(layout):
        taken: set[str] = set()
        leaders = leader_pick.pick(1, start, day, _block_key(request.leader_rotation, day, index), taken)
        taken.update(leaders)
        officers = officer_pick.pick(
            required, start, day, _block_key(request.officer_rotation, day, index), taken
        )
        hours = (end - start).total_seconds() / 3600
        for person in leaders:
            tallies[person].leader_shifts += 1
        for person in officers:
            tallies[person].officer_shifts += 1
        for person in [*leaders, *officers]:
            t = tallies[person]
            t.hours += hours
            t.busy_until = end
            t.last_start = start
        planned.append(
            PlannedShift(
                starts_at=start,
                ends_at=end,
                day=day,
                label=slot.label,
                leader=leaders[0] if leaders else None,
                officers=tuple(officers),
                officers_required=required,
                holiday=hol_name,
            )
        )

    first_start = min((s.start for s in request.slots), default=time(0))
    window_start = datetime.combine(request.starts_on, first_start, tzinfo=tz)
    window_end = datetime.combine(request.ends_on + timedelta(days=1), first_start, tzinfo=tz)
    coverage = [CoverageShift(p.starts_at, p.ends_at, p.leader, p.officers) for p in planned]
    if request.coverage == CoverageMode.CONTINUOUS:
        gaps = coverage_gaps(window_start, window_end, coverage, request.officers_per_shift)
    else:
        found: list[CoverageGap] = []
        for p in planned:
            found.extend(coverage_gaps(p.starts_at, p.ends_at, coverage, p.officers_required))
        gaps = _merge(sorted(set(found), key=lambda g: (g.starts_at, g.ends_at)))
    base = {p: prior.get(p, 0.0) for p in everyone}
    load = tuple(
        PersonLoad(
            person=p,
            leader_shifts=tallies[p].leader_shifts,
            officer_shifts=tallies[p].officer_shifts,
            hours=round(tallies[p].hours - base[p], 4),
        )
        for p in everyone
    )
    return RotationPlan(
        shifts=tuple(planned), gaps=gaps, load=load, window_start=window_start, window_end=window_end
    )


def _merge(gaps: Sequence[CoverageGap]) -> tuple[CoverageGap, ...]:
    merged: list[CoverageGap] = []
    for gap in gaps:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.ends_at >= gap.starts_at
            and (last.reasons, last.officers, last.officers_required)
            == (gap.reasons, gap.officers, gap.officers_required)
        ):
            merged[-1] = CoverageGap(
                last.starts_at,
                max(last.ends_at, gap.ends_at),
                last.reasons,
                last.officers,
                last.officers_required,
            )
        else:
            merged.append(gap)
    return tuple(merged)


def coverage_gaps(
    window_start: datetime,
    window_end: datetime,
    shifts: Iterable[CoverageShift],
    officers_required: int,
) -> tuple[CoverageGap, ...]:
    """Maximal periods of ``[window_start, window_end)`` that are not fully covered.

    A moment is covered when at least one shift spanning it has a leader and the
    distinct officers of the shifts spanning it number at least ``officers_required``.
    Adjacent periods with the same reasons and officer count are merged.

    Args:
        window_start, window_end: aware datetimes, the duty window.
        shifts: shifts (any order; those outside the window are ignored).
        officers_required: officers needed at every moment (0 = leader only).

    Returns:
        Gaps in time order.

    Raises:
        RotationInputError: window end not after start, negative ``officers_required``,
        a shift ending before it starts.
    """
    if window_end <= window_start:
        raise RotationInputError("window", "值班时段结束须晚于开始")
    if officers_required < 0:
        raise RotationInputError("officers_required", "值班员人数不能为负")
    inside: list[CoverageShift] = []
    for s in shifts:
        if s.ends_at < s.starts_at:
            raise RotationInputError("shifts", "班次结束早于开始")
        if s.ends_at > window_start and s.starts_at < window_end and s.ends_at > s.starts_at:
            inside.append(s)
    points = {window_start, window_end}
    for s in inside:
        points.add(max(s.starts_at, window_start))
        points.add(min(s.ends_at, window_end))
    cuts = sorted(points)
    raw: list[CoverageGap] = []
    for a, b in pairwise(cuts):
        active = [s for s in inside if s.starts_at <= a and s.ends_at >= b]
        officers = len({o for s in active for o in s.officers})
        reasons: list[GapReason] = []
        if not active:
            reasons.append(GapReason.UNCOVERED)
        else:
            if not any(s.leader for s in active):
                reasons.append(GapReason.NO_LEADER)
            if officers < officers_required:
                reasons.append(GapReason.UNDERSTAFFED)
        if reasons:
            raw.append(CoverageGap(a, b, tuple(reasons), officers, officers_required))
    return _merge(raw)
