"""LEC job-hazard evaluation (作业条件危险性评价法, Graham-Kinney): D = L x E x C.

Source: the LEC method as tabulated in Chinese safety-assessment practice (public
documents LEC1 and LEC2 in ``data/standards/SOURCES.md``): L (likelihood) in {10, 6, 3,
1, 0.5, 0.2, 0.1}, E (exposure frequency) in {10, 6, 3, 2, 1, 0.5}, C (consequence) in
{100, 40, 15, 7, 3, 1}; five danger bands of D (> 320, 160-320, 70-160, 20-70, < 20);
four-colour mapping 红/橙/黄/蓝 (bands 4 and 5 both 蓝). Files ``lec.csv`` and
``lec_d_levels.csv``.

Platform grade: 1..4 with 1 the most severe (1 红 重大风险, 2 橙 较大风险, 3 黄 一般风险,
4 蓝 低风险), the same scale as the LS matrix and GB 18218 levels. The original five-band
LEC danger class is returned as ``danger_band`` (1..5) with its ``danger_zh`` text.

Boundary rule (sources disagree; a county setting): ``"upper-inclusive"`` (DEFAULT) reads
each band as ``lower < D <= upper`` as in the data file and the one published example
(D = 20 classed 稍有危险), so D = 70 is band 4 一般危险 (蓝); ``"lower-inclusive"`` reads
bands as ``lower <= D < upper`` (the ">= 70 显著危险" reading of other implementations),
so D = 70 is band 3 显著危险 (黄) and D = 20 is band 4. D = 160 and D = 320 cannot occur
with the tabulated scores, so only D = 20 and D = 70 depend on the rule.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Any

from yingji.engines.refdata import data_path

from ._common import Number, RiskInputError, decimal_text, exact, to_json_number

UPPER_INCLUSIVE = "upper-inclusive"
LOWER_INCLUSIVE = "lower-inclusive"
BOUNDARY_RULES = (UPPER_INCLUSIVE, LOWER_INCLUSIVE)
#: Default boundary rule (see module docstring).
DEFAULT_BOUNDARY_RULE = UPPER_INCLUSIVE

#: Platform grade (1 = most severe) by four-colour level name.
_GRADE_BY_LEVEL = {"重大风险": 1, "较大风险": 2, "一般风险": 3, "低风险": 4}
COLOUR_EN = {"红": "red", "橙": "orange", "黄": "yellow", "蓝": "blue"}


@dataclass(frozen=True)
class LecScore:
    """One allowed factor score from ``lec.csv``."""

    factor: str
    score: Fraction
    description_zh: str
    description_en: str


@dataclass(frozen=True)
class LecBand:
    """One D band of ``lec_d_levels.csv`` (band 1 = 极其危险 ... 5 = 稍有危险)."""

    band: int
    lower: Fraction | None
    upper: Fraction | None
    danger_zh: str
    level_zh: str
    colour: str


@dataclass(frozen=True)
class LecResult:
    """LEC evaluation.

    Attributes:
        L, E, C: the scores used; D: their product (exact).
        grade: platform grade 1..4 (1 = 重大风险/红, most severe).
        colour: 红/橙/黄/蓝; level_zh: 重大风险/较大风险/一般风险/低风险.
        danger_band: original LEC band 1..5; danger_zh: its text.
        boundary_rule: the rule used (``upper-inclusive`` or ``lower-inclusive``).
        descriptions: meaning of each score (zh).
    """

    L: Fraction
    E: Fraction
    C: Fraction
    D: Fraction
    grade: int
    colour: str
    level_zh: str
    danger_band: int
    danger_zh: str
    boundary_rule: str
    descriptions: tuple[str, str, str]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (contract of ``yingji risk lec --json``)."""
        return {
            "D": to_json_number(self.D),
            "grade": self.grade,
            "colour": self.colour,
            "colour_en": COLOUR_EN[self.colour],
            "level_zh": self.level_zh,
            "danger_band": self.danger_band,
            "danger_zh": self.danger_zh,
            "boundary_rule": self.boundary_rule,
            "L": to_json_number(self.L),
            "E": to_json_number(self.E),
            "C": to_json_number(self.C),
            "descriptions": {"L": self.descriptions[0], "E": self.descriptions[1], "C": self.descriptions[2]},
            "explanation": (
                f"D = L×E×C = {decimal_text(self.L)}×{decimal_text(self.E)}×{decimal_text(self.C)} = "
                f"{decimal_text(self.D)} -> {self.danger_zh} ({self.level_zh}, {self.colour}); "
                f"boundary rule {self.boundary_rule}"
            ),
        }


@cache
def lec_scores() -> dict[str, tuple[LecScore, ...]]:
    """Allowed scores per factor ``"L"``, ``"E"``, ``"C"`` from ``lec.csv`` (cached)."""
    out: dict[str, list[LecScore]] = {"L": [], "E": [], "C": []}
    with data_path("standards", "lec.csv").open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            out[rec["factor"]].append(
                LecScore(
                    rec["factor"],
                    exact(rec["score"], "lec.csv score"),
                    rec["description_zh"],
                    rec["description_en"],
                )
            )
    return {k: tuple(v) for k, v in out.items()}


@cache
def lec_bands() -> tuple[LecBand, ...]:
    """D bands from ``lec_d_levels.csv`` ordered from band 1 (most severe) to 5 (cached)."""
    bands = []
    with data_path("standards", "lec_d_levels.csv").open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            lo, hi = rec["d_lower_exclusive"], rec["d_upper_inclusive"]
            bands.append(
                LecBand(
                    band=int(rec["grade"]),
                    lower=exact(lo, "D lower") if lo else None,
                    upper=exact(hi, "D upper") if hi else None,
                    danger_zh=rec["danger_zh"],
                    level_zh=rec["four_color_level_zh"],
                    colour=rec["color_zh"],
                )
            )
    return tuple(sorted(bands, key=lambda b: b.band))


def _score(factor: str, value: Number) -> LecScore:
    v = exact(value, f"LEC {factor}")
    for s in lec_scores()[factor]:
        if s.score == v:
            return s
    allowed = ", ".join(decimal_text(s.score) for s in lec_scores()[factor])
    raise RiskInputError(f"LEC {factor} = {value!r} is not an allowed score (allowed: {allowed})")


def lec_band(d: Number, boundary_rule: str = DEFAULT_BOUNDARY_RULE) -> LecBand:
    """The D band (1..5) of a danger value D >= 0 under a boundary rule.

    Raises:
        RiskInputError: unknown rule, negative or non-numeric D.
    """
    if boundary_rule not in BOUNDARY_RULES:
        raise RiskInputError(
            f"LEC boundary rule {boundary_rule!r}: expected one of {', '.join(BOUNDARY_RULES)}"
        )
    value = exact(d, "LEC D")
    if value < 0:
        raise RiskInputError(f"LEC D must be >= 0, got {d!r}")
    for band in lec_bands():
        if boundary_rule == UPPER_INCLUSIVE:
            ok = (band.lower is None or value > band.lower) and (band.upper is None or value <= band.upper)
        else:
            ok = (band.lower is None or value >= band.lower) and (band.upper is None or value < band.upper)
        if ok:
            return band
    raise RiskInputError(f"LEC D {d!r}: no band")  # pragma: no cover


def evaluate_lec(l: Number, e: Number, c: Number, boundary_rule: str = DEFAULT_BOUNDARY_RULE) -> LecResult:  # noqa: E741
    """Evaluate D = L x E x C and grade it (LEC method, tables ``lec.csv``, ``lec_d_levels.csv``).

    Args:
        l: likelihood score (one of 10, 6, 3, 1, 0.5, 0.2, 0.1), dimensionless.
        e: exposure score (one of 10, 6, 3, 2, 1, 0.5).
        c: consequence score (one of 100, 40, 15, 7, 3, 1).
        boundary_rule: ``"upper-inclusive"`` (default) or ``"lower-inclusive"``; see the
            module docstring (decides D = 20 and D = 70).

    Returns:
        ``LecResult`` with D exact, platform grade 1..4 (1 most severe), colour, level.

    Raises:
        RiskInputError: a score not in the table, a non-number, or an unknown rule.
    """
    sl, se, sc = _score("L", l), _score("E", e), _score("C", c)
    d = sl.score * se.score * sc.score
    band = lec_band(d, boundary_rule)
    return LecResult(
        L=sl.score,
        E=se.score,
        C=sc.score,
        D=d,
        grade=_GRADE_BY_LEVEL[band.level_zh],
        colour=band.colour,
        level_zh=band.level_zh,
        danger_band=band.band,
        danger_zh=band.danger_zh,
        boundary_rule=boundary_rule,
        descriptions=(sl.description_zh, se.description_zh, sc.description_zh),
    )
