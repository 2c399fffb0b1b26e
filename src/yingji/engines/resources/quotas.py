"""Reserve quotas (储备定额) and shortfall: required = per-1,000-residents rate × population / 1000,
or an absolute quantity; exact decimals throughout.

Decision: when several quotas (different hazards) apply to the same item in the same
division, the requirement is the **largest** of them: one stock serves whichever
hazard strikes, so the minimums are not added.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from yingji.engines.resources.model import ResourceInputError

PER_1000 = "per_1000"
ABSOLUTE = "absolute"
BASES = (PER_1000, ABSOLUTE)


@dataclass(frozen=True)
class QuotaRule:
    """A quota for ``item_code`` in ``division_code``: ``quantity`` per 1,000 residents or absolute."""

    division_code: str
    item_code: str
    basis: str
    quantity: Decimal
    hazard: str = ""


@dataclass(frozen=True)
class ShortfallLine:
    """Requirement vs. holding of one item in one division (quantities in the item's unit)."""

    division_code: str
    item_code: str
    required: Decimal
    held: Decimal
    hazard: str
    population: int | None

    @property
    def shortfall(self) -> Decimal:
        """Quantity missing (0 when covered)."""
        return max(self.required - self.held, Decimal("0"))

    @property
    def coverage(self) -> Decimal | None:
        """held / required rounded to 4 places (None when nothing is required)."""
        if self.required <= 0:
            return None
        return (self.held / self.required).quantize(Decimal("0.0001"))


def required_quantity(rule: QuotaRule, population: int | None) -> Decimal:
    """The quantity ``rule`` requires for a division of ``population`` residents.

    Raises:
        ResourceInputError: unknown basis, negative quantity, or a per-1,000 rule
            for a division without a population figure.
    """
    if rule.basis not in BASES:
        raise ResourceInputError(f"未知定额基准: {rule.basis}")
    if rule.quantity < 0:
        raise ResourceInputError(f"定额不能为负: {rule.quantity}")
    if rule.basis == ABSOLUTE:
        return rule.quantity
    if population is None:
        raise ResourceInputError(f"区划 {rule.division_code} 无人口数据，无法按每千人计算定额")
    return rule.quantity * Decimal(population) / Decimal(1000)


def shortfall_report(
    rules: Iterable[QuotaRule],
    populations: Mapping[str, int | None],
    held: Mapping[tuple[str, str], Decimal],
) -> list[ShortfallLine]:
    """One line per (division, item): the largest requirement among its quotas vs. what is held.

    Args:
        rules: quotas.
        populations: residents by division code (None: unknown).
        held: available quantity by ``(division_code, item_code)`` (missing = 0).

    Returns:
        Lines ordered by shortfall descending, then division and item code.

    Raises:
        ResourceInputError: see :func:`required_quantity`.
    """
    best: dict[tuple[str, str], tuple[Decimal, str]] = {}
    for rule in rules:
        need = required_quantity(rule, populations.get(rule.division_code))
        key = (rule.division_code, rule.item_code)
        if key not in best or need > best[key][0]:
            best[key] = (need, rule.hazard)
    lines = [
        ShortfallLine(
            division_code=div,
            item_code=item,
            required=need,
            held=held.get((div, item), Decimal("0")),
            hazard=hazard,
            population=populations.get(div),
        )
        for (div, item), (need, hazard) in best.items()
    ]
    lines.sort(key=lambda line: (-line.shortfall, line.division_code, line.item_code))
    return lines
