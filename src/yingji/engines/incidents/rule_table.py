"""County-editable grading rule tables for natural disasters, public-health and
social-security events.

Production-safety accidents are graded by 国务院令第493号 (see :mod:`.grading`) and can
not be edited here. For the three other categories of 突发事件应对法 art.3 the national
thresholds live in special plans (专项应急预案) that the reference data does not hold, so
the rules are data a county maintains.

Format (CSV, UTF-8, header required; ``#`` in the first column starts a comment row)::

    category,grade,indicator,op,threshold,source_keys,note
    natural_disaster,2,deaths,>=,10,XJ_PLAN,"自治区自然灾害救助预案 (example)"
    social_security,,,,,EMG_LAW,"no thresholds in the sources"

* ``category``: ``natural_disaster`` | ``public_health`` | ``social_security`` (or the
  Chinese names). ``accident`` is refused (national rule, not editable).
* ``grade``: 1..4 (1 = 特别重大). Empty = a *declaration row*: the category has no
  thresholds; its ``note`` is the reason given with grade ``null``.
* ``indicator``: a fact name (``deaths``, ``serious_injuries``, ``missing``,
  ``direct_loss_cny`` in CNY, or any name passed in ``IncidentFacts.indicators``).
  Missing facts count as 0.
* ``op``: ``>=`` (also ``≥``, ``以上``: 以上包括本数) or ``>`` (also ``超过``).
* ``threshold``: finite number >= 0.

Semantics: rules are ORed; the grade is the most severe grade (smallest number) any rule
reaches; the reasons list every rule reaching that grade. With rules but none matching the
grade is ``null`` ("below every threshold").

The default table (``grading_rules_default.csv`` beside this module, or
``<data>/standards/incident_grading_rules.csv`` when a county provides one) holds only what
``event_classification.csv`` and ``emergency_levels.csv`` say: the four levels exist, no
numeric thresholds, so every category returns grade ``null`` with the reason why.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from yingji.engines.incidents.categories import Category, CategoryError, parse_category, severity_levels
from yingji.engines.incidents.model import Grading, RuleTableError, format_number, indicator_label
from yingji.engines.refdata import data_dir

_OPS = {">=": ">=", "≥": ">=", "以上": ">=", ">": ">", "超过": ">"}
_OP_SYMBOL = {">=": "≥", ">": ">"}
_INDICATOR_RE = re.compile(r"^[a-z][a-z0-9_]*$")
DEFAULT_RULES_FILE = Path(__file__).with_name("grading_rules_default.csv")
COUNTY_RULES_NAME = "incident_grading_rules.csv"


@dataclass(frozen=True, slots=True)
class GradingRule:
    """One row of a rule table.

    Attributes:
        category: category the rule grades (never ``accident``).
        grade: 1..4, or ``None`` for a declaration row (no thresholds; ``note`` is the reason).
        indicator: fact name compared, ``None`` on a declaration row.
        op: ``">="`` (以上, inclusive) or ``">"``.
        threshold: bound in the indicator's unit (persons, CNY, ...), ``None`` on a declaration row.
        source_keys: keys of SOURCES.md backing the rule.
        note: free text; the reason on a declaration row.
    """

    category: Category
    grade: int | None
    indicator: str | None = None
    op: str = ">="
    threshold: float | None = None
    source_keys: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class _Compiled:
    # (grade, indicator, is_ge, threshold, zh) sorted most severe first
    checks: tuple[tuple[int, str, bool, float, str], ...]
    declarations: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class RuleTable:
    """A validated, compiled rule table. Build with :meth:`from_rules` or :func:`load_rule_table`."""

    rules: tuple[GradingRule, ...]
    origin: str = "(in memory)"
    _compiled: Mapping[Category, _Compiled] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    @classmethod
    def from_rules(cls, rules: Iterable[GradingRule], origin: str = "(in memory)") -> RuleTable:
        """Validate and compile rules (thresholds precomputed per category).

        Raises:
            RuleTableError: accident rules, grade outside 1..4, bad op/indicator/threshold,
                or thresholds not increasing with severity for one indicator and op.
        """
        rules = tuple(rules)
        for i, rule in enumerate(rules, 1):
            _validate_rule(rule, f"{origin}: rule {i}")
        table = cls(rules=rules, origin=origin)
        object.__setattr__(table, "_compiled", _compile(rules, origin))
        return table

    def grade(self, category: Category, values: Mapping[str, float]) -> Grading:
        """Grade one incident of ``category`` from indicator ``values`` (already validated).

        Returns a :class:`Grading`; grade ``None`` with a reason when the table has no
        thresholds for the category or no rule matches.

        Raises:
            RuleTableError: ``category`` is ``accident`` (use 国务院令第493号 grading).
        """
        if category is Category.ACCIDENT:
            raise RuleTableError("accidents are graded by 国务院令第493号, not by a rule table")
        comp = self._compiled.get(category)
        if comp is None or not comp.checks:
            reasons = comp.declarations if comp and comp.declarations else ()
            if not reasons:
                reasons = (
                    f"no grading thresholds for {category.value} ({category.name_zh}) in {self.origin}",
                )
            return Grading(category, None, None, None, None, reasons, (), (), self.origin)
        best = 5
        per_indicator: dict[str, int | None] = {}
        for grade, name, is_ge, threshold, _zh in comp.checks:
            v = values.get(name, 0)
            hit = v >= threshold if is_ge else v > threshold
            if name not in per_indicator:
                per_indicator[name] = None
            if hit and per_indicator[name] is None:
                per_indicator[name] = grade  # checks run most severe first
            if hit and grade < best:
                best = grade
        crit = tuple((n, values.get(n, 0), g) for n, g in per_indicator.items())
        if best == 5:
            bounds = "; ".join(
                f"{indicator_label(n)} {format_number(values.get(n, 0))} "
                f"{'<' if ge else '≤'} {format_number(t)} (→ {zh})"
                for g, n, ge, t, zh in comp.checks
                if g == max(c[0] for c in comp.checks)
            )
            reason = f"below every threshold of {self.origin} for {category.value}: {bounds}"
            return Grading(category, None, None, None, None, (reason,), (), crit, comp.source)
        hits: list[str] = []
        deciding: list[str] = []
        for grade, name, is_ge, threshold, zh in comp.checks:
            if grade != best:
                continue
            v = values.get(name, 0)
            if v >= threshold if is_ge else v > threshold:
                sym = "≥" if is_ge else ">"
                hits.append(
                    f"{indicator_label(name)} {format_number(v)} {sym} {format_number(threshold)} → {zh}"
                )
                deciding.append(name)
        level = severity_levels()[best]
        return Grading(
            category,
            best,
            level.severity_zh,
            f"{level.roman}级（{level.severity_zh}）",
            level.roman,
            tuple(hits),
            tuple(deciding),
            crit,
            comp.source,
        )


def _validate_rule(rule: GradingRule, where: str) -> None:
    if rule.category is Category.ACCIDENT:
        raise RuleTableError(f"{where}: accidents are graded by 国务院令第493号 and can not be edited")
    if rule.grade is None:
        if rule.indicator or rule.threshold is not None:
            raise RuleTableError(f"{where}: a row without grade must not have indicator/threshold")
        return
    if type(rule.grade) is not int or not 1 <= rule.grade <= 4:
        raise RuleTableError(f"{where}: grade must be 1..4, got {rule.grade!r}")
    if not rule.indicator or not _INDICATOR_RE.match(rule.indicator):
        raise RuleTableError(f"{where}: indicator must match [a-z][a-z0-9_]*, got {rule.indicator!r}")
    if rule.op not in (">=", ">"):
        raise RuleTableError(f"{where}: op must be '>=' or '>', got {rule.op!r}")
    t = rule.threshold
    if isinstance(t, bool) or not isinstance(t, int | float) or not math.isfinite(t) or t < 0:
        raise RuleTableError(f"{where}: threshold must be a finite number >= 0, got {t!r}")


def _compile(rules: tuple[GradingRule, ...], origin: str) -> dict[Category, _Compiled]:
    levels = severity_levels()
    out: dict[Category, _Compiled] = {}
    for cat in Category:
        if cat is Category.ACCIDENT:
            continue
        mine = [r for r in rules if r.category is cat]
        if not mine:
            continue
        checks = sorted(
            (r.grade, str(r.indicator), r.op == ">=", float(r.threshold or 0), levels[r.grade].severity_zh)
            for r in mine
            if r.grade is not None
        )
        # Same indicator and op: a more severe grade needs a strictly higher threshold.
        seen: dict[tuple[str, bool], tuple[int, float]] = {}
        for grade, name, is_ge, threshold, _zh in checks:
            prev = seen.get((name, is_ge))
            if prev is not None and prev[0] < grade and prev[1] <= threshold:
                raise RuleTableError(
                    f"{origin}: {cat.value} {name}: grade {prev[0]} threshold {format_number(prev[1])} "
                    f"is not above grade {grade} threshold {format_number(threshold)}"
                )
            seen[(name, is_ge)] = (grade, threshold)
        notes = tuple(
            f"{cat.value} ({cat.name_zh}): {r.note.strip()}"
            if r.note.strip()
            else f"no thresholds for {cat.value}"
            for r in mine
            if r.grade is None
        )
        keys = sorted({k.strip() for r in mine for k in r.source_keys.split(";") if k.strip()})
        source = f"{origin} [{';'.join(keys)}]" if keys else origin
        out[cat] = _Compiled(tuple(checks), notes, source)
    return out


def _parse_number(text: str, where: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise RuleTableError(f"{where}: {what} {text!r} is not a number") from None
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def load_rule_table(path: str | Path) -> RuleTable:
    """Read a rule table CSV (format in the module docstring).

    Args:
        path: CSV file with header ``category,grade,indicator,op,threshold,source_keys,note``.

    Raises:
        RuleTableError: missing columns, unknown category, bad grade/op/threshold, accident rows,
            inconsistent thresholds (the message names the file and line).
        FileNotFoundError: no such file.
    """
    path = Path(path)
    required = {"category", "grade", "indicator", "op", "threshold"}
    rules: list[GradingRule] = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = required - set(reader.fieldnames or ())
        if missing:
            raise RuleTableError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        for row in reader:
            where = f"{path}:{reader.line_num}"
            cat_text = (row.get("category") or "").strip()
            if not cat_text or cat_text.startswith("#"):
                continue
            try:
                category = parse_category(cat_text)
            except CategoryError as exc:
                raise RuleTableError(f"{where}: {exc}") from None
            grade_text = (row.get("grade") or "").strip()
            ind = (row.get("indicator") or "").strip() or None
            op_text = (row.get("op") or "").strip()
            thr_text = (row.get("threshold") or "").strip()
            grade: int | None = None
            if grade_text:
                if not grade_text.isdigit():
                    raise RuleTableError(f"{where}: grade {grade_text!r} is not 1..4")
                grade = int(grade_text)
            op = _OPS.get(op_text, op_text) if op_text else ">="
            if op not in (">=", ">"):
                raise RuleTableError(f"{where}: op {op_text!r} is not one of >=, ≥, 以上, >, 超过")
            threshold = _parse_number(thr_text, where, "threshold") if thr_text else None
            if grade is not None and threshold is None:
                raise RuleTableError(f"{where}: threshold is required when grade is set")
            rule = GradingRule(
                category=category,
                grade=grade,
                indicator=ind,
                op=op,
                threshold=threshold,
                source_keys=(row.get("source_keys") or "").strip(),
                note=(row.get("note") or "").strip(),
            )
            _validate_rule(rule, where)
            rules.append(rule)
    return RuleTable.from_rules(rules, origin=path.name)


@cache
def default_rule_table() -> RuleTable:
    """The rule table used when none is passed, loaded once.

    ``<data>/standards/incident_grading_rules.csv`` if the county provides one (same format),
    else ``grading_rules_default.csv`` shipped with this package, which carries no
    thresholds: event_classification.csv / emergency_levels.csv (突发事件应对法 art.3,
    国家突发公共事件总体应急预案 2006) define levels I..IV but give no numbers.

    Raises:
        RuleTableError: the table is malformed.
    """
    county = data_dir() / "standards" / COUNTY_RULES_NAME
    return load_rule_table(county if county.is_file() else DEFAULT_RULES_FILE)
