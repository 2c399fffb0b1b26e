"""LEC (D = L x E x C) and LS (R = L x S) grading; oracle cases from
data/standards/risk_examples.md (LEC ex1 filling station, LS check values)."""

from __future__ import annotations

import csv
import itertools
from fractions import Fraction

import pytest

from yingji.engines.refdata import data_path
from yingji.engines.risk._common import RiskInputError
from yingji.engines.risk.lec import LOWER_INCLUSIVE, UPPER_INCLUSIVE, evaluate_lec, lec_band, lec_scores
from yingji.engines.risk.ls_matrix import evaluate_ls


@pytest.mark.parametrize(
    ("hazard", "lv", "e", "c", "d", "band"),
    [
        # risk_examples.md, LEC ex1 (加油站), published D and band per row
        ("火灾、爆炸", 3, 10, 15, 450, 1),  # 极其危险 (D>320)
        ("中毒、窒息", 1, 10, 1, 10, 5),  # 稍有危险
        ("电伤害", 1, 6, 15, 90, 3),  # 显著危险 (70-160)
        ("车辆伤害", 6, 6, 3, 108, 3),  # 显著危险
        ("高处坠落", 1, 1, 15, 15, 5),  # 稍有危险
        ("坍塌", 1, "0.5", 40, 20, 5),  # 稍有危险: fixes D = 20 in the lowest band
    ],
)
def test_lec_filling_station(hazard: str, lv: object, e: object, c: object, d: int, band: int) -> None:
    r = evaluate_lec(lv, e, c)  # type: ignore[arg-type]
    assert r.D == d, hazard
    assert r.danger_band == band, hazard
    assert r.boundary_rule == UPPER_INCLUSIVE


def test_lec_colours_follow_four_colour_mapping() -> None:
    # risk_examples.md: >320 红/重大, 160-320 橙/较大, 70-160 黄/一般, <70 蓝/低
    assert (evaluate_lec(10, 10, 40).grade, evaluate_lec(10, 10, 40).colour) == (1, "红")  # 4000
    assert evaluate_lec(3, 6, 15).colour == "橙"  # 270
    assert evaluate_lec(3, 3, 15).colour == "黄"  # 135
    r = evaluate_lec(1, 6, 7)  # 42
    assert (r.grade, r.colour, r.level_zh) == (4, "蓝", "低风险")


def test_lec_d70_boundary_rule() -> None:
    # D = 70 reachable (1x10x7); sources disagree (risk_examples.md) -> configurable
    default = evaluate_lec(1, 10, 7)
    assert (default.D, default.danger_band, default.colour, default.grade) == (70, 4, "蓝", 4)
    other = evaluate_lec(10, 1, 7, LOWER_INCLUSIVE)
    assert (other.D, other.danger_band, other.colour, other.grade) == (70, 3, "黄", 3)
    assert other.boundary_rule == LOWER_INCLUSIVE
    # D = 20 changes band but not colour
    assert evaluate_lec(10, 2, 1, LOWER_INCLUSIVE).danger_band == 4
    assert evaluate_lec(10, 2, 1, LOWER_INCLUSIVE).colour == "蓝"


def test_lec_band_function_edges() -> None:
    assert lec_band(Fraction(7001, 100)).band == 3
    assert lec_band(160).band == 3 and lec_band(160, LOWER_INCLUSIVE).band == 2
    assert lec_band(320).band == 2 and lec_band(Fraction(32001, 100)).band == 1
    with pytest.raises(RiskInputError):
        lec_band(-1)
    with pytest.raises(RiskInputError, match="rule"):
        lec_band(10, "nearest")


def test_lec_every_combination_graded() -> None:
    scores = lec_scores()
    seen = set()
    for lv, e, c in itertools.product(scores["L"], scores["E"], scores["C"]):
        r = evaluate_lec(lv.score, e.score, c.score)
        assert r.D == lv.score * e.score * c.score
        assert 1 <= r.grade <= 4
        seen.add(r.D)
    assert 160 not in seen and 320 not in seen  # only 20 and 70 depend on the rule
    assert 70 in seen and 20 in seen


@pytest.mark.parametrize(
    ("lv", "e", "c"),
    [(4, 10, 7), (3, 7, 15), (3, 10, 50), ("x", 1, 1), (None, 1, 1), (True, 1, 1), ("nan", 1, 1)],
)
def test_lec_rejects_values_outside_table(lv: object, e: object, c: object) -> None:
    with pytest.raises(RiskInputError, match="LEC"):
        evaluate_lec(lv, e, c)  # type: ignore[arg-type]


def test_lec_accepts_equivalent_texts() -> None:
    assert evaluate_lec("3.0", "１０", 15.0).D == 450
    assert evaluate_lec("0.1", "0.5", "1").D == Fraction(1, 20)


@pytest.mark.parametrize(
    ("lv", "s", "expected"),
    [
        # risk_examples.md LS check values: (A level, A colour), (B level, B colour), C colour
        (4, 5, {"A": ("重大风险", "红"), "B": ("重大风险", "红"), "C": "红"}),
        (3, 4, {"A": ("一般风险", "黄"), "B": ("较大风险", "橙"), "C": "橙"}),
        (2, 2, {"A": ("低风险", "蓝"), "B": ("一般风险", "黄"), "C": "黄"}),
    ],
)
def test_ls_worked_checks(lv: int, s: int, expected: dict) -> None:
    for variant in ("A", "B"):
        r = evaluate_ls(lv, s, variant)
        assert (r.level_zh, r.colour) == expected[variant]
    assert evaluate_ls(lv, s, "c").colour == expected["C"]


def test_ls_matrix_file_agrees_with_variants() -> None:
    with data_path("standards", "ls_matrix.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 25
    for rec in rows:
        lv, s = int(rec["L"]), int(rec["S"])
        a, b, c = evaluate_ls(lv, s, "A"), evaluate_ls(lv, s, "B"), evaluate_ls(lv, s, "C")
        assert a.R == int(rec["R"]) == lv * s
        assert (a.level_zh, a.colour) == (rec["variantA_level_zh"], rec["variantA_color_zh"])
        assert (b.level_zh, b.colour) == (rec["variantB_level_zh"], rec["variantB_color_zh"])
        assert c.colour == rec["variantC_enterprise_color_zh"]
        assert {"红": 1, "橙": 2, "黄": 3, "蓝": 4}[a.colour] == a.grade


def test_ls_default_variant_is_a() -> None:
    assert evaluate_ls(3, 4).variant == "A"


@pytest.mark.parametrize(("lv", "s"), [(0, 3), (6, 1), ("2.5", 2), (3, None), (True, 2), ("a", 1)])
def test_ls_rejects_bad_scores(lv: object, s: object) -> None:
    with pytest.raises(RiskInputError, match="LS"):
        evaluate_ls(lv, s)  # type: ignore[arg-type]


def test_ls_rejects_bad_variant() -> None:
    with pytest.raises(RiskInputError, match="variant"):
        evaluate_ls(1, 1, "D")
