"""Township names → statistical division codes (统计用区划代码), edition-aware.

Reference list: National Bureau of Statistics 统计用区划代码 2023 edition (cut-off
2023-06-30), extract ``data/yanqi/admin/admin_divisions_652826_2023.csv`` (see
``data/yanqi/SOURCES.md``). Another edition (e.g. the 2016 list) can be loaded with
:func:`load_divisions` and passed in; codes follow GB/T 2260 + the NBS 12-digit
extension (6 county + 3 township + 3 village digits).
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from yingji.engines.normalize.result import Result, fail, ok
from yingji.engines.normalize.text import clean_text
from yingji.engines.refdata import data_path

TOWNSHIP_SUFFIXES = ("民族乡", "街道办事处", "街道", "镇", "乡")
_LEVELS_TOWNSHIP = frozenset({"township", "town", "street"})


@dataclass(frozen=True)
class Division:
    """One row of a division list: 12-digit code, name, level, parent code."""

    code12: str
    name: str
    level: str
    parent_code12: str


@dataclass(frozen=True)
class Divisions:
    """A division list of one edition.

    Attributes:
        edition: e.g. ``"2023"`` (NBS 统计用区划代码 edition year).
        rows: every division in the list.
    """

    edition: str
    rows: tuple[Division, ...]

    @functools.cached_property
    def townships(self) -> tuple[Division, ...]:
        """Township-level rows (镇/乡/街道/farms at that level)."""
        return tuple(d for d in self.rows if d.level in _LEVELS_TOWNSHIP)

    @functools.cached_property
    def counties(self) -> tuple[Division, ...]:
        """County-level rows."""
        return tuple(d for d in self.rows if d.level == "county")


def load_divisions(path: Path | str, edition: str) -> Divisions:
    """Read a division CSV with columns ``code12, name, level, parent_code12``.

    Raises:
        FileNotFoundError: no such file. KeyError: a required column is missing.
    """
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = tuple(
            Division(r["code12"].strip(), r["name"].strip(), r["level"].strip(), r["parent_code12"].strip())
            for r in csv.DictReader(fh)
        )
    return Divisions(edition, rows)


@functools.cache
def default_divisions() -> Divisions:
    """The Yanqi 2023-edition list (``data/yanqi/admin/admin_divisions_652826_2023.csv``), cached."""
    return load_divisions(data_path("yanqi", "admin", "admin_divisions_652826_2023.csv"), "2023")


def township_core(name: str) -> str:
    """Strip a township suffix: ``七个星镇`` → ``七个星``, ``北大渠乡`` → ``北大渠``."""
    for suffix in TOWNSHIP_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _county_prefixes(counties: Iterable[Division]) -> list[str]:
    out: list[str] = []
    for c in counties:
        out.append(c.name)
        for suffix in ("回族自治县", "蒙古自治县", "自治县", "县", "市", "区"):
            if c.name.endswith(suffix):
                short = c.name[: -len(suffix)]
                out.extend([short + "县", short + "市"])
                break
    return sorted(set(out), key=len, reverse=True)


def match_township(value: str, divisions: Divisions | None = None) -> Result[str]:
    """Match a township name (or code) to its 12-digit division code.

    Accepted: exact name (``七个星镇``), name without 镇/乡/街道 suffix (``七个星``),
    a name prefixed with the county (``焉耆县七个星镇``), the 9- or 12-digit code.
    A different suffix (``七个星乡`` for ``七个星镇``) or a unique prefix (``四十里`` for
    ``四十里城子镇``) matches with a warning; a prefix shared by several townships is
    an error listing them. Unknown names are errors. Never raises.

    Args:
        value: the cell text.
        divisions: reference list (default: Yanqi, 2023 edition).
    """
    divs = divisions if divisions is not None else default_divisions()
    text = clean_text(value).replace(" ", "")
    if not text:
        return fail("空值 (empty)")
    towns = divs.townships
    if text.isdigit() and len(text) in (9, 12):
        code = text.ljust(12, "0")
        for d in towns:
            if d.code12 == code:
                return ok(d.code12)
        return fail(
            f"{divs.edition}版区划中没有代码{text} (no such township code in the {divs.edition} list)"
        )
    for prefix in _county_prefixes(divs.counties):
        if text.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix) :]
            break
    for d in towns:
        if d.name == text:
            return ok(d.code12)
    core = township_core(text)
    same_core = [d for d in towns if township_core(d.name) == core]
    if len(same_core) == 1:
        d = same_core[0]
        if core != text:
            return ok(d.code12, (f"“{value.strip()}”按“{d.name}”匹配 (matched by name without suffix)",))
        return ok(d.code12)
    if len(same_core) > 1:
        names = "、".join(d.name for d in same_core)
        return fail(f"“{value.strip()}”对应多个乡镇: {names} (ambiguous)")
    prefixed = [d for d in towns if d.name.startswith(core)]
    if len(prefixed) == 1:
        d = prefixed[0]
        return ok(d.code12, (f"“{value.strip()}”按前缀匹配为“{d.name}” (matched by prefix)",))
    if len(prefixed) > 1:
        names = "、".join(d.name for d in prefixed)
        return fail(f"“{value.strip()}”可匹配多个乡镇: {names},请写全称 (ambiguous prefix)")
    return fail(
        f"{divs.edition}版区划中没有乡镇“{value.strip()}” (unknown township in the {divs.edition} list)"
    )


COUNTY_LEVEL_WORDS = ("县级", "县本级", "本级", "全县", "县直", "县城")


def match_division(value: str, divisions: Divisions | None = None) -> Result[str]:
    """Match a township **or the county itself** to its 12-digit division code.

    For registers whose records may sit at county level (a county depot, a county rescue
    team): the county's name (``焉耆回族自治县``, ``焉耆县``), its 6- or 12-digit code or a
    county-level word (``县级``, ``县本级``, ``本级``, ``全县``, ``县直``, ``县城``) gives the
    county's code; anything else is matched as a township by :func:`match_township`.
    Never raises.
    """
    divs = divisions if divisions is not None else default_divisions()
    text = clean_text(value).replace(" ", "")
    if not text:
        return fail("空值 (empty)")
    for county in divs.counties:
        if text in (county.code12, county.code12[:6]) or text in _county_prefixes((county,)):
            return ok(county.code12)
    if text in COUNTY_LEVEL_WORDS and len(divs.counties) == 1:
        return ok(divs.counties[0].code12)
    return match_township(text, divs)


def township_name(code12: str, divisions: Divisions | None = None) -> str | None:
    """Return the township name for a 12-digit code, or ``None``."""
    divs = divisions if divisions is not None else default_divisions()
    for d in divs.townships:
        if d.code12 == code12:
            return d.name
    return None
