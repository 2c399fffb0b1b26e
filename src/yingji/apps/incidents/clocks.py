"""Adapters between incident records and the pure incidents engine (grading, report clocks).

The engine (``yingji.engines.incidents``) implements 国务院令第493号 grading and the report
time limits of ``reporting_time_limits.csv``; this module only translates rows into its
frozen inputs. How sent reports count as the engine's ``ReportMade`` (decision, see
docs/apps/incidents.md):

* accident: each receiving level ``L`` of a sent report is an ``escalation`` report at level
  ``L``; a sent 续报/终报 is also a casualty-change ``supplementary`` report (493 art.13);
* natural disaster: the first sent report is the ``initial`` (初报), a report sent to level
  ≥ 2 at once also the ``bypass`` (越级); sent 续报 are ``daily`` / ``drought_update`` reports;
* other categories: a report sent to level 3 is the 4 h ``major`` report.

A natural disaster is "severe" (越级初报) when deaths + missing ≥ 10 (the older texts'
trigger, see reporting_time_limits.csv note).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError

from yingji.apps.incidents.models import Incident, IncidentReport, IncidentUpdate, ReportKind
from yingji.engines.incidents import (
    Category,
    Deadline,
    Grading,
    GradingInputError,
    IncidentClock,
    IncidentFacts,
    ReportMade,
    compute_deadlines,
    grade_incident,
)
from yingji.engines.incidents import ReportKind as EngineReportKind

SEVERE_DISASTER_PERSONS = 10


def facts_of(incident: Incident) -> IncidentFacts:
    """The engine's grading input for ``incident`` (counts in persons, loss in CNY)."""
    loss = incident.direct_loss_cny
    return IncidentFacts(
        category=Category(incident.category),
        deaths=int(incident.deaths),
        serious_injuries=int(incident.serious_injuries),
        direct_loss_cny=int(loss) if loss == int(loss) else float(loss),
        missing=int(incident.missing),
    )


def grade_of(incident: Incident) -> Grading:
    """Grade ``incident`` with the engine (493 for accidents, county rule table otherwise).

    Raises:
        ValidationError: the engine refused the facts (negative counts...), per field.
    """
    try:
        return grade_incident(facts_of(incident))
    except GradingInputError as exc:
        raise ValidationError({"__all__": str(exc)}) from exc


def reports_made(incident: Incident, reports: Iterable[IncidentReport]) -> tuple[ReportMade, ...]:
    """Sent reports of ``incident`` as the engine's ``ReportMade`` (see module docstring)."""
    sent = sorted((r for r in reports if r.sent_at is not None), key=lambda r: (r.sent_at, r.pk))
    out: list[ReportMade] = []
    category = incident.category
    first_disaster_report = True
    for report in sent:
        at = report.sent_at
        assert at is not None
        levels = sorted({int(x) for x in report.sent_levels if 1 <= int(x) <= 3})
        if category == Category.ACCIDENT:
            out.extend(ReportMade(EngineReportKind.ESCALATION, at, level) for level in levels)
            if report.kind in (ReportKind.UPDATE, ReportKind.FINAL):
                out.append(ReportMade(EngineReportKind.SUPPLEMENTARY, at))
        elif category == Category.NATURAL_DISASTER:
            if first_disaster_report:
                out.append(ReportMade(EngineReportKind.INITIAL, at))
                if any(level >= 2 for level in levels):
                    out.append(ReportMade(EngineReportKind.BYPASS, at))
                first_disaster_report = False
            else:
                out.append(ReportMade(EngineReportKind.DAILY, at))
                out.append(ReportMade(EngineReportKind.DROUGHT_UPDATE, at))
        elif 3 in levels:
            out.append(ReportMade(EngineReportKind.MAJOR, at))
    return tuple(out)


def clock_of(
    incident: Incident, reports: Iterable[IncidentReport], updates: Iterable[IncidentUpdate]
) -> IncidentClock:
    """The engine's report-clock input for ``incident`` given its reports and 续报 updates."""
    subtype = incident.incident_type.effective_deadline_subtype() or None
    return IncidentClock(
        category=Category(incident.category),
        occurred_at=incident.occurred_at,
        grade=incident.grade,
        subtype=subtype,
        reported_at=incident.reported_at,
        reports=reports_made(incident, reports),
        stabilized_at=incident.stabilized_at,
        casualty_changed_at=tuple(u.received_at for u in updates if u.casualties_changed),
        severe=(incident.deaths + incident.missing) >= SEVERE_DISASTER_PERSONS,
    )


def deadlines_of(incident: Incident, *, now: datetime) -> tuple[Deadline, ...]:
    """The engine's deadlines of ``incident`` at ``now`` (reads its reports and updates)."""
    clock = clock_of(incident, incident.reports.all(), incident.updates.all())
    return compute_deadlines(clock, now=now)
