"""Report time limits as data: ``data/standards/reporting_time_limits.csv`` parsed once.

Every row is read and checked (``limit_hours`` a positive number that agrees with any
``N小时`` in the limit text, ``verified_sources`` an integer). The clocks the deadline
engine needs are then picked out by (domain, step) and their numbers parsed from the data
itself - hours from ``limit_hours``, days / hour-of-day / period from the limit text:

* ``production_accident / 单位报告``: ``limit_hours`` (493 art.9, 1 h).
* ``production_accident / 逐级上报(每级)``: ``limit_hours`` per level (493 art.11, 2 h).
* ``production_accident / 补报(伤亡变化)``: ``N日内`` in ``limit`` (30) and
  ``<subtypes>为N日内`` in ``note`` (道路交通事故、火灾事故 7) (493 art.13).
* ``natural_disaster / 初报``, ``初报越级(严重灾害)``: ``limit_hours`` (2 h).
* ``natural_disaster / 续报(24小时零报告)`` from 县级: ``每日N时前`` (9).
* ``natural_disaster / 续报(干旱)``: ``每N日`` (10).
* ``public_emergency / 信息报告(特别重大/重大)``: ``limit_hours`` (4) and the grades named
  in the step (2006 overall plan 3.2.1).

Any of these missing or unparsable raises :class:`ReportingRuleError` naming file and line.
Pure module: no Django import.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from yingji.engines.incidents.categories import severity_levels
from yingji.engines.refdata import data_path


class ReportingRuleError(ValueError):
    """A malformed or missing row of the reporting time-limit table."""


@dataclass(frozen=True, slots=True)
class ReportingRule:
    """One row of ``reporting_time_limits.csv`` (``line`` = CSV line number)."""

    line: int
    domain: str
    step: str
    from_zh: str
    to_zh: str
    limit_zh: str
    limit_hours: float | None
    source_keys: str
    verified_sources: int
    note: str


@dataclass(frozen=True, slots=True)
class ReportingClocks:
    """The parsed clocks used by :func:`~.deadlines.compute_deadlines`.

    Hours are in h, days in calendar days (24 h), ``daily_report_hour`` in local hours.
    """

    rules: tuple[ReportingRule, ...]
    unit_report: ReportingRule
    unit_report_hours: float
    escalation: ReportingRule
    escalation_hours: float
    supplementary: ReportingRule
    supplementary_days: int
    supplementary_short_days: int
    supplementary_short_subtypes: tuple[str, ...]
    disaster_initial: ReportingRule
    disaster_initial_hours: float
    disaster_bypass: ReportingRule
    disaster_bypass_hours: float
    disaster_daily: ReportingRule
    daily_report_hour: int
    drought_update: ReportingRule
    drought_every_days: int
    major_report: ReportingRule
    major_report_hours: float
    major_report_grades: tuple[int, ...]


_HOURS_IN_TEXT = re.compile(r"(\d+(?:\.\d+)?)\s*小时")


def _parse_row(row: dict[str, str], line: int, where: str) -> ReportingRule:
    for key in ("domain", "step", "limit"):
        if not (row.get(key) or "").strip():
            raise ReportingRuleError(f"{where}: column {key!r} is empty")
    hours_text = (row.get("limit_hours") or "").strip()
    hours: float | None = None
    if hours_text:
        try:
            hours = float(hours_text)
        except ValueError:
            raise ReportingRuleError(f"{where}: limit_hours {hours_text!r} is not a number") from None
        if not math.isfinite(hours) or hours <= 0:
            raise ReportingRuleError(f"{where}: limit_hours must be > 0, got {hours_text!r}")
        in_text = _HOURS_IN_TEXT.findall(row["limit"])
        if in_text and all(float(h) != hours for h in in_text):
            raise ReportingRuleError(
                f"{where}: limit_hours {hours_text} disagrees with limit text {row['limit']!r}"
            )
    verified_text = (row.get("verified_sources") or "0").strip() or "0"
    if not verified_text.isdigit():
        raise ReportingRuleError(f"{where}: verified_sources {verified_text!r} is not an integer")
    return ReportingRule(
        line=line,
        domain=row["domain"].strip(),
        step=row["step"].strip(),
        from_zh=(row.get("from_zh") or "").strip(),
        to_zh=(row.get("to_zh") or "").strip(),
        limit_zh=row["limit"].strip(),
        limit_hours=hours,
        source_keys=(row.get("source_keys") or "").strip(),
        verified_sources=int(verified_text),
        note=(row.get("note") or "").strip(),
    )


def load_reporting_rules(path: str | Path) -> ReportingClocks:
    """Read a reporting time-limit table and parse the clocks (see module docstring).

    Args:
        path: CSV with columns ``domain,step,from_zh,to_zh,limit,limit_hours,source_keys,
            verified_sources,note`` (the layout of data/standards/reporting_time_limits.csv).

    Raises:
        ReportingRuleError: missing columns, a malformed row, or a required rule missing or
            without the number it must carry (message names file and line).
        FileNotFoundError: no such file.
    """
    path = Path(path)
    rows: list[ReportingRule] = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        need = {"domain", "step", "from_zh", "to_zh", "limit", "limit_hours", "source_keys", "note"}
        missing = need - set(reader.fieldnames or ())
        if missing:
            raise ReportingRuleError(f"{path.name}: missing column(s) {', '.join(sorted(missing))}")
        for row in reader:
            rows.append(_parse_row(row, reader.line_num, f"{path.name}:{reader.line_num}"))

    def pick(domain: str, step: str, from_zh: str | None = None) -> ReportingRule:
        for r in rows:
            if r.domain == domain and r.step == step and (from_zh is None or r.from_zh == from_zh):
                return r
        who = f" from {from_zh}" if from_zh else ""
        raise ReportingRuleError(f"{path.name}: required rule {domain} / {step}{who} is missing")

    def hours(rule: ReportingRule) -> float:
        if rule.limit_hours is None:
            raise ReportingRuleError(f"{path.name}:{rule.line}: {rule.step}: limit_hours is required")
        return rule.limit_hours

    def number(rule: ReportingRule, pattern: str, text: str, what: str) -> re.Match[str]:
        m = re.search(pattern, text)
        if m is None:
            raise ReportingRuleError(
                f"{path.name}:{rule.line}: {rule.step}: cannot parse {what} from {text!r}"
            )
        return m

    unit = pick("production_accident", "单位报告")
    esc = pick("production_accident", "逐级上报(每级)")
    supp = pick("production_accident", "补报(伤亡变化)")
    supp_days = int(number(supp, r"(\d+)\s*日内", supp.limit_zh, "days (N日内)").group(1))
    short = number(supp, r"([^\s;；,，]+?)为\s*(\d+)\s*日内", supp.note, "short window (…为N日内)")
    short_subtypes = tuple(s.strip() for s in re.split(r"[、/,，]", short.group(1)) if s.strip())
    initial = pick("natural_disaster", "初报")
    bypass = pick("natural_disaster", "初报越级(严重灾害)")
    daily = pick("natural_disaster", "续报(24小时零报告)", "县级")
    daily_hour = int(number(daily, r"每日\s*(\d+)\s*时", daily.limit_zh, "hour (每日N时前)").group(1))
    if not 0 <= daily_hour <= 23:
        raise ReportingRuleError(f"{path.name}:{daily.line}: daily hour {daily_hour} is not 0..23")
    drought = pick("natural_disaster", "续报(干旱)")
    every = int(number(drought, r"每\s*(\d+)\s*日", drought.limit_zh, "period (每N日)").group(1))
    major = [r for r in rows if r.domain == "public_emergency" and r.step.startswith("信息报告")]
    if not major:
        raise ReportingRuleError(f"{path.name}: required rule public_emergency / 信息报告(...) is missing")
    names = {lv.severity_zh: rank for rank, lv in severity_levels().items()}
    inside = number(major[0], r"[（(]([^)）]+)[)）]", major[0].step, "grades (…/…)").group(1)
    grades = []
    for part in re.split(r"[/、]", inside):
        if part.strip() not in names:
            raise ReportingRuleError(f"{path.name}:{major[0].line}: unknown grade name {part!r} in step")
        grades.append(names[part.strip()])
    if supp_days <= 0 or every <= 0 or int(short.group(2)) <= 0:
        raise ReportingRuleError(f"{path.name}: day counts must be positive")
    return ReportingClocks(
        rules=tuple(rows),
        unit_report=unit,
        unit_report_hours=hours(unit),
        escalation=esc,
        escalation_hours=hours(esc),
        supplementary=supp,
        supplementary_days=supp_days,
        supplementary_short_days=int(short.group(2)),
        supplementary_short_subtypes=short_subtypes,
        disaster_initial=initial,
        disaster_initial_hours=hours(initial),
        disaster_bypass=bypass,
        disaster_bypass_hours=hours(bypass),
        disaster_daily=daily,
        daily_report_hour=daily_hour,
        drought_update=drought,
        drought_every_days=every,
        major_report=major[0],
        major_report_hours=hours(major[0]),
        major_report_grades=tuple(sorted(grades)),
    )


@cache
def reporting_clocks() -> ReportingClocks:
    """The clocks of ``data/standards/reporting_time_limits.csv``, loaded once.

    Raises:
        ReportingRuleError: the table is malformed (see :func:`load_reporting_rules`).
    """
    return load_reporting_rules(data_path("standards", "reporting_time_limits.csv"))
