"""Incident categories (突发事件分类) and the four severity levels (事件分级).

Sources:
    * ``data/standards/event_classification.csv`` - the four top-level categories of
      突发事件应对法 art.3 and 国家突发公共事件总体应急预案 (2006) 1.3.
    * ``data/standards/emergency_levels.csv`` - levels I..IV (特别重大/重大/较大/一般),
      rank 1 = most severe.

Pure module: no Django import.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from yingji.engines.refdata import data_path


class CategoryError(ValueError):
    """An incident category name that is neither an English key nor a Chinese name."""


class Category(StrEnum):
    """The four incident categories of 突发事件应对法 art.3 (GLOSSARY 事件分类)."""

    NATURAL_DISASTER = "natural_disaster"
    ACCIDENT = "accident"
    PUBLIC_HEALTH = "public_health"
    SOCIAL_SECURITY = "social_security"

    @property
    def name_zh(self) -> str:
        """Chinese name as written in ``event_classification.csv`` (e.g. ``事故灾难``)."""
        return _CATEGORY_ZH[self]


_CATEGORY_ZH: dict[Category, str] = {
    Category.NATURAL_DISASTER: "自然灾害",
    Category.ACCIDENT: "事故灾难",
    Category.PUBLIC_HEALTH: "公共卫生事件",
    Category.SOCIAL_SECURITY: "社会安全事件",
}

_ALIASES: dict[str, Category] = {c.value: c for c in Category}
_ALIASES.update({zh: c for c, zh in _CATEGORY_ZH.items()})
_ALIASES.update({"公共卫生": Category.PUBLIC_HEALTH, "社会安全": Category.SOCIAL_SECURITY})


def parse_category(value: str | Category) -> Category:
    """Return the :class:`Category` named by ``value``.

    Accepts the English keys (``accident``, ``natural_disaster``, ``public_health``,
    ``social_security``; case-insensitive, ``-`` or space for ``_``) and the Chinese names
    of ``event_classification.csv`` (事故灾难, 自然灾害, 公共卫生事件, 社会安全事件).

    Raises:
        CategoryError: the name is unknown.
    """
    if isinstance(value, Category):
        return value
    key = str(value).strip()
    found = _ALIASES.get(key) or _ALIASES.get(key.lower().replace("-", "_").replace(" ", "_"))
    if found is None:
        choices = ", ".join([*(c.value for c in Category), *_CATEGORY_ZH.values()])
        raise CategoryError(f"unknown incident category {value!r} (expected one of: {choices})")
    return found


@dataclass(frozen=True, slots=True)
class SeverityLevel:
    """One row of ``emergency_levels.csv``: rank 1 (特别重大, Ⅰ) .. 4 (一般, Ⅳ)."""

    rank: int
    severity_zh: str
    roman: str
    response_level_zh: str
    warning_color: str


@cache
def severity_levels() -> dict[int, SeverityLevel]:
    """Levels I..IV keyed by rank 1..4, read once from ``emergency_levels.csv``.

    Source: 突发事件应对法 art.3 / 国家突发公共事件总体应急预案 (2006) 1.3 as tabulated in
    ``data/standards/emergency_levels.csv``.

    Raises:
        FileNotFoundError: the table is missing.
        ValueError: the table does not hold exactly ranks 1..4.
    """
    path = data_path("standards", "emergency_levels.csv")
    levels: dict[int, SeverityLevel] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            rank = int(row["rank"])
            levels[rank] = SeverityLevel(
                rank=rank,
                severity_zh=row["severity_zh"].strip(),
                roman=row["roman"].strip(),
                response_level_zh=row["response_level_zh"].strip(),
                warning_color=row["warning_color"].strip(),
            )
    if sorted(levels) != [1, 2, 3, 4]:
        raise ValueError(f"{path}: expected ranks 1..4, found {sorted(levels)}")
    return levels


@cache
def top_level_categories_zh() -> tuple[str, ...]:
    """Chinese names of the level-1 rows of ``event_classification.csv`` (file order)."""
    path = data_path("standards", "event_classification.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple(r["name_zh"].strip() for r in csv.DictReader(fh) if r["level"].strip() == "1")
