"""GB 18218-2018 identification (S) and grading (R); oracle cases from
data/standards/gb18218_examples.md (Ex1 published twice, Ex2 published once, Ex3 computed)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yingji.engines.risk import major_hazard as mh
from yingji.engines.risk._common import RiskInputError
from yingji.engines.risk.cas import InvalidCASError
from yingji.engines.risk.gb18218_tables import table1, table2, table3, table4, table5
from yingji.engines.risk.major_hazard import (
    AmbiguousSubstanceError,
    GradingIncompleteError,
    SubstanceInput,
    UnknownSubstanceError,
    alpha_for_population,
    assess_unit,
    grading_index,
    identification_index,
    level_for_r,
    resolve_beta,
    resolve_threshold,
)

# ---------------------------------------------------------------- data integrity


def test_table_sizes() -> None:
    # SOURCES.md: Table 1 has 85 rows, Table 2 24 symbols, Table 3 14 gases, Table 4 24 symbols
    assert len(table1()) == 85
    assert len(table2()) == 24
    assert len(table3()) == 14
    assert set(table4()) == set(table2())
    assert [r.alpha for r in table5()] == [2, Fraction(3, 2), Fraction(6, 5), 1, Fraction(1, 2)]


# ---------------------------------------------------------------- worked examples


def test_example1_so2_grading() -> None:
    # gb18218_examples.md Example 1 (EX1a, EX1b): SO2 200 t, Q 20, beta 2, 60 persons -> R 30, 三级
    r = assess_unit([SubstanceInput("二氧化硫", 200)], 60)
    assert r.S == 10 and r.is_major_hazard
    assert r.alpha == Fraction(3, 2)
    assert r.R == 30
    assert (r.level, r.level_zh) == (3, "三级")
    term = r.terms[0]
    assert (term.Q, term.beta and term.beta.beta, term.beta and term.beta.table) == (20, 2, 3)
    assert term.threshold.table == 1 and term.threshold.key == "4"


def test_example1_by_cas_with_class() -> None:
    # same unit identified by CAS; a class given as well does not change Q (Table 1 wins)
    r = assess_unit([SubstanceInput("sulphur dioxide", "200", cas="7446-09-5", hazard_class="J3")], 60)
    assert r.terms[0].Q == 20 and r.terms[0].threshold.matched_by == "cas"
    assert r.terms[0].beta is not None and r.terms[0].beta.table == 3  # Table 3 before Table 4
    assert r.R == 30


@pytest.mark.parametrize(
    ("pairs", "published"),
    [
        # Example 2 with the question's own Q values (published solution)
        ([(300, 50), (2, 10), (3, 10)], Fraction(13, 2)),  # 甲 6.5
        ([(30, 100), (10, 20), (5, 10)], Fraction(13, 10)),  # 乙 1.3
        ([(5, 10), (1, 5), (Decimal("0.2"), 1)], Fraction(9, 10)),  # 丙 0.9
        ([(200, 500), (100, 200), (1, 10)], Fraction(1)),  # 丁 1.0
    ],
)
def test_example2_published_s(pairs: list[tuple[object, object]], published: Fraction) -> None:
    # gb18218_examples.md Example 2 (EX2): S per warehouse as printed
    assert identification_index(pairs) == published  # type: ignore[arg-type]


def test_example2_with_2018_tables() -> None:
    # Example 2 recomputed from the data tables (doubts section of gb18218_examples.md)
    jia = assess_unit(
        [SubstanceInput("苯乙烯", 300), SubstanceInput("环氧丙烷", 2), SubstanceInput("乙醚", 3)], 0
    )
    assert jia.S == Fraction(11, 10) and jia.is_major_hazard  # Q(苯乙烯) = 500 in Table 1
    yi = assess_unit(
        [
            SubstanceInput("甲苯二异氰酸酯", 30),
            SubstanceInput("丙烯醛", 10),
            SubstanceInput("1,2-环氧丙烷", 5),
        ],
        0,
    )
    assert yi.S == Fraction(13, 10)
    bing = assess_unit(
        [
            SubstanceInput("硝化纤维素", 5, table1_seq=39),  # 含乙醇≥25 %, Q = 10
            SubstanceInput("三硝基甲苯", 1),
            SubstanceInput("硝化甘油", Decimal("0.2")),
        ],
        0,
    )
    assert bing.S == Fraction(9, 10) and not bing.is_major_hazard
    assert bing.R is None and bing.level is None
    ding = assess_unit(
        [SubstanceInput("乙醇", 200), SubstanceInput("汽油", 100), SubstanceInput("乙醚", 1)], 0
    )
    assert ding.S == 1 and ding.is_major_hazard


def test_example3_computed_grading() -> None:
    # gb18218_examples.md Example 3 (inputs published, answer computed): R = 1.5 x 11 = 16.5, 三级
    triples = [(200, 200, 1), (80, 20, 2), (400, 200, 1)]
    assert identification_index([(q, big_q) for q, big_q, _ in triples]) == 7
    alpha = alpha_for_population(80).alpha
    r = grading_index(alpha, triples)
    assert r == Fraction(33, 2)
    assert level_for_r(r) == (3, "三级")


# ---------------------------------------------------------------- exactness


def test_float_inputs_sum_exactly() -> None:
    # in binary floats 350/500 + 100/500 + 50/500 = 0.7 + 0.2 + 0.1 = 0.9999999999999999
    assert 350.0 / 500 + 100.0 / 500 + 50.0 / 500 < 1
    subs = [SubstanceInput("甲醇", 350.0), SubstanceInput("乙醇", 100.0), SubstanceInput("丙酮", 50.0)]
    r = assess_unit(subs, 5)
    assert r.S == 1 and r.is_major_hazard


_UNIQUE_ROWS = [
    row
    for row in table1()
    if len(mh.find_table1(row.name_zh) or ()) and (mh.find_table1(row.name_zh) or (None,))[0] == row
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(_UNIQUE_ROWS), min_size=2, max_size=8, unique_by=lambda r: r.seq).flatmap(
        lambda rows: st.tuples(
            st.just(rows),
            st.lists(st.integers(1, 50), min_size=len(rows) - 1, max_size=len(rows) - 1),
        )
    ),
    st.randoms(use_true_random=False),
    st.booleans(),
)
def test_s_equals_one_in_any_order(data: tuple[list, list[int]], rnd, as_float: bool) -> None:
    rows, weights = data
    # ratios in hundredths summing to exactly 1; the last substance takes the rest
    parts = [Fraction(w, 100) for w in weights]
    scale = sum(parts, Fraction(0))
    if scale >= 1:
        parts = [p / (scale * 2) for p in parts]
        parts = [Fraction(round(p * 1000), 1000) or Fraction(1, 1000) for p in parts]
    parts.append(1 - sum(parts, Fraction(0)))
    subs = []
    for row, ratio in zip(rows, parts, strict=True):
        q = ratio * row.threshold_t
        dec = Decimal(q.numerator) / Decimal(q.denominator)
        assert Fraction(dec) == q  # finite decimal
        subs.append(SubstanceInput(row.name_zh, float(dec) if as_float else str(dec)))
    rnd.shuffle(subs)
    r = assess_unit(subs, 10)
    assert r.S == 1
    assert r.is_major_hazard


@given(st.permutations([("乙醇", 200.0), ("汽油", 100.0), ("乙醚", 1.0)]))
def test_example2_ding_any_order(order: list[tuple[str, float]]) -> None:
    r = assess_unit([SubstanceInput(n, q, hazard_class="W5.3") for n, q in order], 0)
    assert r.S == 1 and r.is_major_hazard and r.R == Fraction(1, 2) and r.level == 4


# ---------------------------------------------------------------- alpha and level boundaries


@pytest.mark.parametrize(
    ("population", "alpha"),
    [
        (0, Fraction(1, 2)),
        (1, 1),
        (29, 1),
        (30, Fraction(6, 5)),
        (49, Fraction(6, 5)),
        (50, Fraction(3, 2)),
        (99, Fraction(3, 2)),
        (100, 2),
        (10**6, 2),
    ],
)
def test_alpha_table5_boundaries(population: int, alpha: Fraction) -> None:
    assert alpha_for_population(population).alpha == alpha


@pytest.mark.parametrize("bad", [-1, 1.5, True, "10", None])
def test_alpha_bad_population(bad: object) -> None:
    with pytest.raises(RiskInputError):
        alpha_for_population(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("r", "level"),
    [
        (0, 4),
        (Fraction(99999, 10000), 4),
        (10, 3),
        (Fraction(4999, 100), 3),
        (50, 2),
        (Fraction(9999, 100), 2),
        (100, 1),
        (1000, 1),
    ],
)
def test_level_table6_boundaries(r: Fraction, level: int) -> None:
    assert level_for_r(r)[0] == level


@pytest.mark.parametrize(
    ("quantity", "level"),
    [
        # 氯 Q = 5 t, beta 4 (Table 3); alpha 1 (10 persons): R = 4q/5
        ("12.5", 3),  # R = 10 exactly -> 三级
        ("12.49", 4),
        ("62.5", 2),  # R = 50 -> 二级
        ("125", 1),  # R = 100 -> 一级
        ("124.99", 2),
    ],
)
def test_r_boundaries_through_assessment(quantity: str, level: int) -> None:
    r = assess_unit([SubstanceInput("液氯", Decimal(quantity))], 10)
    assert r.level == level


# ---------------------------------------------------------------- lookups and Table-1 precedence


def test_table1_wins_over_class() -> None:
    # GB 18218-2018 4.1.2 a): 甲醇 in Table 1 (Q 500) even if its class W5.3 would give 1000
    choice = resolve_threshold("甲醇", hazard_class="W5.3")
    assert (choice.threshold_t, choice.table, choice.key) == (500, 1, "65")
    assert any("4.1.2" in n for n in choice.notes)


def test_table2_by_class_and_lowest_threshold() -> None:
    choice = resolve_threshold("某溶剂", hazard_class="W5.3")
    assert (choice.threshold_t, choice.table, choice.key) == (1000, 2, "W5.3")
    multi = resolve_threshold("某物质", hazard_class="W5.4, J5；W2")  # 4.1.2 b): lowest Q
    assert (multi.threshold_t, multi.key) == (10, "W2")
    assert resolve_beta("某物质", ("W5.4", "J1")).beta == 4  # largest Table 4 beta


def test_name_normalisation() -> None:
    assert resolve_threshold(" 甲醛（含量＞90%） ").key == "8"
    assert resolve_threshold("ＴＤＩ").key == "23"
    assert resolve_threshold("液 氨").key == "1"
    assert resolve_threshold("天然气").key == "49"
    assert resolve_threshold("丙烷").key == "52"
    assert resolve_threshold("环氧氯丙烷").key == "21"


def test_base_name_match_notes_qualifier() -> None:
    choice = resolve_threshold("甲醛")
    assert choice.key == "8" and choice.matched_by == "base_name" and choice.notes


def test_ambiguous_rows() -> None:
    with pytest.raises(AmbiguousSubstanceError, match="37"):
        resolve_threshold("硝化纤维素")
    with pytest.raises(AmbiguousSubstanceError):
        resolve_threshold("nitrocellulose", cas="9004-70-0")
    assert resolve_threshold("硝化纤维素(含乙醇≥25%)", cas="9004-70-0").threshold_t == 10
    assert resolve_threshold("硝化棉", table1_seq=40).threshold_t == 50


def test_cas_first() -> None:
    choice = resolve_threshold("氯气", cas="7664-41-7")  # name says chlorine, CAS is ammonia
    assert choice.key == "1" and choice.notes


def test_unknown_and_bad_inputs() -> None:
    with pytest.raises(UnknownSubstanceError, match="某未知物"):
        assess_unit([SubstanceInput("某未知物", 1)], 0)
    with pytest.raises(InvalidCASError):
        assess_unit([SubstanceInput("氨", 1, cas="7664-41-8")], 0)
    with pytest.raises(RiskInputError, match="W99"):
        assess_unit([SubstanceInput("x", 1, hazard_class="W99")], 0)
    with pytest.raises(RiskInputError, match=">= 0"):
        assess_unit([SubstanceInput("氨", -1)], 0)
    with pytest.raises(RiskInputError):
        assess_unit([SubstanceInput("氨", float("nan"))], 0)
    with pytest.raises(RiskInputError):
        assess_unit([SubstanceInput("氨", 1, table1_seq=86)], 0)


def test_beta_sources() -> None:
    assert resolve_beta("一氧化碳", ()).beta == 2  # Table 3 by name
    gas = resolve_threshold("煤气")
    assert resolve_beta("煤气", (), gas.table1_row) is None  # 煤气 is not a Table 3 entry
    hcl = resolve_threshold("氯化氢(无水)")
    b = resolve_beta("氯化氢(无水)", (), hcl.table1_row)
    assert b is not None and (b.beta, b.table) == (3, 3)


def test_grading_incomplete_and_strict() -> None:
    subs = [SubstanceInput("苯", 60)]  # Table 1, not Table 3, no class -> beta unknown
    r = assess_unit(subs, 10)
    assert r.is_major_hazard and r.R is None and r.grading_incomplete == ("苯",)
    with pytest.raises(GradingIncompleteError, match="苯"):
        assess_unit(subs, 10, strict=True)
    graded = assess_unit([SubstanceInput("苯", 60, hazard_class="W5.1")], 10)
    assert graded.R == Fraction(9, 5) and graded.level == 4


def test_not_major_has_null_r_but_alpha() -> None:
    r = assess_unit([SubstanceInput("氨", 5)], 120)
    assert not r.is_major_hazard and r.R is None and r.level is None and r.alpha == 2
    empty = assess_unit([], 0)
    assert empty.S == 0 and not empty.is_major_hazard


def test_explanation_mentions_every_term() -> None:
    r = assess_unit([SubstanceInput("氨", 8, cas="7664-41-7"), SubstanceInput("氯", 1)], 40)
    assert r.S == 1 and r.R == Fraction(6, 5) * (Fraction(8, 10) * 2 + Fraction(1, 5) * 4)
    for term, line in zip(r.terms, r.explanation, strict=False):
        assert term.name in line and "表1" in line and "β=" in line
    d = r.to_dict()
    assert d["terms"][0]["Q_source"] == {"table": 1, "key": "1", "row_name": "氨", "matched_by": "cas"}
