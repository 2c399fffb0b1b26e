"""GB 18218-2018 reference tables (Tables 1-6) loaded from ``data/standards``.

Source: GB 18218-2018《危险化学品重大危险源辨识》(issued 2018-11-19, in force 2019-03-01):
Table 1 (named substances and thresholds), Table 2 (thresholds by hazard class),
Table 3 (beta for 14 named toxic gases), Table 4 (beta by hazard class), Table 5 (alpha by
exposed population within 500 m), Table 6 (R -> level). Files:
``gb18218_2018_table1.csv``, ``_table2.csv``, ``_beta.csv``, ``_alpha.csv``, ``_levels.csv``
(provenance and double-checks in ``data/standards/SOURCES.md``).

Tables are parsed once and cached (``functools.cache``). Name matching normalises
Unicode width (NFKC: full-width letters, digits and brackets become half-width), removes
all whitespace, lower-cases Latin letters and writes ``<=``/``>=`` as ``≤``/``≥``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from functools import cache, lru_cache

from yingji.engines.refdata import data_path

from ._common import exact
from .cas import find_cas_numbers

#: Names written inside a Table 1 row's own brackets that denote the same row (the
#: standard lists them there, the alias column does not). Row 13 "煤气(CO,CO和H2、CH4的
#: 混合物等)" names CO itself; row 66 "汽油(乙醇汽油、甲醇汽油)" names its two blends.
_EXTRA_NAMES: dict[int, tuple[str, ...]] = {
    13: ("一氧化碳", "CO"),
    66: ("乙醇汽油", "甲醇汽油"),
}
#: Extra names that are *not* used to link the row to Table 3 (row 13 is the gas mixture
#: 煤气; only a substance actually named 一氧化碳 takes the Table 3 beta of CO).
_NO_BETA_LINK = {13: ("一氧化碳", "co")}

_LOCANT = re.compile(r"^[0-9,]+-(?=[^0-9a-z])")
_BRACKETS = re.compile(r"^(?P<base>[^()\[\]]+)[(\[](?P<inner>.*)[)\]]$")


@lru_cache(maxsize=8192)
def normalize_name(text: str) -> str:
    """Normalise a substance name for matching (NFKC, no whitespace, lower-case, ≤/≥).

    Example: ``"  甲醛（含量>90%）"`` -> ``"甲醛(含量>90%)"``.
    """
    s = unicodedata.normalize("NFKC", text)
    s = re.sub(r"\s+", "", s).lower()
    return s.replace("<=", "≤").replace(">=", "≥").replace("【", "[").replace("】", "]")


@lru_cache(maxsize=1024)
def normalize_symbol(text: str) -> str:
    """Normalise a hazard-class symbol: ``" ｗ５．３ "`` -> ``"W5.3"``, ``"j1"`` -> ``"J1"``."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()


@dataclass(frozen=True)
class Table1Entry:
    """One row of GB 18218-2018 Table 1 (named hazardous chemical).

    Attributes:
        seq: row number in Table 1 (1-85).
        name_zh: the standard's wording of the name, including its qualifier.
        aliases: aliases (别名) from the table.
        cas: CAS numbers in the row (several for rows 49 and 52; none for mixtures).
        threshold_t: threshold quantity Q, t.
        note: provenance note from the data file.
        exact_names: normalised full names, aliases and names inside the CAS cell.
        base_names: normalised names with the bracketed qualifier or the leading locants
            removed (``"甲醛(含量>90%)"`` -> ``"甲醛"``, ``"1,2-环氧丙烷"`` -> ``"环氧丙烷"``);
            a match on these is reported as such.
    """

    seq: int
    name_zh: str
    aliases: tuple[str, ...]
    cas: tuple[str, ...]
    threshold_t: Fraction
    note: str
    exact_names: frozenset[str]
    base_names: frozenset[str]


@dataclass(frozen=True)
class Table2Entry:
    """One row of GB 18218-2018 Table 2 (threshold by hazard class), e.g. ``W5.3`` 1000 t."""

    symbol: str
    hazard_class_zh: str
    description_zh: str
    threshold_t: Fraction


@dataclass(frozen=True)
class BetaEntry:
    """Correction factor beta: Table 3 (``name_zh`` set) or Table 4 (``symbol`` set)."""

    source_table: int
    name_zh: str
    symbol: str
    hazard_class_zh: str
    beta: Fraction


@dataclass(frozen=True)
class AlphaRow:
    """Table 5 row: exposed population band [population_min, population_max] -> alpha."""

    label_zh: str
    population_min: int
    population_max: int | None
    alpha: Fraction


@dataclass(frozen=True)
class LevelRow:
    """Table 6 row: ``r_min_inclusive <= R < r_max_exclusive`` -> level (1 = 一级, most severe)."""

    level: int
    level_zh: str
    r_min_inclusive: Fraction | None
    r_max_exclusive: Fraction | None
    expression: str


def _read_csv(name: str) -> list[dict[str, str]]:
    with data_path("standards", name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _split_names(name: str) -> tuple[set[str], set[str]]:
    """Return (exact names, base names) derived from one Table 1 name cell."""
    full = normalize_name(name)
    exact_names = {full}
    base_names: set[str] = set()
    m = _BRACKETS.match(full)
    if m:
        base_names.add(m.group("base"))
    stripped = _LOCANT.sub("", full)
    if stripped != full:  # "1,2-环氧丙烷" is also written "环氧丙烷"
        base_names.add(stripped)
    elif "," in full and not re.search(r"\d,|,\d", full):
        # "甲烷,天然气": two names in one cell (a comma between locants such as 1,3 is kept)
        exact_names.update(part for part in full.split(",") if part)
    return exact_names, base_names


def _alias_names(alias: str) -> set[str]:
    out: set[str] = set()
    for part in alias.split(";"):
        norm = normalize_name(part)
        if not norm:
            continue
        out.add(norm)
        m = _BRACKETS.match(norm)
        if m:  # "环氧氯丙烷(3-氯-1,2-环氧丙烷)": both the name and the bracketed synonym
            out.add(m.group("base"))
            out.add(m.group("inner"))
    return out


@cache
def table1() -> tuple[Table1Entry, ...]:
    """GB 18218-2018 Table 1, all 85 rows in order (cached)."""
    rows: list[Table1Entry] = []
    for rec in _read_csv("gb18218_2018_table1.csv"):
        seq = int(rec["seq"])
        exact_names, base_names = _split_names(rec["name_zh"])
        exact_names |= _alias_names(rec["alias_zh"])
        for inner in re.findall(r"\(([^()]+)\)", unicodedata.normalize("NFKC", rec["cas"])):
            exact_names.add(normalize_name(inner))  # "74-98-6(丙烷)" -> 丙烷
        exact_names |= {normalize_name(n) for n in _EXTRA_NAMES.get(seq, ())}
        rows.append(
            Table1Entry(
                seq=seq,
                name_zh=rec["name_zh"],
                aliases=tuple(a for a in rec["alias_zh"].split(";") if a),
                cas=find_cas_numbers(rec["cas"]),
                threshold_t=exact(rec["threshold_t"], f"Table 1 row {seq} threshold"),
                note=rec["note"],
                exact_names=frozenset(exact_names),
                base_names=frozenset(base_names - exact_names),
            )
        )
    return tuple(rows)


@cache
def table1_by_seq() -> dict[int, Table1Entry]:
    """Table 1 rows keyed by row number."""
    return {row.seq: row for row in table1()}


@cache
def table1_index() -> tuple[
    dict[str, tuple[Table1Entry, ...]],
    dict[str, tuple[Table1Entry, ...]],
    dict[str, tuple[Table1Entry, ...]],
]:
    """Indexes of Table 1: (by CAS, by exact name/alias, by base name) -> matching rows."""
    by_cas: dict[str, list[Table1Entry]] = {}
    by_name: dict[str, list[Table1Entry]] = {}
    by_base: dict[str, list[Table1Entry]] = {}
    for row in table1():
        for c in row.cas:
            by_cas.setdefault(c, []).append(row)
        for n in row.exact_names:
            by_name.setdefault(n, []).append(row)
        for n in row.base_names:
            by_base.setdefault(n, []).append(row)

    def freeze(d: dict[str, list[Table1Entry]]) -> dict[str, tuple[Table1Entry, ...]]:
        return {k: tuple(v) for k, v in d.items()}

    return freeze(by_cas), freeze(by_name), freeze(by_base)


@cache
def table2() -> dict[str, Table2Entry]:
    """GB 18218-2018 Table 2 keyed by symbol (``"J1"`` ... ``"W11"``), 24 rows (cached)."""
    out: dict[str, Table2Entry] = {}
    for rec in _read_csv("gb18218_2018_table2.csv"):
        sym = normalize_symbol(rec["symbol"])
        out[sym] = Table2Entry(
            symbol=sym,
            hazard_class_zh=rec["hazard_class_zh"],
            description_zh=rec["description_zh"],
            threshold_t=exact(rec["threshold_t"], f"Table 2 {sym} threshold"),
        )
    return out


@cache
def _beta_rows() -> tuple[BetaEntry, ...]:
    return tuple(
        BetaEntry(
            source_table=int(rec["source_table"]),
            name_zh=rec["name_zh"],
            symbol=normalize_symbol(rec["symbol"]),
            hazard_class_zh=rec["hazard_class_zh"],
            beta=exact(rec["beta"], "beta"),
        )
        for rec in _read_csv("gb18218_2018_beta.csv")
    )


@cache
def table3() -> dict[str, BetaEntry]:
    """GB 18218-2018 Table 3: the 14 named toxic gases keyed by normalised name (cached)."""
    return {normalize_name(b.name_zh): b for b in _beta_rows() if b.source_table == 3}


@cache
def table4() -> dict[str, BetaEntry]:
    """GB 18218-2018 Table 4: beta by hazard-class symbol (cached)."""
    return {b.symbol: b for b in _beta_rows() if b.source_table == 4}


@cache
def table3_link_names(seq: int) -> frozenset[str]:
    """Names of a Table 1 row that may link it to a Table 3 entry (exact + base names,
    minus the bracket-only extras such as 一氧化碳 for 煤气)."""
    row = table1_by_seq()[seq]
    names = set(row.exact_names | row.base_names)
    names -= {normalize_name(n) for n in _NO_BETA_LINK.get(seq, ())}
    return frozenset(names)


@cache
def table5() -> tuple[AlphaRow, ...]:
    """GB 18218-2018 Table 5 (alpha by persons within 500 m of the boundary), cached."""
    rows = []
    for rec in _read_csv("gb18218_2018_alpha.csv"):
        rows.append(
            AlphaRow(
                label_zh=rec["label_zh"],
                population_min=int(rec["population_min"]),
                population_max=int(rec["population_max"]) if rec["population_max"] else None,
                alpha=exact(rec["alpha"], "alpha"),
            )
        )
    return tuple(rows)


@cache
def table6() -> tuple[LevelRow, ...]:
    """GB 18218-2018 Table 6 (R -> level 一级..四级), ordered by level, cached."""
    rows = []
    for rec in _read_csv("gb18218_2018_levels.csv"):
        rows.append(
            LevelRow(
                level=int(rec["level"]),
                level_zh=rec["level_zh"],
                r_min_inclusive=exact(rec["r_min_inclusive"], "R min") if rec["r_min_inclusive"] else None,
                r_max_exclusive=exact(rec["r_max_exclusive"], "R max") if rec["r_max_exclusive"] else None,
                expression=rec["expression"],
            )
        )
    return tuple(sorted(rows, key=lambda r: r.level))
