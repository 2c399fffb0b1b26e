"""Report clocks (信息报告时限): which reports an incident owes and by when.

Clocks come from ``data/standards/reporting_time_limits.csv`` via
:mod:`.reporting_rules` (numbers parsed from the data, never hard-coded here):

* accident (事故灾难, 国务院令第493号):
  - ``accident.unit_report``: unit -> county-level authorities within 1 h of the accident
    (art.9). ``met_at`` = ``reported_at`` (county received the report).
  - ``accident.escalation``: one deadline per level up to the level the grade requires
    (art.10, ``report_escalated_to`` of accident_grading_493.csv: 一般 1 level = 设区的市级,
    较大 2 = 省级, 重大/特别重大 3 = 国务院安全生产监督管理部门), each level within 2 h of the
    level below receiving it (art.11). Level 1 counts from ``reported_at`` (or, not yet
    reported, from the unit-report deadline); level k+1 from level k's report (or its due).
  - ``accident.supplementary``: casualty changes reported within 30 days of the accident,
    7 days for 道路交通事故 and 火灾事故 (art.13), as a window ending at
    ``occurred_at + N days``.
* natural disaster (自然灾害, 自然灾害情况统计调查制度):
  - ``natural_disaster.initial``: county 初报 to the city level within 2 h.
  - ``natural_disaster.bypass``: with ``severe=True``, county reports to province and
    ministry at the same time, within 2 h.
  - ``natural_disaster.daily``: 24-hour zero report (续报) every day by 09:00 local time
    with figures to 24:00 of the day before, from the day after the disaster until the day
    after stabilization (``stabilized_at``) - or, not yet stable, up to the next one due.
    Drought (subtype 干旱/drought): ``natural_disaster.drought_update`` every 10 days instead.
  - 核报 limits are UNVERIFIED in the sources and are not computed.
* public emergencies other than accidents, grades 特别重大/重大: ``public_emergency.major_report``
  to the State Council within 4 h of occurrence (2006 overall plan 3.2.1). Accidents follow
  493 instead (its chain 1 h + 2 h per level is more specific).

Status: ``met`` when the matching report was made at or before ``due_at``; ``missed`` when
it was made late or not made and ``now`` is past ``due_at``; ``pending`` otherwise.
Pure module: no Django import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from enum import StrEnum

from yingji.engines.incidents.categories import Category, parse_category
from yingji.engines.incidents.grading import escalation_levels
from yingji.engines.incidents.model import GradingInputError
from yingji.engines.incidents.reporting_rules import ReportingClocks, ReportingRule, reporting_clocks

#: China Standard Time (UTC+8, no DST since 1991): the time of the national reporting rules.
CHINA_TZ = timezone(timedelta(hours=8), "CST")

#: Escalation level -> receiving authority (493 art.10; Yanqi: 巴州 / 自治区 / 应急管理部).
LEVEL_TARGETS_ZH = {1: "设区的市级（州）", 2: "省级（自治区）", 3: "国务院安全生产监督管理部门（应急管理部）"}
LEVEL_TARGETS_EN = {
    1: "prefecture (设区的市/州) level",
    2: "provincial (autonomous region) level",
    3: "State Council work-safety department (Ministry of Emergency Management)",
}

_SUBTYPE_ZH = {
    "road_traffic": "道路交通事故",
    "road": "道路交通事故",
    "traffic": "道路交通事故",
    "道路交通": "道路交通事故",
    "道路交通事故": "道路交通事故",
    "交通事故": "道路交通事故",
    "fire": "火灾事故",
    "火灾": "火灾事故",
    "火灾事故": "火灾事故",
    "drought": "干旱",
    "干旱": "干旱",
    "旱灾": "干旱",
}


class DeadlineInputError(ValueError):
    """Invalid input to the deadline engine (naive datetime, bad grade or report level)."""


class ReportKind(StrEnum):
    """Kinds of reports already made, matched against the deadlines."""

    ESCALATION = "escalation"  # accident, level 1..3 (493 art.10/11)
    SUPPLEMENTARY = "supplementary"  # accident casualty-change 补报 (art.13)
    INITIAL = "initial"  # natural-disaster 初报
    BYPASS = "bypass"  # natural-disaster 越级初报
    DAILY = "daily"  # natural-disaster 24-hour zero report / 续报
    DROUGHT_UPDATE = "drought_update"  # drought 续报 every N days
    MAJOR = "major"  # 特别重大/重大 report to the State Council (2006 plan)


class DeadlineStatus(StrEnum):
    """Status of one deadline at ``now``."""

    PENDING = "pending"
    MET = "met"
    MISSED = "missed"


@dataclass(frozen=True, slots=True)
class ReportMade:
    """A report already made: ``kind``, aware ``at``, and ``level`` 1..3 for escalations."""

    kind: ReportKind
    at: datetime
    level: int | None = None


@dataclass(frozen=True, slots=True)
class IncidentClock:
    """What the deadline engine needs to know about an incident.

    Attributes:
        category: incident category.
        occurred_at: when it happened (aware datetime).
        grade: current grade 1..4; ``None`` for an accident is treated as 4 (every accident
            goes at least to the city level).
        subtype: e.g. ``road_traffic``/``道路交通``, ``fire``/``火灾``, ``drought``/``干旱``.
        reported_at: when the county received the first report (accident unit report).
        reports: reports made by the county so far.
        stabilized_at: natural disaster: when the situation stabilized (ends daily reports).
        casualty_changed_at: accident: when casualty figures changed (need 补报).
        severe: natural disaster serious enough for the 越级 initial report.
    """

    category: Category
    occurred_at: datetime
    grade: int | None = None
    subtype: str | None = None
    reported_at: datetime | None = None
    reports: tuple[ReportMade, ...] = ()
    stabilized_at: datetime | None = None
    casualty_changed_at: tuple[datetime, ...] = ()
    severe: bool = False


@dataclass(frozen=True, slots=True)
class Deadline:
    """One report deadline.

    Attributes:
        rule_id: the rule (``accident.escalation``, ``natural_disaster.daily``, ...).
        key: unique per incident (``accident.escalation.2``, ``natural_disaster.daily.2024-07-02``).
        description_zh, description_en: what is owed, to whom, by when.
        due_at: aware datetime (UTC+8).
        met_at: when the matching report was made, or ``None``.
        status: pending / met / missed at ``now``.
        level: escalation level 1..3, or ``None``.
        source: source keys and article, plus the CSV line.
    """

    rule_id: str
    key: str
    description_zh: str
    description_en: str
    due_at: datetime
    met_at: datetime | None
    status: DeadlineStatus
    level: int | None
    source: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready mapping (datetimes as ISO 8601 strings with offset)."""
        return {
            "rule_id": self.rule_id,
            "key": self.key,
            "description_zh": self.description_zh,
            "description_en": self.description_en,
            "due_at": self.due_at.isoformat(),
            "met_at": self.met_at.isoformat() if self.met_at else None,
            "status": self.status.value,
            "level": self.level,
            "source": self.source,
        }


def normalize_subtype(subtype: str | None) -> str | None:
    """Map an English or Chinese subtype to the Chinese name used in the rules (or keep it)."""
    if subtype is None or not subtype.strip():
        return None
    key = subtype.strip()
    return _SUBTYPE_ZH.get(key.lower().replace("-", "_"), _SUBTYPE_ZH.get(key, key))


def _aware(name: str, value: datetime) -> datetime:
    if not isinstance(value, datetime):
        raise DeadlineInputError(f"{name} must be a datetime, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise DeadlineInputError(f"{name} must be timezone-aware, got {value.isoformat()}")
    return value


def _status(due: datetime, met: datetime | None, now: datetime) -> DeadlineStatus:
    if met is not None:
        return DeadlineStatus.MET if met <= due else DeadlineStatus.MISSED
    return DeadlineStatus.MISSED if now > due else DeadlineStatus.PENDING


def _src(rule: ReportingRule) -> str:
    art = rule.note.split(";")[0].strip()
    art = art if art.startswith("art.") or art[:4].isdigit() else ""
    return f"{rule.source_keys} {art}".strip() + f" (reporting_time_limits.csv:{rule.line})"


def _h(hours: float) -> str:
    return str(int(hours)) if float(hours).is_integer() else str(hours)


def _earliest(reports: list[datetime]) -> datetime | None:
    return min(reports) if reports else None


def compute_deadlines(
    incident: IncidentClock,
    *,
    now: datetime,
    clocks: ReportingClocks | None = None,
    tz: tzinfo = CHINA_TZ,
    max_periodic: int = 400,
) -> tuple[Deadline, ...]:
    """List the report deadlines of ``incident`` with their status at ``now``.

    Args:
        incident: the incident (see :class:`IncidentClock`).
        now: aware datetime at which statuses are evaluated.
        clocks: parsed rules (default: data/standards/reporting_time_limits.csv).
        tz: local time zone for daily report hours and output (default UTC+8).
        max_periodic: cap on generated daily / drought reports.

    Returns:
        Deadlines sorted by ``due_at`` then ``key`` (see module docstring for the rules).

    Raises:
        DeadlineInputError: a naive datetime, grade not 1..4, an escalation report without
            level 1..3.
        ReportingRuleError: the rule table is malformed.

    Sources: 国务院令第493号 art.9-11, 13; 自然灾害情况统计调查制度 (应急〔2020〕19号) and older
    texts (初报 2 h, 24-hour zero reports); 国家突发公共事件总体应急预案 (2006) 3.2.1 (4 h).
    """
    c = clocks or reporting_clocks()
    category = parse_category(incident.category)
    occurred = _aware("occurred_at", incident.occurred_at).astimezone(tz)
    now = _aware("now", now)
    grade = incident.grade
    if grade is not None and (type(grade) is not int or not 1 <= grade <= 4):
        raise DeadlineInputError(f"grade must be 1..4, got {grade!r}")
    by_kind: dict[ReportKind, list[ReportMade]] = {}
    for r in incident.reports:
        kind = ReportKind(r.kind)
        _aware(f"report {kind.value} at", r.at)
        if kind is ReportKind.ESCALATION and (type(r.level) is not int or not 1 <= r.level <= 3):
            raise DeadlineInputError(f"an escalation report needs level 1..3, got {r.level!r}")
        by_kind.setdefault(kind, []).append(ReportMade(kind, r.at.astimezone(tz), r.level))
    ctx = _Ctx(c, incident, occurred, grade, normalize_subtype(incident.subtype), tz, by_kind, now, [])
    if category is Category.ACCIDENT:
        _accident(ctx)
    elif category is Category.NATURAL_DISASTER:
        _natural_disaster(ctx, max_periodic)
    if category is not Category.ACCIDENT and grade is not None and grade in c.major_report_grades:
        rule = c.major_report
        ctx.add(
            "public_emergency.major_report",
            "public_emergency.major_report",
            f"{rule.step}：{rule.from_zh}→{rule.to_zh}，{rule.limit_zh}",
            f"Grade I/II public emergency: report to the State Council within {_h(c.major_report_hours)} h "
            "of occurrence (2006 national overall plan 3.2.1)",
            occurred + timedelta(hours=c.major_report_hours),
            _earliest(ctx.times(ReportKind.MAJOR)),
            source=_src(rule),
        )
    return tuple(sorted(ctx.out, key=lambda d: (d.due_at, d.key)))


@dataclass(slots=True)
class _Ctx:
    c: ReportingClocks
    incident: IncidentClock
    occurred: datetime
    grade: int | None
    subtype: str | None
    tz: tzinfo
    by_kind: dict[ReportKind, list[ReportMade]]
    now: datetime
    out: list[Deadline]

    def times(self, kind: ReportKind) -> list[datetime]:
        return [r.at for r in self.by_kind.get(kind, [])]

    def add(
        self,
        rule_id: str,
        key: str,
        zh: str,
        en: str,
        due: datetime,
        met: datetime | None,
        *,
        source: str,
        level: int | None = None,
        status: DeadlineStatus | None = None,
    ) -> None:
        status = status or _status(due, met, self.now)
        self.out.append(Deadline(rule_id, key, zh, en, due, met, status, level, source))


def _accident(ctx: _Ctx) -> None:
    c, incident, occurred, grade, subtype, tz = (
        ctx.c,
        ctx.incident,
        ctx.occurred,
        ctx.grade,
        ctx.subtype,
        ctx.tz,
    )
    add, times, by_kind, now = ctx.add, ctx.times, ctx.by_kind, ctx.now
    unit = c.unit_report
    reported = incident.reported_at
    if reported is not None:
        reported = _aware("reported_at", reported).astimezone(tz)
    unit_due = occurred + timedelta(hours=c.unit_report_hours)
    add(
        "accident.unit_report",
        "accident.unit_report",
        f"{unit.step}：{unit.from_zh}→{unit.to_zh}，{unit.limit_zh}（事故发生后）",
        f"Unit head reports the accident to the county-level work-safety authorities within "
        f"{_h(c.unit_report_hours)} h (493 art.9)",
        unit_due,
        reported,
        source=_src(unit),
    )
    esc = c.escalation
    levels = escalation_levels(grade if grade is not None else 4)
    prev = reported or unit_due
    for level in range(1, levels + 1):
        due = prev + timedelta(hours=c.escalation_hours)
        met = _earliest([r.at for r in by_kind.get(ReportKind.ESCALATION, []) if r.level == level])
        below = "县级" if level == 1 else LEVEL_TARGETS_ZH[level - 1]
        add(
            "accident.escalation",
            f"accident.escalation.{level}",
            f"{esc.step}：第{level}级，{below}→{LEVEL_TARGETS_ZH[level]}，{esc.limit_zh}",
            f"Escalation level {level}: report to the {LEVEL_TARGETS_EN[level]} within "
            f"{_h(c.escalation_hours)} h of the level below receiving it (493 art.10-11)",
            due,
            met,
            level=level,
            source=_src(esc),
        )
        prev = met or due
    supp = c.supplementary
    short = subtype in c.supplementary_short_subtypes
    days = c.supplementary_short_days if short else c.supplementary_days
    due = occurred + timedelta(days=days)
    reports = sorted(times(ReportKind.SUPPLEMENTARY))
    in_window = [t for t in reports if t <= due]
    changes = sorted(_aware("casualty_changed_at", t).astimezone(tz) for t in incident.casualty_changed_at)
    changes = [t for t in changes if t <= due]
    uncovered = any(not any(r >= ch for r in in_window) for ch in changes)
    met = in_window[-1] if in_window else None
    if now <= due:
        status = DeadlineStatus.MET if in_window and changes and not uncovered else DeadlineStatus.PENDING
    else:
        status = DeadlineStatus.MISSED if uncovered else DeadlineStatus.MET
    kind_zh = f"（{subtype}为{days}日）" if short else ""
    add(
        "accident.supplementary",
        "accident.supplementary",
        f"{supp.step}：事故发生之日起{days}日内伤亡人数变化应及时补报{kind_zh}",
        f"Supplementary report of any change in casualties within {days} days of the accident"
        + (" (road traffic / fire accidents: 7 days)" if short else "")
        + " (493 art.13)",
        due,
        met,
        status=status,
        source=_src(supp),
    )


def _natural_disaster(ctx: _Ctx, max_periodic: int) -> None:
    c, incident, occurred, subtype, tz = ctx.c, ctx.incident, ctx.occurred, ctx.subtype, ctx.tz
    add, times, now = ctx.add, ctx.times, ctx.now
    ini = c.disaster_initial
    add(
        "natural_disaster.initial",
        "natural_disaster.initial",
        f"{ini.step}：{ini.from_zh}→{ini.to_zh}，{ini.limit_zh}",
        f"Initial disaster report (初报) from the county to the city level within "
        f"{_h(c.disaster_initial_hours)} h of the disaster",
        occurred + timedelta(hours=c.disaster_initial_hours),
        _earliest(times(ReportKind.INITIAL)),
        source=_src(ini),
    )
    if incident.severe:
        byp = c.disaster_bypass
        add(
            "natural_disaster.bypass",
            "natural_disaster.bypass",
            f"{byp.step}：{byp.from_zh}→{byp.to_zh}，{byp.limit_zh}",
            f"Severe disaster: county reports at the same time to the province and the ministry "
            f"within {_h(c.disaster_bypass_hours)} h",
            occurred + timedelta(hours=c.disaster_bypass_hours),
            _earliest(times(ReportKind.BYPASS)),
            source=_src(byp),
        )
    stable = incident.stabilized_at
    end = _aware("stabilized_at", stable) if stable is not None else now
    if subtype == "干旱":
        rule = c.drought_update
        every = timedelta(days=c.drought_every_days)
        reports = sorted(times(ReportKind.DROUGHT_UPDATE))
        start = occurred
        for n in range(1, max_periodic + 1):
            if start >= end:
                break
            due = start + every
            met = next((t for t in reports if start < t <= due), None)
            add(
                "natural_disaster.drought_update",
                f"natural_disaster.drought_update.{n}",
                f"{rule.step}：{rule.from_zh}→{rule.to_zh}，{rule.limit_zh}（第{n}次）",
                f"Drought update report no. {n}: every {c.drought_every_days} days while drought develops",
                due,
                met,
                source=_src(rule),
            )
            start = due
        return
    rule = c.disaster_daily
    reports = sorted(times(ReportKind.DAILY))
    day: date = occurred.astimezone(tz).date() + timedelta(days=1)
    for _ in range(max_periodic):
        covered_start = datetime.combine(day - timedelta(days=1), time(0), tzinfo=tz)
        if covered_start >= end:
            break
        due = datetime.combine(day, time(c.daily_report_hour), tzinfo=tz)
        met = next((t for t in reports if due - timedelta(days=1) < t <= due), None)
        add(
            "natural_disaster.daily",
            f"natural_disaster.daily.{day.isoformat()}",
            f"{rule.step}：{rule.from_zh}→{rule.to_zh}，{day.isoformat()} {rule.limit_zh}",
            f"24-hour zero report for {(day - timedelta(days=1)).isoformat()}: due by "
            f"{c.daily_report_hour:02d}:00 on {day.isoformat()} until the situation stabilizes",
            due,
            met,
            source=_src(rule),
        )
        day += timedelta(days=1)


def utc_now() -> datetime:
    """Current time as an aware UTC datetime (for callers without their own clock)."""
    return datetime.now(UTC)


__all__ = [
    "CHINA_TZ",
    "Deadline",
    "DeadlineInputError",
    "DeadlineStatus",
    "GradingInputError",
    "IncidentClock",
    "ReportKind",
    "ReportMade",
    "compute_deadlines",
    "normalize_subtype",
    "utc_now",
]
