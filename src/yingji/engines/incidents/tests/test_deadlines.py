"""Report deadlines from data/standards/reporting_time_limits.csv.

Oracles: 国务院令第493号 art.9 (1 h), art.10-11 (per-level escalation, 2 h each, target by
grade), art.13 (30 days, 7 for road traffic and fire); 自然灾害情况统计调查制度 and older
texts (初报 2 h, daily zero report by 09:00); 2006 overall plan 3.2.1 (4 h) - rows of the CSV.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from yingji.engines.incidents import (
    Category,
    DeadlineInputError,
    DeadlineStatus,
    IncidentClock,
    ReportingRuleError,
    ReportKind,
    ReportMade,
    compute_deadlines,
    load_reporting_rules,
)
from yingji.engines.incidents.deadlines import CHINA_TZ
from yingji.engines.refdata import data_path

T0 = datetime(2024, 7, 1, 10, 0, tzinfo=CHINA_TZ)
H = timedelta(hours=1)


def _by_key(deadlines):  # type: ignore[no-untyped-def]
    return {d.key: d for d in deadlines}


@pytest.mark.parametrize(("grade", "levels"), [(4, 1), (3, 2), (2, 3), (1, 3)])
def test_accident_escalation_one_deadline_per_level(grade: int, levels: int) -> None:
    ds = compute_deadlines(IncidentClock(Category.ACCIDENT, T0, grade=grade), now=T0)
    esc = [d for d in ds if d.rule_id == "accident.escalation"]
    assert [d.level for d in esc] == list(range(1, levels + 1))
    # not yet reported: level 1 runs from the 1 h unit-report deadline, each next level +2 h
    assert [d.due_at for d in esc] == [T0 + H + 2 * H * k for k in range(1, levels + 1)]
    assert all(d.status is DeadlineStatus.PENDING for d in ds)


def test_accident_unit_report_and_chain_from_actual_reports() -> None:
    inc = IncidentClock(
        Category.ACCIDENT,
        T0,
        grade=3,
        reported_at=T0 + timedelta(minutes=30),
        reports=(
            ReportMade(ReportKind.ESCALATION, T0 + timedelta(minutes=90), 1),
            ReportMade(ReportKind.ESCALATION, T0 + timedelta(hours=5), 2),
        ),
    )
    ds = _by_key(compute_deadlines(inc, now=T0 + 6 * H))
    unit = ds["accident.unit_report"]
    assert (unit.due_at, unit.met_at, unit.status) == (T0 + H, T0 + timedelta(minutes=30), DeadlineStatus.MET)
    l1, l2 = ds["accident.escalation.1"], ds["accident.escalation.2"]
    assert l1.due_at == T0 + timedelta(minutes=150) and l1.status is DeadlineStatus.MET
    # level 2 counts from level 1's actual report (T0+1.5 h) -> due T0+3.5 h; made at T0+5 h: late
    assert l2.due_at == T0 + timedelta(minutes=210)
    assert (l2.met_at, l2.status) == (T0 + 5 * H, DeadlineStatus.MISSED)


def test_unit_report_missed_when_late_or_absent() -> None:
    ds = _by_key(compute_deadlines(IncidentClock(Category.ACCIDENT, T0, grade=4), now=T0 + 2 * H))
    assert ds["accident.unit_report"].status is DeadlineStatus.MISSED
    late = IncidentClock(Category.ACCIDENT, T0, grade=4, reported_at=T0 + 2 * H)
    assert (
        _by_key(compute_deadlines(late, now=T0 + 2 * H))["accident.unit_report"].status
        is DeadlineStatus.MISSED
    )


@pytest.mark.parametrize(
    ("subtype", "days"),
    [(None, 30), ("mine", 30), ("road_traffic", 7), ("道路交通", 7), ("fire", 7), ("火灾事故", 7)],
)
def test_supplementary_window(subtype: str | None, days: int) -> None:
    ds = _by_key(compute_deadlines(IncidentClock(Category.ACCIDENT, T0, grade=4, subtype=subtype), now=T0))
    supp = ds["accident.supplementary"]
    assert supp.due_at == T0 + timedelta(days=days)
    assert supp.status is DeadlineStatus.PENDING


def test_supplementary_status_follows_casualty_changes() -> None:
    change = T0 + timedelta(days=2)
    base = IncidentClock(Category.ACCIDENT, T0, grade=4, subtype="fire", casualty_changed_at=(change,))
    after = T0 + timedelta(days=8)
    assert (
        _by_key(compute_deadlines(base, now=after))["accident.supplementary"].status is DeadlineStatus.MISSED
    )
    done = IncidentClock(
        Category.ACCIDENT,
        T0,
        grade=4,
        subtype="fire",
        casualty_changed_at=(change,),
        reports=(ReportMade(ReportKind.SUPPLEMENTARY, change + H),),
    )
    supp = _by_key(compute_deadlines(done, now=after))["accident.supplementary"]
    assert (supp.status, supp.met_at) == (DeadlineStatus.MET, change + H)
    quiet = IncidentClock(Category.ACCIDENT, T0, grade=4)
    assert _by_key(compute_deadlines(quiet, now=T0 + timedelta(days=31)))[
        "accident.supplementary"
    ].status is (DeadlineStatus.MET)


def test_natural_disaster_initial_and_daily_zero_reports() -> None:
    occurred = datetime(2024, 7, 1, 15, 30, tzinfo=CHINA_TZ)
    now = datetime(2024, 7, 3, 10, 0, tzinfo=CHINA_TZ)
    inc = IncidentClock(
        Category.NATURAL_DISASTER,
        occurred,
        grade=4,
        reports=(
            ReportMade(ReportKind.INITIAL, occurred + H),
            ReportMade(ReportKind.DAILY, datetime(2024, 7, 2, 8, 30, tzinfo=CHINA_TZ)),
        ),
    )
    ds = compute_deadlines(inc, now=now)
    keys = [d.key for d in ds]
    assert keys == [
        "natural_disaster.initial",
        "natural_disaster.daily.2024-07-02",
        "natural_disaster.daily.2024-07-03",
        "natural_disaster.daily.2024-07-04",
    ]
    by = _by_key(ds)
    assert by["natural_disaster.initial"].due_at == occurred + 2 * H
    assert by["natural_disaster.initial"].status is DeadlineStatus.MET
    assert by["natural_disaster.daily.2024-07-02"].due_at == datetime(2024, 7, 2, 9, tzinfo=CHINA_TZ)
    assert by["natural_disaster.daily.2024-07-02"].status is DeadlineStatus.MET
    assert by["natural_disaster.daily.2024-07-03"].status is DeadlineStatus.MISSED
    assert by["natural_disaster.daily.2024-07-04"].status is DeadlineStatus.PENDING


def test_daily_reports_stop_after_stabilization() -> None:
    occurred = datetime(2024, 7, 1, 15, 30, tzinfo=CHINA_TZ)
    inc = IncidentClock(
        Category.NATURAL_DISASTER, occurred, stabilized_at=datetime(2024, 7, 3, 12, tzinfo=CHINA_TZ)
    )
    ds = compute_deadlines(inc, now=datetime(2024, 8, 1, tzinfo=CHINA_TZ))
    daily = [d.key for d in ds if d.rule_id == "natural_disaster.daily"]
    # reports for 7-01, 7-02 and 7-03 (the day it stabilized)
    assert daily == [f"natural_disaster.daily.2024-07-0{d}" for d in (2, 3, 4)]


def test_daily_hours_are_beijing_time_whatever_input_zone() -> None:
    occurred = datetime(2024, 7, 1, 20, 0, tzinfo=UTC)  # = 2024-07-02 04:00 +08:00
    ds = compute_deadlines(IncidentClock(Category.NATURAL_DISASTER, occurred), now=occurred)
    daily = [d for d in ds if d.rule_id == "natural_disaster.daily"]
    assert [d.due_at for d in daily] == [datetime(2024, 7, 3, 9, tzinfo=CHINA_TZ)]


def test_drought_updates_every_ten_days() -> None:
    inc = IncidentClock(Category.NATURAL_DISASTER, T0, subtype="drought")
    ds = compute_deadlines(inc, now=T0 + timedelta(days=25))
    upd = [d for d in ds if d.rule_id == "natural_disaster.drought_update"]
    assert [d.due_at for d in upd] == [T0 + timedelta(days=10 * k) for k in (1, 2, 3)]
    assert not any(d.rule_id == "natural_disaster.daily" for d in ds)


def test_severe_disaster_bypass_and_major_report() -> None:
    ds = _by_key(
        compute_deadlines(IncidentClock(Category.NATURAL_DISASTER, T0, grade=2, severe=True), now=T0)
    )
    assert ds["natural_disaster.bypass"].due_at == T0 + 2 * H
    assert ds["public_emergency.major_report"].due_at == T0 + 4 * H
    minor = _by_key(compute_deadlines(IncidentClock(Category.PUBLIC_HEALTH, T0, grade=3), now=T0))
    assert minor == {}
    major = _by_key(compute_deadlines(IncidentClock(Category.PUBLIC_HEALTH, T0, grade=1), now=T0))
    assert list(major) == ["public_emergency.major_report"]
    # accidents follow 493, not the 4 h rule of the 2006 plan
    acc = _by_key(compute_deadlines(IncidentClock(Category.ACCIDENT, T0, grade=1), now=T0))
    assert "public_emergency.major_report" not in acc


def test_deadline_fields_and_json() -> None:
    d = compute_deadlines(IncidentClock(Category.ACCIDENT, T0, grade=4), now=T0)[0]
    data = d.to_dict()
    assert set(data) >= {"rule_id", "description_zh", "description_en", "due_at", "met_at", "status"}
    assert datetime.fromisoformat(str(data["due_at"])) == T0 + H
    assert data["met_at"] is None and data["status"] == "pending"
    assert d.due_at.tzinfo is not None


@pytest.mark.parametrize(
    "inc",
    [
        IncidentClock(Category.ACCIDENT, datetime(2024, 7, 1, 10), grade=4),
        IncidentClock(Category.ACCIDENT, T0, grade=7),
        IncidentClock(Category.ACCIDENT, T0, grade=4, reports=(ReportMade(ReportKind.ESCALATION, T0),)),
        IncidentClock(Category.ACCIDENT, T0, grade=4, reported_at=datetime(2024, 7, 1, 11)),
    ],
)
def test_bad_input(inc: IncidentClock) -> None:
    with pytest.raises(DeadlineInputError):
        compute_deadlines(inc, now=T0)


def test_naive_now_rejected() -> None:
    with pytest.raises(DeadlineInputError):
        compute_deadlines(IncidentClock(Category.ACCIDENT, T0, grade=4), now=datetime(2024, 7, 1))


def test_other_offsets_compare_correctly() -> None:
    utc_report = (T0 + timedelta(minutes=59)).astimezone(timezone(timedelta(hours=-5)))
    inc = IncidentClock(Category.ACCIDENT, T0, grade=4, reported_at=utc_report)
    assert _by_key(compute_deadlines(inc, now=T0))["accident.unit_report"].status is DeadlineStatus.MET


# --- rules as data ---------------------------------------------------------------------------


def test_clocks_parsed_from_csv() -> None:
    c = load_reporting_rules(data_path("standards", "reporting_time_limits.csv"))
    assert (c.unit_report_hours, c.escalation_hours) == (1, 2)
    assert (c.supplementary_days, c.supplementary_short_days) == (30, 7)
    assert c.supplementary_short_subtypes == ("道路交通事故", "火灾事故")
    assert (c.disaster_initial_hours, c.daily_report_hour, c.drought_every_days) == (2, 9, 10)
    assert (c.major_report_hours, c.major_report_grades) == (4, (1, 2))
    assert len(c.rules) == 20  # every row of the file is read


def _copy_with(tmp_path: Path, old: str, new: str) -> Path:
    text = data_path("standards", "reporting_time_limits.csv").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "limits.csv"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        ("1小时内,1,", "1小时内,one,", "not a number"),
        ("1小时内,1,", "1小时内,3,", "disagrees"),
        ("1小时内,1,", "1小时内,-1,", "> 0"),
        ("每级不超过2小时,2,", "每级不超过2小时,,", "limit_hours is required"),
        ("production_accident,单位报告", "production_accident,单位报告X", "单位报告 is missing"),
        ("为7日内", "为七日内", "short window"),
        ("每日9时前", "每日九时前", "每日N时前"),
        ("每10日", "每十日", "每N日"),
        ("(特别重大/重大)", "(特别重大/严重)", "unknown grade name"),
    ],
)
def test_malformed_rules_are_reported(tmp_path: Path, old: str, new: str, match: str) -> None:
    with pytest.raises(ReportingRuleError, match=match):
        load_reporting_rules(_copy_with(tmp_path, old, new))


def test_changed_hours_flow_through(tmp_path: Path) -> None:
    clocks = load_reporting_rules(_copy_with(tmp_path, "每级不超过2小时,2,", "每级不超过3小时,3,"))
    ds = compute_deadlines(IncidentClock(Category.ACCIDENT, T0, grade=4), now=T0, clocks=clocks)
    assert _by_key(ds)["accident.escalation.1"].due_at == T0 + 4 * H
