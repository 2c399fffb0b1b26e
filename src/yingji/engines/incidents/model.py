"""Value types shared by the incident grading modules.

Pure module: no Django import. See :mod:`yingji.engines.incidents.grading` for the
functions that produce these values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from yingji.engines.incidents.categories import Category


class GradingInputError(ValueError):
    """An incident fact that cannot be graded (negative, non-integer count, NaN, ...)."""


class RuleTableError(ValueError):
    """A malformed grading rule table (names the file/row and the problem)."""


#: Human labels of the well-known indicators, used in reasons ("serious injuries 10 ≥ 10 → 较大").
INDICATOR_LABELS: dict[str, str] = {
    "deaths": "deaths",
    "serious_injuries": "serious injuries",
    "direct_loss_cny": "direct loss",
    "missing": "missing",
}


def indicator_label(name: str) -> str:
    """Return the reason label of an indicator (``serious_injuries`` -> ``serious injuries``)."""
    return INDICATOR_LABELS.get(name) or name.replace("_", " ")


def format_number(value: float) -> str:
    """Format a count or amount for a reason: integers without ``.0``, others as ``repr``."""
    if type(value) is int:
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)


@dataclass(frozen=True, slots=True)
class Grading:
    """Result of grading one incident.

    Attributes:
        category: the incident category graded.
        grade: 1 (特别重大, Ⅰ) .. 4 (一般, Ⅳ), or ``None`` when the rules give no grade.
        grade_zh: short Chinese level name (特别重大/重大/较大/一般) or ``None``.
        grade_name_zh: full name (``较大事故`` from accident_grading_493.csv for accidents,
            ``Ⅲ级（较大）`` otherwise) or ``None``.
        roman: Ⅰ..Ⅳ or ``None``.
        reasons: human-readable reasons; with a grade, one per criterion that reaches it,
            e.g. ``"deaths 3 ≥ 3 → 较大"``; without a grade, why none was given.
        deciding: names of the deciding criteria (``deaths``, ``serious_injuries``,
            ``direct_loss_cny`` or a rule-table indicator), same order as ``reasons``.
        criterion_grades: every evaluated criterion with its own grade (``None`` if that
            criterion alone gives none), as ``(name, value, grade)``.
        source: the rule set applied (``国务院令第493号 art.3`` or the rule table origin).
    """

    category: Category
    grade: int | None
    grade_zh: str | None
    grade_name_zh: str | None
    roman: str | None
    reasons: tuple[str, ...]
    deciding: tuple[str, ...]
    criterion_grades: tuple[tuple[str, float, int | None], ...]
    source: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready mapping; the CLI contract keys ``grade``, ``grade_zh``, ``reasons`` first."""
        return {
            "grade": self.grade,
            "grade_zh": self.grade_zh,
            "reasons": list(self.reasons),
            "grade_name_zh": self.grade_name_zh,
            "roman": self.roman,
            "category": self.category.value,
            "category_zh": self.category.name_zh,
            "deciding": list(self.deciding),
            "criteria": [{"name": n, "value": v, "grade": g} for n, v, g in self.criterion_grades],
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    """Facts used to grade an incident.

    Attributes:
        category: incident category.
        deaths: persons dead (人); ``None`` = not known, counted as 0.
        serious_injuries: persons seriously injured (人), including acute industrial
            poisoning (急性工业中毒, 国务院令第493号 art.3); ``None`` counted as 0.
        direct_loss_cny: direct economic loss in CNY (元, not 万元); ``None`` counted as 0.
        missing: persons missing (人); ``None`` counted as 0. Not a 493 criterion.
        indicators: further named indicators for county rule tables (e.g.
            ``{"relocated_people": 1200}``), non-negative finite numbers.
    """

    category: Category
    deaths: int | None = None
    serious_injuries: int | None = None
    direct_loss_cny: float | None = None
    missing: int | None = None
    indicators: Mapping[str, float] = field(default_factory=dict, hash=False)

    def values(self) -> dict[str, float]:
        """All indicator values by name, missing counts as 0, after validation.

        Raises:
            GradingInputError: a negative or non-integer count, a negative or non-finite
                amount, or a non-numeric indicator.
        """
        out: dict[str, float] = {}
        for name, value in self.indicators.items():
            out[str(name)] = check_amount(str(name), value)
        out["deaths"] = check_count("deaths", self.deaths)
        out["serious_injuries"] = check_count("serious_injuries", self.serious_injuries)
        out["missing"] = check_count("missing", self.missing)
        out["direct_loss_cny"] = check_amount("direct_loss_cny", self.direct_loss_cny)
        return out


def check_count(name: str, value: object) -> int:
    """Validate a head count: ``None`` -> 0, else a non-negative ``int`` (not bool).

    Raises:
        GradingInputError: negative, non-integer, bool or non-numeric.
    """
    if value is None:
        return 0
    if type(value) is not int:
        if isinstance(value, float) and math.isfinite(value) and value.is_integer() and value >= 0:
            return int(value)
        raise GradingInputError(f"{name} must be a non-negative integer, got {value!r}")
    if value < 0:
        raise GradingInputError(f"{name} must be a non-negative integer, got {value!r}")
    return value


def check_amount(name: str, value: object) -> float:
    """Validate an amount (CNY or other unit): ``None`` -> 0, else finite and >= 0.

    Raises:
        GradingInputError: negative, NaN, infinite, bool or non-numeric.
    """
    if value is None:
        return 0
    if type(value) is int:
        if value < 0:
            raise GradingInputError(f"{name} must be a non-negative number, got {value!r}")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise GradingInputError(f"{name} must be a non-negative number, got {value!r}")
    fvalue = float(value)
    if not math.isfinite(fvalue) or fvalue < 0:
        raise GradingInputError(f"{name} must be a finite non-negative number, got {value!r}")
    return fvalue
