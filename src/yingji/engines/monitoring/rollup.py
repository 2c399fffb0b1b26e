"""Tailings-dam (尾矿库) warning roll-up: point colours → monitoring-item colour → dam colour.

Source: GB 50863-2013 《尾矿设施设计规范》 clause 5.5.4: warnings have four levels, blue <
yellow < orange < red; "when 4 monitoring points of the same kind of monitoring item reach
blue, the item is yellow; 3 yellow → the item is orange; 2 orange → the item is red", and the
items roll up to the tailings pond's safety state by the same kind of rule (4 blue items count
as one yellow, ...). The counts are configurable (:class:`RollupRule`).

Decisions (documented in ``docs/engines/monitoring.md``):

* a member counts towards a rule when its colour is *at least* the rule's colour (an orange
  point has also passed the blue and yellow values) — ``count_at_least=True``; set it False
  to count exact colours only;
* a group is never less severe than its worst member (``floor_at_worst=True``): one red point
  makes the item red even though no count rule fires.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

COLOURS: tuple[str, ...] = ("none", "blue", "yellow", "orange", "red")
_RANK = {c: i for i, c in enumerate(COLOURS)}


@dataclass(frozen=True, slots=True)
class RollupRule:
    """``count`` members at colour ``colour`` make the group ``result``.

    Raises:
        ValueError: unknown colour, count < 1, or result not above ``none``.
    """

    colour: str
    count: int
    result: str

    def __post_init__(self) -> None:
        for c in (self.colour, self.result):
            if c not in _RANK:
                raise ValueError(f"unknown colour {c!r}; expected one of {', '.join(COLOURS)}")
        if self.colour == "none":
            raise ValueError("a rule's colour must be blue, yellow, orange or red")
        if isinstance(self.count, bool) or not isinstance(self.count, int) or self.count < 1:
            raise ValueError(f"rule count must be an integer >= 1, got {self.count!r}")


#: GB 50863-2013 §5.5.4 defaults: 4 blue → yellow, 3 yellow → orange, 2 orange → red.
DEFAULT_RULES: tuple[RollupRule, ...] = (
    RollupRule("blue", 4, "yellow"),
    RollupRule("yellow", 3, "orange"),
    RollupRule("orange", 2, "red"),
)


@dataclass(frozen=True, slots=True)
class RollupConfig:
    """Aggregation rules for one level (points → item, or items → dam)."""

    rules: tuple[RollupRule, ...] = DEFAULT_RULES
    count_at_least: bool = True
    floor_at_worst: bool = True


@dataclass(frozen=True, slots=True)
class DamRollup:
    """Result of :func:`roll_up_dam`: colour of every item and of the dam."""

    items: Mapping[str, str] = field(default_factory=dict)
    dam: str = "none"


def roll_up(colours: Iterable[str], config: RollupConfig = RollupConfig()) -> str:
    """Colour of a group from its members' colours.

    Args:
        colours: member colours, each one of ``none blue yellow orange red``.
        config: rules; the group colour is the most severe ``result`` among the rules that
            fire (count of members at ``colour`` — or at least ``colour`` when
            ``count_at_least`` — is ``>= count``), raised to the worst member's colour when
            ``floor_at_worst``; ``"none"`` when nothing applies.

    Raises:
        ValueError: unknown colour.

    Source: GB 50863-2013 §5.5.4 (default rules).
    """
    hist = [0] * len(COLOURS)
    for c in colours:
        rank = _RANK.get(c)
        if rank is None:
            raise ValueError(f"unknown colour {c!r}; expected one of {', '.join(COLOURS)}")
        hist[rank] += 1
    best = 0
    if config.floor_at_worst:
        best = max((i for i, k in enumerate(hist) if k), default=0)
    for rule in config.rules:
        r = _RANK[rule.colour]
        n = sum(hist[r:]) if config.count_at_least else hist[r]
        if n >= rule.count:
            best = max(best, _RANK[rule.result])
    return COLOURS[best]


def roll_up_dam(
    items: Mapping[str, Iterable[str]],
    point_config: RollupConfig = RollupConfig(),
    item_config: RollupConfig = RollupConfig(),
) -> DamRollup:
    """Roll point colours up to monitoring items and items up to the dam.

    Args:
        items: monitoring item (e.g. ``"浸润线"``, ``"坝体位移"``) → its points' colours.
        point_config: rules turning point colours into an item colour.
        item_config: rules turning item colours into the dam colour.

    Returns:
        :class:`DamRollup` with ``items`` (item → colour) and ``dam`` colour.

    Raises:
        ValueError: unknown colour.

    Source: GB 50863-2013 §5.5.4.
    """
    item_colours = {name: roll_up(cols, point_config) for name, cols in items.items()}
    return DamRollup(items=item_colours, dam=roll_up(item_colours.values(), item_config))
