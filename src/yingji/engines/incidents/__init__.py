"""Incident engine: grading (事件分级) and report deadlines (信息报告时限).

* :mod:`.grading` - 国务院令第493号 art.3 accident grading; county rule tables for the other
  categories (:mod:`.rule_table`); grade-change records.
* :mod:`.deadlines` - report clocks from data/standards/reporting_time_limits.csv
  (:mod:`.reporting_rules`).
* :mod:`.cli` - ``yingji incident grade|deadlines``.

Pure package: no Django import.
"""

from yingji.engines.incidents.categories import Category, CategoryError, parse_category
from yingji.engines.incidents.deadlines import (
    Deadline,
    DeadlineInputError,
    DeadlineStatus,
    IncidentClock,
    ReportKind,
    ReportMade,
    compute_deadlines,
)
from yingji.engines.incidents.grading import (
    GradeChange,
    compare_gradings,
    escalation_levels,
    grade_accident,
    grade_incident,
)
from yingji.engines.incidents.model import Grading, GradingInputError, IncidentFacts, RuleTableError
from yingji.engines.incidents.reporting_rules import ReportingRuleError, load_reporting_rules
from yingji.engines.incidents.rule_table import GradingRule, RuleTable, default_rule_table, load_rule_table

__all__ = [
    "Category",
    "CategoryError",
    "Deadline",
    "DeadlineInputError",
    "DeadlineStatus",
    "GradeChange",
    "Grading",
    "GradingInputError",
    "GradingRule",
    "IncidentClock",
    "IncidentFacts",
    "ReportKind",
    "ReportMade",
    "ReportingRuleError",
    "RuleTable",
    "RuleTableError",
    "compare_gradings",
    "compute_deadlines",
    "default_rule_table",
    "escalation_levels",
    "grade_accident",
    "grade_incident",
    "load_reporting_rules",
    "load_rule_table",
    "parse_category",
]
