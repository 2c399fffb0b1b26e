"""Tailings roll-up, GB 50863-2013 §5.5.4 (4 blue → yellow, 3 yellow → orange, 2 orange → red)."""

from __future__ import annotations

import pytest

from yingji.engines.monitoring import RollupConfig, RollupRule, roll_up, roll_up_dam


@pytest.mark.parametrize(
    ("colours", "expected"),
    [
        ([], "none"),
        (["none"] * 5, "none"),
        (["blue"] * 3, "blue"),  # below the count: worst member only
        (["blue"] * 4, "yellow"),  # §5.5.4: 4 blue points -> item yellow
        (["yellow"] * 2, "yellow"),
        (["yellow"] * 3, "orange"),  # 3 yellow -> orange
        (["orange"], "orange"),
        (["orange"] * 2, "red"),  # 2 orange -> red
        (["red"], "red"),  # worst member floor
        (["blue", "blue", "yellow", "none", "blue"], "yellow"),  # 4 at least blue
        (["orange", "yellow", "yellow"], "orange"),  # 3 at least yellow -> orange
        (["red", "orange"], "red"),
    ],
)
def test_default_rules(colours, expected):
    assert roll_up(colours) == expected


def test_exact_counting_and_no_floor_are_configurable():
    exact = RollupConfig(count_at_least=False, floor_at_worst=False)
    assert roll_up(["blue", "blue", "blue", "yellow"], exact) == "none"
    assert roll_up(["blue"] * 4, exact) == "yellow"
    assert roll_up(["red"], exact) == "none"
    custom = RollupConfig(rules=(RollupRule("blue", 2, "orange"),))
    assert roll_up(["blue", "blue"], custom) == "orange"


def test_dam_roll_up_by_the_same_kind_of_rule():
    result = roll_up_dam(
        {
            "坝体位移": ["blue", "blue", "blue", "blue"],  # yellow
            "浸润线": ["yellow", "yellow", "yellow"],  # orange
            "库水位": ["orange"],  # orange
            "干滩长度": ["none"],
        }
    )
    assert result.items == {"坝体位移": "yellow", "浸润线": "orange", "库水位": "orange", "干滩长度": "none"}
    assert result.dam == "red"  # 2 orange items -> red


def test_bad_colour_and_rule():
    with pytest.raises(ValueError, match="unknown colour"):
        roll_up(["purple"])
    with pytest.raises(ValueError, match="count"):
        RollupRule("blue", 0, "yellow")
    with pytest.raises(ValueError, match="unknown colour"):
        RollupRule("blue", 2, "green")
