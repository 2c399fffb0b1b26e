"""LS risk matrix (风险矩阵法): R = L x S, L and S each 1-5, graded by a threshold variant.

Source: no national standard fixes one LS scheme; three published variants are in
``data/standards/ls_variants.csv`` (the 5x5 products in ``ls_matrix.csv``):

* ``A`` (DEFAULT): 20-25 重大风险/红, 15-16 较大风险/橙, 9-12 一般风险/黄, 1-8 低风险/蓝 -
  the common task-level scheme in the style of Shandong DB37/T 2882-2016 (LS-A);
* ``B``: 20-25 / 9-16 / 4-8 / 1-3 (public 风险等级图, LS-B);
* ``C``: R >= 15 红, 8-12 橙, 4-6 黄, < 4 蓝 (municipal enterprise-level grading, LS-C).

Platform grade: 1..4, 1 = most severe (红), as for LEC and GB 18218 levels.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from yingji.engines.refdata import data_path

from ._common import Number, RiskInputError, exact

VARIANTS = ("A", "B", "C")
#: Default variant (see module docstring).
DEFAULT_VARIANT = "A"
_GRADE_BY_COLOUR = {"红": 1, "橙": 2, "黄": 3, "蓝": 4}
COLOUR_EN = {"红": "red", "橙": "orange", "黄": "yellow", "蓝": "blue"}


@dataclass(frozen=True)
class LsBand:
    """One variant row: ``r_min <= R <= r_max`` -> level and colour."""

    variant: str
    level_zh: str
    roman: str
    colour: str
    r_min: int
    r_max: int
    grade: int


@dataclass(frozen=True)
class LsResult:
    """LS evaluation: L, S (1-5), R = L x S, grade 1..4 (1 = 红 most severe), colour, level."""

    L: int
    S: int
    R: int
    grade: int
    colour: str
    level_zh: str
    variant: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (contract of ``yingji risk ls --json``)."""
        return {
            "R": self.R,
            "grade": self.grade,
            "colour": self.colour,
            "colour_en": COLOUR_EN[self.colour],
            "level_zh": self.level_zh,
            "variant": self.variant,
            "L": self.L,
            "S": self.S,
            "explanation": (
                f"R = L×S = {self.L}×{self.S} = {self.R} -> {self.level_zh} ({self.colour}), "
                f"variant {self.variant}"
            ),
        }


@cache
def ls_bands() -> dict[str, tuple[LsBand, ...]]:
    """Bands per variant from ``ls_variants.csv``, most severe first (cached)."""
    out: dict[str, list[LsBand]] = {}
    with data_path("standards", "ls_variants.csv").open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            raw = rec["level_zh"]
            m = re.match(r"^(.*?)\((.*)\)$", raw)
            level, roman = (m.group(1), m.group(2)) if m else (raw, "")
            out.setdefault(rec["variant"], []).append(
                LsBand(
                    variant=rec["variant"],
                    level_zh=level,
                    roman=roman,
                    colour=rec["color_zh"],
                    r_min=int(rec["r_min"]),
                    r_max=int(rec["r_max"]),
                    grade=_GRADE_BY_COLOUR[rec["color_zh"]],
                )
            )
    return {k: tuple(sorted(v, key=lambda b: -b.r_min)) for k, v in out.items()}


def _factor(name: str, value: Number) -> int:
    v = exact(value, f"LS {name}")
    if v.denominator != 1 or not 1 <= v <= 5:
        raise RiskInputError(f"LS {name} = {value!r} is not an allowed score (allowed: 1, 2, 3, 4, 5)")
    return int(v)


def evaluate_ls(l: Number, s: Number, variant: str = DEFAULT_VARIANT) -> LsResult:  # noqa: E741
    """Evaluate R = L x S on the 5x5 matrix and grade it with a threshold variant.

    Args:
        l: likelihood 1..5 (integer). s: severity 1..5 (integer).
        variant: ``"A"`` (default), ``"B"`` or ``"C"`` (case-insensitive), see module docstring.

    Returns:
        ``LsResult`` (R in 1..25, grade 1..4 with 1 most severe).

    Raises:
        RiskInputError: L or S outside 1..5 or not an integer; unknown variant.
    """
    v = str(variant).strip().upper()
    if v not in VARIANTS:
        raise RiskInputError(f"LS variant {variant!r}: expected one of {', '.join(VARIANTS)}")
    lv, sv = _factor("L", l), _factor("S", s)
    r = lv * sv
    for band in ls_bands()[v]:  # most severe first; a product between bands falls to the next lower
        if r >= band.r_min:
            return LsResult(lv, sv, r, band.grade, band.colour, band.level_zh, v)
    raise RiskInputError(f"LS R = {r}: no band in variant {v}")  # pragma: no cover
