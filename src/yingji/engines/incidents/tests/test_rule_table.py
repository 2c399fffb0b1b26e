"""County rule tables for natural disasters, public-health and social-security events."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from yingji.engines.incidents import (
    Category,
    GradingInputError,
    GradingRule,
    IncidentFacts,
    RuleTable,
    RuleTableError,
    default_rule_table,
    grade_incident,
    load_rule_table,
)
from yingji.engines.incidents.categories import severity_levels, top_level_categories_zh

HEADER = "category,grade,indicator,op,threshold,source_keys,note\n"


def _table(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "rules.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "category", [Category.NATURAL_DISASTER, Category.PUBLIC_HEALTH, Category.SOCIAL_SECURITY]
)
def test_default_table_gives_no_grade_because_sources_have_no_thresholds(category: Category) -> None:
    g = grade_incident(IncidentFacts(category, deaths=500, serious_injuries=500, direct_loss_cny=10**10))
    assert g.grade is None and g.grade_zh is None
    assert len(g.reasons) == 1
    assert "threshold" in g.reasons[0]


def test_default_table_invents_no_threshold() -> None:
    assert all(r.grade is None and r.threshold is None for r in default_rule_table().rules)
    assert {r.category for r in default_rule_table().rules} == {
        Category.NATURAL_DISASTER,
        Category.PUBLIC_HEALTH,
        Category.SOCIAL_SECURITY,
    }


def test_categories_match_event_classification_csv() -> None:
    assert set(top_level_categories_zh()) == {c.name_zh for c in Category}
    assert [severity_levels()[r].severity_zh for r in (1, 2, 3, 4)] == ["特别重大", "重大", "较大", "一般"]


def test_county_table_most_severe_rule_wins(tmp_path: Path) -> None:
    table = load_rule_table(
        _table(
            tmp_path,
            "natural_disaster,2,deaths,>=,10,X,\n"
            "natural_disaster,3,deaths,≥,3,X,\n"
            "natural_disaster,3,relocated_people,以上,10000,X,\n"
            "natural_disaster,4,deaths,>,0,X,\n"
            "# a comment row,,,,,,\n",
        )
    )
    g = grade_incident(
        IncidentFacts(Category.NATURAL_DISASTER, deaths=3, indicators={"relocated_people": 20000}), table
    )
    assert (g.grade, g.grade_zh, g.roman) == (3, "较大", "Ⅲ")
    assert g.reasons == ("deaths 3 ≥ 3 → 较大", "relocated people 20000 ≥ 10000 → 较大")
    assert g.deciding == ("deaths", "relocated_people")
    assert grade_incident(IncidentFacts(Category.NATURAL_DISASTER, deaths=10), table).grade == 2
    assert grade_incident(IncidentFacts(Category.NATURAL_DISASTER, deaths=1), table).reasons == (
        "deaths 1 > 0 → 一般",
    )
    below = grade_incident(IncidentFacts(Category.NATURAL_DISASTER, deaths=0), table)
    assert below.grade is None and "below every threshold" in below.reasons[0]
    # a category the county table does not cover
    assert grade_incident(IncidentFacts(Category.PUBLIC_HEALTH), table).grade is None


def test_rules_from_dataclasses() -> None:
    table = RuleTable.from_rules(
        [
            GradingRule(Category.PUBLIC_HEALTH, 1, "cases", ">=", 100),
            GradingRule(Category.PUBLIC_HEALTH, 4, "cases", ">=", 1),
        ]
    )
    g = grade_incident(IncidentFacts(Category.PUBLIC_HEALTH, indicators={"cases": 150}), table)
    assert (g.grade, g.reasons) == (1, ("cases 150 ≥ 100 → 特别重大",))


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ("accident,1,deaths,>=,30,,\n", "493"),
        ("nowhere,1,deaths,>=,30,,\n", "unknown incident category"),
        ("natural_disaster,5,deaths,>=,30,,\n", "grade"),
        ("natural_disaster,x,deaths,>=,30,,\n", "grade"),
        ("natural_disaster,1,deaths,=<,30,,\n", "op"),
        ("natural_disaster,1,deaths,>=,abc,,\n", "not a number"),
        ("natural_disaster,1,deaths,>=,,,\n", "threshold is required"),
        ("natural_disaster,1,deaths,>=,-3,,\n", "threshold"),
        ("natural_disaster,1,Deaths!,>=,3,,\n", "indicator"),
        ("natural_disaster,1,deaths,>=,nan,,\n", "threshold"),
        ("natural_disaster,1,deaths,>=,10,,\nnatural_disaster,2,deaths,>=,20,,\n", "not above"),
    ],
)
def test_malformed_tables_name_the_problem(tmp_path: Path, body: str, match: str) -> None:
    with pytest.raises(RuleTableError, match=match):
        load_rule_table(_table(tmp_path, body))


def test_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("category,grade\nnatural_disaster,1\n", encoding="utf-8")
    with pytest.raises(RuleTableError, match="missing column"):
        load_rule_table(path)


def test_table_refuses_accident_grading() -> None:
    with pytest.raises(RuleTableError):
        default_rule_table().grade(Category.ACCIDENT, {})


def test_county_override_file_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    std = tmp_path / "standards"
    std.mkdir()
    for name in ("emergency_levels.csv",):
        src = Path(__file__).resolve().parents[5] / "data" / "standards" / name
        (std / name).write_bytes(src.read_bytes())
    with (std / "incident_grading_rules.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(
            [HEADER.strip().split(","), ["social_security", "4", "deaths", ">=", "1", "LOCAL", ""]]
        )
    monkeypatch.setenv("YINGJI_DATA_DIR", str(tmp_path))
    default_rule_table.cache_clear()
    try:
        g = grade_incident(IncidentFacts(Category.SOCIAL_SECURITY, deaths=1))
        assert g.grade == 4 and "LOCAL" in g.source
    finally:
        monkeypatch.delenv("YINGJI_DATA_DIR")
        default_rule_table.cache_clear()


@pytest.mark.parametrize("bad", [{"x": float("nan")}, {"x": -1}, {"x": "3"}])
def test_invalid_indicator_values(bad: dict[str, object]) -> None:
    with pytest.raises(GradingInputError):
        grade_incident(IncidentFacts(Category.NATURAL_DISASTER, indicators=bad))  # type: ignore[arg-type]
    with pytest.raises(GradingInputError):
        grade_incident(IncidentFacts(Category.NATURAL_DISASTER, deaths=-1))
