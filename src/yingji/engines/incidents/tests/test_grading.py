"""Accident grading per 国务院令第493号 art.3 (thresholds: data/standards/accident_grading_493.csv).

Oracle: art.3 of the regulation (ORD493 in data/standards/SOURCES.md): 特别重大 30+ deaths /
100+ serious injuries / 1亿元+ loss; 重大 10-29 / 50-99 / 5000万-1亿; 较大 3-9 / 10-49 /
1000万-5000万; 一般 below; "以上包括本数, 以下不包括本数".
"""

from __future__ import annotations

import csv
import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yingji.engines.incidents import (
    Category,
    GradingInputError,
    IncidentFacts,
    compare_gradings,
    escalation_levels,
    grade_accident,
    grade_incident,
)
from yingji.engines.incidents import grading as grading_mod
from yingji.engines.incidents.model import RuleTableError
from yingji.engines.refdata import data_path

ZH = {1: "特别重大", 2: "重大", 3: "较大", 4: "一般"}


@pytest.mark.parametrize(
    ("deaths", "grade"), [(0, 4), (2, 4), (3, 3), (9, 3), (10, 2), (29, 2), (30, 1), (300, 1)]
)
def test_death_boundaries(deaths: int, grade: int) -> None:
    g = grade_accident(deaths=deaths)
    assert (g.grade, g.grade_zh) == (grade, ZH[grade])
    assert "deaths" in g.deciding


@pytest.mark.parametrize(("injuries", "grade"), [(9, 4), (10, 3), (49, 3), (50, 2), (99, 2), (100, 1)])
def test_serious_injury_boundaries(injuries: int, grade: int) -> None:
    g = grade_accident(serious_injuries=injuries)
    assert (g.grade, g.grade_zh) == (grade, ZH[grade])
    assert "serious_injuries" in g.deciding


@pytest.mark.parametrize(
    ("loss", "grade"),
    [
        (9_999_999, 4),
        (9_999_999.99, 4),
        (10_000_000, 3),
        (49_999_999, 3),
        (50_000_000, 2),
        (50_000_000.0, 2),
        (99_999_999, 2),
        (100_000_000, 1),
    ],
)
def test_direct_loss_boundaries(loss: float, grade: int) -> None:
    g = grade_accident(direct_loss_cny=loss)
    assert (g.grade, g.grade_zh) == (grade, ZH[grade])
    assert "direct_loss_cny" in g.deciding


def test_reason_format_matches_brief() -> None:
    assert grade_accident(serious_injuries=10).reasons == ("serious injuries 10 ≥ 10 → 较大",)
    assert grade_accident(deaths=3).reasons == ("deaths 3 ≥ 3 → 较大",)
    assert grade_accident(direct_loss_cny=50_000_000).reasons == ("direct loss 50000000 ≥ 50000000 → 重大",)


@pytest.mark.parametrize(
    ("args", "grade", "deciding"),
    [
        # a different criterion decides each time
        ((2, 10, 0), 3, ("serious_injuries",)),
        ((2, 9, 10_000_000), 3, ("direct_loss_cny",)),
        ((3, 60, 0), 2, ("serious_injuries",)),
        ((12, 60, 100_000_000), 1, ("direct_loss_cny",)),
        ((30, 99, 99_999_999), 1, ("deaths",)),
        ((10, 50, 50_000_000), 2, ("deaths", "serious_injuries", "direct_loss_cny")),
        ((9, 49, 60_000_000), 2, ("direct_loss_cny",)),
    ],
)
def test_mixed_most_severe_wins(args: tuple[int, int, int], grade: int, deciding: tuple[str, ...]) -> None:
    g = grade_accident(*args)
    assert g.grade == grade
    assert g.deciding == deciding
    assert len(g.reasons) == len(deciding)
    assert all(r.endswith(f"→ {ZH[grade]}") for r in g.reasons)


def test_grade_four_lists_every_criterion() -> None:
    g = grade_accident(2, 9, 9_999_999)
    assert g.reasons == (
        "deaths 2 < 3 → 一般",
        "serious injuries 9 < 10 → 一般",
        "direct loss 9999999 < 10000000 → 一般",
    )
    assert g.grade_name_zh == "一般事故"
    assert g.roman == "Ⅳ"


def test_missing_counts_are_zero() -> None:
    assert grade_accident(None, None, None).grade == 4
    g = grade_incident(IncidentFacts(Category.ACCIDENT, deaths=None, serious_injuries=10))
    assert (g.grade, g.grade_zh, g.grade_name_zh) == (3, "较大", "较大事故")


def test_full_name_from_csv() -> None:
    with data_path("standards", "accident_grading_493.csv").open(encoding="utf-8") as fh:
        names = {int(r["grade"]): r["grade_zh"] for r in csv.DictReader(fh)}
    for grade, deaths in ((1, 30), (2, 10), (3, 3), (4, 0)):
        assert grade_accident(deaths).grade_name_zh == names[grade]


def test_numeric_types_accepted() -> None:
    assert grade_accident(3.0, 0, Decimal("10000000")).grade == 3
    assert grade_accident(0, 0, Decimal("9999999.5")).grade == 4


@pytest.mark.parametrize(
    "kwargs",
    [
        {"deaths": -1},
        {"serious_injuries": -5},
        {"deaths": 2.5},
        {"deaths": True},
        {"deaths": "3"},
        {"direct_loss_cny": -0.01},
        {"direct_loss_cny": math.nan},
        {"direct_loss_cny": math.inf},
        {"direct_loss_cny": "100"},
        {"deaths": math.nan},
    ],
)
def test_invalid_input_raises(kwargs: dict[str, object]) -> None:
    with pytest.raises(GradingInputError):
        grade_accident(**kwargs)  # type: ignore[arg-type]


def _bands() -> list[dict[str, str]]:
    with data_path("standards", "accident_grading_493.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _in_band(v: float, lo: str, hi: str) -> bool:
    return float(lo) <= v and (hi == "" or v < float(hi))


@given(
    st.integers(0, 200),
    st.integers(0, 300),
    st.one_of(st.integers(0, 300_000_000), st.floats(0, 3e8, allow_nan=False)),
)
def test_property_grade_is_most_severe_band(deaths: int, injuries: int, loss: float) -> None:
    """Independent oracle: find each criterion's [min, max) band straight from the csv rows."""
    rows = _bands()
    per = []
    for key, v in (("deaths", deaths), ("serious_injuries", injuries), ("direct_loss_cny", loss)):
        hits = [int(r["grade"]) for r in rows if _in_band(v, r[f"{key}_min"], r[f"{key}_max_exclusive"])]
        assert len(hits) == 1  # bands tile [0, inf)
        per.append(hits[0])
    g = grade_accident(deaths, injuries, loss)
    assert g.grade == min(per)
    assert [c[2] for c in g.criterion_grades] == per
    assert len(g.reasons) == per.count(min(per))


def test_escalation_levels_from_csv_art10() -> None:
    assert [escalation_levels(g) for g in (1, 2, 3, 4)] == [3, 3, 2, 1]
    with pytest.raises(GradingInputError):
        escalation_levels(5)


def test_compare_gradings_change_record() -> None:
    old = grade_accident(2, 0, 0)
    new = grade_accident(3, 0, 0)
    change = compare_gradings(old, new)
    assert (change.old_grade, change.new_grade, change.changed, change.direction) == (4, 3, True, "upgrade")
    assert change.reasons == ("deaths 3 ≥ 3 → 较大",)
    assert change.old_grade_zh == "一般" and change.new_grade_zh == "较大"
    assert "一般 → 较大" in change.summary
    back = compare_gradings(new, old)
    assert back.direction == "downgrade"
    assert compare_gradings(None, new).direction == "initial"
    same = compare_gradings(new, grade_accident(4, 0, 0))
    assert (same.changed, same.direction) == (False, "unchanged")
    cleared = compare_gradings(new, grade_incident(IncidentFacts(Category.NATURAL_DISASTER)))
    assert (cleared.direction, cleared.new_grade) == ("cleared", None)
    assert change.to_dict()["new_grade"] == 3


def _write_table(tmp_path, rows: list[list[str]]) -> None:  # type: ignore[no-untyped-def]
    std = tmp_path / "standards"
    std.mkdir()
    with (std / "accident_grading_493.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(list(_bands()[0].keys()))
        w.writerows(rows)


def test_malformed_accident_table_is_refused(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rows = [list(r.values()) for r in _bands()]
    rows[1][3] = "31"  # 重大 deaths max 31 but 特别重大 min 30: overlapping bands
    _write_table(tmp_path, rows)
    monkeypatch.setenv("YINGJI_DATA_DIR", str(tmp_path))
    grading_mod.accident_table.cache_clear()
    try:
        with pytest.raises(RuleTableError, match="deaths"):
            grading_mod.accident_table()
    finally:
        monkeypatch.delenv("YINGJI_DATA_DIR")
        grading_mod.accident_table.cache_clear()
    assert grade_accident(30).grade == 1
