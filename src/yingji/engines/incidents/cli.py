"""``yingji incident ...``: grade incidents and list their report deadlines.

Commands::

    yingji incident grade --category accident --deaths N --serious-injuries N \\
        --direct-loss-cny N [--missing N] [--indicator NAME=VALUE ...] [--rules CSV] [--json]
    yingji incident deadlines --category C --occurred-at ISO [--grade N] [--subtype S]
        [--reported-at ISO] [--report KIND[:LEVEL]=ISO ...] [--stabilized-at ISO]
        [--casualty-changed-at ISO ...] [--severe] [--now ISO] [--json]

``grade --json`` prints ``{"grade": 1..4|null, "grade_zh": str|null, "reasons": [str, ...],
...}``; ``deadlines --json`` prints a JSON list of deadline objects. Invalid input exits 2 with
one line on stderr. Naive ISO times are taken as China Standard Time (UTC+8).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from yingji.engines.incidents.categories import Category, CategoryError, parse_category
from yingji.engines.incidents.deadlines import (
    CHINA_TZ,
    DeadlineInputError,
    IncidentClock,
    ReportKind,
    ReportMade,
    compute_deadlines,
    utc_now,
)
from yingji.engines.incidents.grading import grade_incident
from yingji.engines.incidents.model import GradingInputError, IncidentFacts, RuleTableError
from yingji.engines.incidents.reporting_rules import ReportingRuleError
from yingji.engines.incidents.rule_table import RuleTable, load_rule_table

_COUNT_RE = re.compile(r"^\s*\+?\d+\s*$")
_INDICATOR_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def _count(text: str) -> int:
    if not _COUNT_RE.match(text):
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {text!r}")
    return int(text)


def _amount(text: str) -> int | float:
    try:
        value = Decimal(text.strip().replace(",", "").replace("_", ""))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"must be a non-negative number (CNY), got {text!r}") from None
    if not value.is_finite() or value < 0:
        raise argparse.ArgumentTypeError(f"must be a finite non-negative number (CNY), got {text!r}")
    return int(value) if value == value.to_integral_value() else float(value)


def _category(text: str) -> Category:
    try:
        return parse_category(text)
    except CategoryError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _grade(text: str) -> int:
    if not re.match(r"^\s*[1-4]\s*$", text):
        raise argparse.ArgumentTypeError(f"must be 1, 2, 3 or 4, got {text!r}")
    return int(text)


def _when(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an ISO 8601 date-time, got {text!r}") from None
    if not 1900 <= value.year <= 2199:  # deadlines run up to 30 days on: keep clear of datetime's limits
        raise argparse.ArgumentTypeError(f"year must be between 1900 and 2199, got {text!r}")
    return value.replace(tzinfo=CHINA_TZ) if value.tzinfo is None else value


def _indicator(text: str) -> tuple[str, int | float]:
    name, sep, value = text.partition("=")
    if not sep or not _INDICATOR_RE.match(name.strip()):
        raise argparse.ArgumentTypeError(f"must be NAME=VALUE with NAME like relocated_people, got {text!r}")
    return name.strip(), _amount(value)


def _report(text: str) -> ReportMade:
    head, sep, when = text.partition("=")
    kind_text, _, level_text = head.strip().partition(":")
    try:
        kind = ReportKind(kind_text.strip().lower())
    except ValueError:
        kinds = ", ".join(k.value for k in ReportKind)
        raise argparse.ArgumentTypeError(f"report kind {kind_text!r} is not one of {kinds}") from None
    if not sep:
        raise argparse.ArgumentTypeError(f"must be KIND[:LEVEL]=ISO, got {text!r}")
    level: int | None = None
    if level_text:
        if not re.match(r"^[1-3]$", level_text.strip()):
            raise argparse.ArgumentTypeError(f"report level must be 1..3, got {level_text!r}")
        level = int(level_text)
    if kind is ReportKind.ESCALATION and level is None:
        raise argparse.ArgumentTypeError("an escalation report needs a level: escalation:1=ISO")
    return ReportMade(kind, _when(when), level)


def _fail(ns: argparse.Namespace, message: str) -> int:
    sys.stderr.write(f"yingji incident {ns.incident_command}: error: {message}\n")
    return 2


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def _cmd_grade(ns: argparse.Namespace) -> int:
    rules: RuleTable | None = None
    try:
        if ns.rules:
            rules = load_rule_table(ns.rules)
        facts = IncidentFacts(
            category=ns.category,
            deaths=ns.deaths,
            serious_injuries=ns.serious_injuries,
            direct_loss_cny=ns.direct_loss_cny,
            missing=ns.missing,
            indicators=dict(ns.indicator or ()),
        )
        grading = grade_incident(facts, rules)
    except (GradingInputError, RuleTableError, OSError) as exc:
        return _fail(ns, str(exc).replace("\n", " "))
    if ns.json:
        _print_json(grading.to_dict())
    elif grading.grade is None:
        print(f"{grading.category.name_zh}: 未定级 (no grade) - {'; '.join(grading.reasons)}")
    else:
        print(
            f"grade {grading.grade} {grading.grade_zh} ({grading.grade_name_zh}, {grading.roman}): "
            + "; ".join(grading.reasons)
        )
    return 0


def _cmd_deadlines(ns: argparse.Namespace) -> int:
    if ns.category is Category.ACCIDENT and ns.grade is None:
        return _fail(ns, "--grade is required for --category accident")
    incident = IncidentClock(
        category=ns.category,
        occurred_at=ns.occurred_at,
        grade=ns.grade,
        subtype=ns.subtype,
        reported_at=ns.reported_at,
        reports=tuple(ns.report or ()),
        stabilized_at=ns.stabilized_at,
        casualty_changed_at=tuple(ns.casualty_changed_at or ()),
        severe=ns.severe,
    )
    try:
        deadlines = compute_deadlines(incident, now=ns.now or utc_now())
    except (DeadlineInputError, GradingInputError, ReportingRuleError, OSError) as exc:
        return _fail(ns, str(exc).replace("\n", " "))
    if ns.json:
        _print_json([d.to_dict() for d in deadlines])
    else:
        for d in deadlines:
            met = f" met {d.met_at.isoformat()}" if d.met_at else ""
            print(f"{d.due_at.isoformat()}  {d.status.value:<7}  {d.key}{met}  {d.description_zh}")
    return 0


def _cmd_missing(ns: argparse.Namespace) -> int:
    sys.stderr.write("yingji incident: error: a subcommand is required (grade, deadlines)\n")
    return 2


def register(subparsers: Any) -> None:
    """Add the ``incident`` command with ``grade`` and ``deadlines`` sub-commands.

    Args:
        subparsers: the object returned by ``ArgumentParser.add_subparsers`` of the main CLI.
    """
    parser = subparsers.add_parser("incident", help="incident grading (事件分级) and report deadlines")
    sub = parser.add_subparsers(dest="incident_command", metavar="SUBCOMMAND")
    parser.set_defaults(handler=_cmd_missing, incident_command=None)

    g = sub.add_parser("grade", help="grade an incident (国务院令第493号 art.3 for accidents)")
    g.add_argument("--category", required=True, type=_category, help="accident|natural_disaster|...")
    g.add_argument("--deaths", type=_count, default=None, help="persons dead")
    g.add_argument("--serious-injuries", type=_count, default=None, help="serious injuries incl. poisoning")
    g.add_argument("--direct-loss-cny", type=_amount, default=None, help="direct economic loss, CNY (元)")
    g.add_argument("--missing", type=_count, default=None, help="persons missing")
    g.add_argument(
        "--indicator", type=_indicator, action="append", help="NAME=VALUE for rule tables (repeatable)"
    )
    g.add_argument("--rules", default=None, help="rule table CSV for non-accident categories")
    g.add_argument("--json", action="store_true", help="print JSON")
    g.set_defaults(handler=_cmd_grade)

    d = sub.add_parser("deadlines", help="report deadlines (493 art.9-13, disaster statistics system)")
    d.add_argument("--category", required=True, type=_category)
    d.add_argument("--occurred-at", required=True, type=_when, help="ISO 8601; naive = UTC+8")
    d.add_argument("--grade", type=_grade, default=None, help="current grade 1..4")
    d.add_argument("--subtype", default=None, help="road_traffic, fire, drought, ...")
    d.add_argument("--reported-at", type=_when, default=None, help="when the county received the report")
    d.add_argument(
        "--report",
        type=_report,
        action="append",
        help="report made: KIND[:LEVEL]=ISO, KIND in " + ", ".join(k.value for k in ReportKind),
    )
    d.add_argument("--stabilized-at", type=_when, default=None, help="natural disaster stabilized")
    d.add_argument("--casualty-changed-at", type=_when, action="append", help="casualties changed")
    d.add_argument("--severe", action="store_true", help="severe natural disaster (越级初报)")
    d.add_argument("--now", type=_when, default=None, help="evaluate status at this time (default: now)")
    d.add_argument("--json", action="store_true", help="print JSON")
    d.set_defaults(handler=_cmd_deadlines)
