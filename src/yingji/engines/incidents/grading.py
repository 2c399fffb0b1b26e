"""Incident grading (事件分级): grade 1 (特别重大, Ⅰ) .. 4 (一般, Ⅳ).

* Production-safety accidents (category ``accident``): 生产安全事故报告和调查处理条例
  (国务院令第493号, 2007) art.3, thresholds from ``data/standards/accident_grading_493.csv``.
  The grade is the most severe of the grades given separately by deaths, serious injuries
  (重伤, including acute industrial poisoning 急性工业中毒) and direct economic loss (CNY):
  the article joins them with 或者. Art.3 last paragraph: 以上包括本数, 所称的以下不包括本数,
  so each band is ``[min, max)``.
* Natural disasters, public-health and social-security events: a county-editable rule
  table (:mod:`.rule_table`).

Thresholds are read once (``functools.cache``) and kept as tuples; a grading reads no file.
Pure module: no Django import.
"""

from __future__ import annotations

import csv
import itertools
import math
import numbers
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from yingji.engines.incidents.categories import Category, parse_category
from yingji.engines.incidents.model import (
    Grading,
    GradingInputError,
    IncidentFacts,
    RuleTableError,
    format_number,
)
from yingji.engines.incidents.rule_table import RuleTable, default_rule_table
from yingji.engines.refdata import data_path

SOURCE_493 = "国务院令第493号 art.3 (accident_grading_493.csv)"
_CRITERIA = ("deaths", "serious_injuries", "direct_loss_cny")


@dataclass(frozen=True, slots=True)
class AccidentBand:
    """One row of ``accident_grading_493.csv``: the bands ``[min, max)`` of one grade.

    ``*_max_exclusive`` is ``None`` for grade 1 (no upper bound). ``escalation_levels`` is
    how many levels above the county the report goes (art.10): 1 = 设区的市级,
    2 = 省级, 3 = 国务院安全生产监督管理部门.
    """

    grade: int
    grade_zh: str
    grade_name_zh: str
    deaths_min: int
    deaths_max_exclusive: int | None
    serious_injuries_min: int
    serious_injuries_max_exclusive: int | None
    direct_loss_cny_min: int
    direct_loss_cny_max_exclusive: int | None
    investigated_by: str
    report_escalated_to: str
    escalation_levels: int


@dataclass(frozen=True, slots=True)
class AccidentTable:
    """The four 493 bands, most severe first, plus per-criterion lower bounds of grades 1..3."""

    bands: tuple[AccidentBand, ...]
    # per criterion: (min of grade 1, min of grade 2, min of grade 3); grade 4 below the last
    mins: tuple[tuple[int, int, int], tuple[int, int, int], tuple[int, int, int]]
    # reason_tails[grade - 1][criterion]: " ≥ 3 → 较大" (grades 1..3) or " < 3 → 一般" (grade 4)
    reason_tails: tuple[tuple[str, str, str], ...]

    def band(self, grade: int) -> AccidentBand:
        """Return the band of ``grade`` (1..4). Raises ``KeyError`` for another value."""
        if type(grade) is not int or not 1 <= grade <= 4:
            raise KeyError(grade)
        return self.bands[grade - 1]


def _int_cell(row: dict[str, str], key: str, where: str) -> int | None:
    text = (row.get(key) or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise RuleTableError(f"{where}: {key} {text!r} is not a non-negative integer")
    return int(text)


def _escalation_levels(target: str, where: str) -> int:
    # art.10: 一般 -> 设区的市级, 较大 -> 省级, 重大/特别重大 -> 国务院安全生产监督管理部门
    if "国务院" in target:
        return 3
    if "省级" in target:
        return 2
    if "设区的市" in target:
        return 1
    raise RuleTableError(f"{where}: report_escalated_to {target!r} names no known level")


@cache
def accident_table() -> AccidentTable:
    """Load and check ``accident_grading_493.csv`` once.

    Source: 国务院令第493号 art.3 (thresholds), art.10 (escalation target per grade).

    Raises:
        RuleTableError: a grade missing or repeated, a non-integer bound, or bands that do
            not tile ``[0, inf)`` (each grade's max must equal the next grade's min).
        FileNotFoundError: the table is missing.
    """
    path = data_path("standards", "accident_grading_493.csv")
    bands: dict[int, AccidentBand] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            where = f"{path.name}:{reader.line_num}"
            grade = _int_cell(row, "grade", where)
            if grade is None or not 1 <= grade <= 4 or grade in bands:
                raise RuleTableError(f"{where}: grade must be a distinct value 1..4")
            mins = [_int_cell(row, f"{c}_min", where) for c in _CRITERIA]
            maxs = [_int_cell(row, f"{c}_max_exclusive", where) for c in _CRITERIA]
            if any(m is None for m in mins):
                raise RuleTableError(f"{where}: every *_min is required")
            full = row["grade_zh"].strip()
            target = row["report_escalated_to"].strip()
            bands[grade] = AccidentBand(
                grade=grade,
                grade_zh=full.removesuffix("事故"),
                grade_name_zh=full,
                deaths_min=mins[0] or 0,
                deaths_max_exclusive=maxs[0],
                serious_injuries_min=mins[1] or 0,
                serious_injuries_max_exclusive=maxs[1],
                direct_loss_cny_min=mins[2] or 0,
                direct_loss_cny_max_exclusive=maxs[2],
                investigated_by=row["investigated_by"].strip(),
                report_escalated_to=target,
                escalation_levels=_escalation_levels(target, where),
            )
    if sorted(bands) != [1, 2, 3, 4]:
        raise RuleTableError(f"{path.name}: expected grades 1..4, found {sorted(bands)}")
    ordered = tuple(bands[g] for g in (1, 2, 3, 4))
    for c in _CRITERIA:
        if getattr(ordered[0], f"{c}_max_exclusive") is not None or getattr(ordered[3], f"{c}_min") != 0:
            raise RuleTableError(f"{path.name}: {c}: grade 1 must be open-ended and grade 4 start at 0")
        for upper, lower in itertools.pairwise(ordered):
            if getattr(lower, f"{c}_max_exclusive") != getattr(upper, f"{c}_min"):
                raise RuleTableError(
                    f"{path.name}: {c}: grade {lower.grade} max must equal grade {upper.grade} min"
                )
    mins3 = tuple(
        (getattr(ordered[0], f"{c}_min"), getattr(ordered[1], f"{c}_min"), getattr(ordered[2], f"{c}_min"))
        for c in _CRITERIA
    )
    tails = tuple(
        tuple(
            f" < {mins3[i][2]} → {band.grade_zh}"
            if band.grade == 4
            else f" ≥ {mins3[i][band.grade - 1]} → {band.grade_zh}"
            for i in range(3)
        )
        for band in ordered
    )
    return AccidentTable(
        bands=ordered,
        mins=(mins3[0], mins3[1], mins3[2]),
        reason_tails=tuple((t[0], t[1], t[2]) for t in tails),
    )


def _count(name: str, value: object) -> int:
    if value is None:
        return 0
    if type(value) is int:
        if value >= 0:
            return value
    elif isinstance(value, numbers.Integral) and not isinstance(value, bool):
        if int(value) >= 0:
            return int(value)
    elif isinstance(value, float | Decimal) and math.isfinite(value) and value == int(value) and value >= 0:
        return int(value)
    raise GradingInputError(f"{name} must be a non-negative integer, got {value!r}")


def _amount(value: object) -> float:
    if value is None:
        return 0
    if type(value) is int:
        if value >= 0:
            return value
    elif type(value) is float:
        if 0 <= value < math.inf:  # NaN fails
            return value
    elif isinstance(value, numbers.Real | Decimal) and not isinstance(value, bool):
        fvalue = float(value)
        if math.isfinite(fvalue) and fvalue >= 0:
            return int(fvalue) if fvalue.is_integer() else fvalue
    raise GradingInputError(f"direct_loss_cny must be a finite non-negative number (CNY), got {value!r}")


def grade_accident(
    deaths: int | None = 0, serious_injuries: int | None = 0, direct_loss_cny: float | None = 0
) -> Grading:
    """Grade a production-safety accident per 国务院令第493号 art.3.

    Args:
        deaths: persons dead (人); ``None`` counts as 0.
        serious_injuries: persons seriously injured, acute industrial poisoning included (人);
            ``None`` counts as 0.
        direct_loss_cny: direct economic loss in CNY (元); ``None`` counts as 0.

    Returns:
        :class:`Grading` with grade 1..4 (the most severe of the three criteria), ``grade_zh``
        特别重大/重大/较大/一般, ``grade_name_zh`` from the csv (``较大事故``), and one reason
        per criterion reaching the final grade, e.g. ``"deaths 3 ≥ 3 → 较大"``; for 一般 the
        reasons read ``"deaths 2 < 3 → 一般"``.

    Raises:
        GradingInputError: a negative, non-integer, bool or non-numeric count; a negative,
            NaN or infinite loss.

    Source: 国务院令第493号 art.3 (以上包括本数, 以下不包括本数), table accident_grading_493.csv.
    """
    table = accident_table()
    d = _count("deaths", deaths)
    s = _count("serious_injuries", serious_injuries)
    loss = _amount(direct_loss_cny)
    m = table.mins
    gd = 1 if d >= m[0][0] else 2 if d >= m[0][1] else 3 if d >= m[0][2] else 4
    gs = 1 if s >= m[1][0] else 2 if s >= m[1][1] else 3 if s >= m[1][2] else 4
    gl = 1 if loss >= m[2][0] else 2 if loss >= m[2][1] else 3 if loss >= m[2][2] else 4
    best = min(gd, gs, gl)
    tails = table.reason_tails[best - 1]
    reasons: list[str] = []
    deciding: list[str] = []
    if gd == best:
        reasons.append(f"deaths {d}{tails[0]}")
        deciding.append("deaths")
    if gs == best:
        reasons.append(f"serious injuries {s}{tails[1]}")
        deciding.append("serious_injuries")
    if gl == best:
        reasons.append(f"direct loss {loss if type(loss) is int else format_number(loss)}{tails[2]}")
        deciding.append("direct_loss_cny")
    band = table.bands[best - 1]
    return Grading(
        Category.ACCIDENT,
        best,
        band.grade_zh,
        band.grade_name_zh,
        _ROMAN[best],
        tuple(reasons),
        tuple(deciding),
        (("deaths", d, gd), ("serious_injuries", s, gs), ("direct_loss_cny", loss, gl)),
        SOURCE_493,
    )


_ROMAN = {1: "Ⅰ", 2: "Ⅱ", 3: "Ⅲ", 4: "Ⅳ"}


def grade_incident(facts: IncidentFacts, rules: RuleTable | None = None) -> Grading:
    """Grade any incident.

    Accidents go to :func:`grade_accident` (国务院令第493号 art.3; ``rules`` ignored);
    other categories to ``rules`` (default :func:`~.rule_table.default_rule_table`, which
    returns grade ``None`` with the reason that the sources give no thresholds).

    Raises:
        GradingInputError: invalid facts (see :meth:`IncidentFacts.values`).
        RuleTableError: the default rule table is malformed.
    """
    category = parse_category(facts.category)
    if category is Category.ACCIDENT:
        return grade_accident(facts.deaths, facts.serious_injuries, facts.direct_loss_cny)
    values = facts.values()
    return (rules or default_rule_table()).grade(category, values)


@dataclass(frozen=True, slots=True)
class GradeChange:
    """A grade-change log record (事件分级变更).

    Attributes:
        old_grade, new_grade: 1..4 or ``None`` (``old_grade`` ``None`` = first grading).
        old_grade_zh, new_grade_zh: short names or ``None``.
        changed: whether the grade differs.
        direction: ``initial`` (no previous grade), ``upgrade`` (more severe, smaller number),
            ``downgrade``, ``cleared`` (grade lost), ``unchanged``.
        reasons: the new grading's reasons (why the new grade).
        old_reasons: the previous grading's reasons (empty when none).
        summary: one line, e.g. ``"一般 → 较大 (upgrade): deaths 3 ≥ 3 → 较大"``.
    """

    old_grade: int | None
    new_grade: int | None
    old_grade_zh: str | None
    new_grade_zh: str | None
    changed: bool
    direction: str
    reasons: tuple[str, ...]
    old_reasons: tuple[str, ...]
    summary: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready mapping of the record."""
        return {
            "old_grade": self.old_grade,
            "new_grade": self.new_grade,
            "old_grade_zh": self.old_grade_zh,
            "new_grade_zh": self.new_grade_zh,
            "changed": self.changed,
            "direction": self.direction,
            "reasons": list(self.reasons),
            "old_reasons": list(self.old_reasons),
            "summary": self.summary,
        }


def compare_gradings(old: Grading | None, new: Grading) -> GradeChange:
    """Compare a previous grading with a new one and return the change record.

    Args:
        old: the grading in force before (``None`` when the incident had none).
        new: the new grading.

    Returns:
        :class:`GradeChange`; ``changed`` is ``False`` when both grades are equal (the log
        writer may skip it).
    """
    old_grade = old.grade if old else None
    new_grade = new.grade
    if old_grade == new_grade:
        direction = "unchanged"
    elif old_grade is None:
        direction = "initial"
    elif new_grade is None:
        direction = "cleared"
    else:
        direction = "upgrade" if new_grade < old_grade else "downgrade"
    old_zh = old.grade_zh if old else None
    summary = f"{old_zh or '未定级'} → {new.grade_zh or '未定级'} ({direction}): " + "; ".join(new.reasons)
    return GradeChange(
        old_grade=old_grade,
        new_grade=new_grade,
        old_grade_zh=old_zh,
        new_grade_zh=new.grade_zh,
        changed=old_grade != new_grade,
        direction=direction,
        reasons=new.reasons,
        old_reasons=old.reasons if old else (),
        summary=summary,
    )


def escalation_levels(grade: int) -> int:
    """Levels above the county an accident of ``grade`` is reported to (493 art.10).

    1 = 设区的市级 (一般), 2 = 省级 (较大), 3 = 国务院安全生产监督管理部门 (重大, 特别重大),
    parsed from ``report_escalated_to`` of accident_grading_493.csv.

    Raises:
        GradingInputError: ``grade`` is not 1..4.
    """
    try:
        return accident_table().band(grade).escalation_levels
    except KeyError:
        raise GradingInputError(f"grade must be 1..4, got {grade!r}") from None
