"""GB 18218-2018 major-hazard identification (S) and grading (R, 一级..四级).

Implements GB 18218-2018《危险化学品重大危险源辨识》:

* 4.1.2 thresholds: a) a chemical in Table 1 takes its Table 1 threshold; b) any other
  chemical takes the Table 2 threshold of its hazard class; with several hazard classes,
  the lowest threshold.
* 4.2.1 formula (1): ``S = q1/Q1 + ... + qn/Qn``; the unit is a major hazard when S >= 1
  (q = design maximum quantity, 4.2.2, t).
* 4.3.2 formula (2): ``R = alpha * (beta1*q1/Q1 + ... + betan*qn/Qn)``; beta from Table 3
  for the 14 named toxic gases, otherwise from Table 4 by hazard class; alpha from Table 5
  (residents within 500 m of the boundary).
* 4.3.3 Table 6: 一级 R >= 100; 二级 50 <= R < 100; 三级 10 <= R < 50; 四级 R < 10.

All sums are exact (``fractions.Fraction`` built from the decimal text of each input), so
S = 1 exactly is a major hazard whatever the order of the substances.

Decisions (see docs/engines/risk.md): a substance matching several Table 1 rows (e.g.
硝化纤维素, six rows) must be disambiguated (full row name or ``table1_seq``); with several
hazard classes and no Table 3 entry, beta is the largest Table 4 value (the standard is
silent; conservative); when the unit is a major hazard but some term has no beta (a Table 1
substance without a hazard class), R and level are None and ``grading_incomplete`` names
the substances (``strict=True`` raises instead).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ._common import Number, RiskInputError, decimal_text, exact, fraction_text, to_json_number
from .cas import InvalidCASError, normalize_cas
from .gb18218_tables import (
    AlphaRow,
    Table1Entry,
    normalize_name,
    normalize_symbol,
    table1_by_seq,
    table1_index,
    table2,
    table3,
    table3_link_names,
    table4,
    table5,
    table6,
)

STANDARD = "GB 18218-2018"


class UnknownSubstanceError(RiskInputError):
    """Substance not in Table 1 and no hazard class given (Table 2 needs one)."""


class AmbiguousSubstanceError(RiskInputError):
    """Substance matches several Table 1 rows (different forms, e.g. 硝化纤维素)."""


class GradingIncompleteError(RiskInputError):
    """Raised in strict mode when a major hazard cannot be graded (a beta is missing)."""


@dataclass(frozen=True)
class SubstanceInput:
    """One hazardous chemical present in the unit.

    Attributes:
        name: name (Chinese name, alias or Table 1 wording; width and blanks are ignored).
        quantity_t: design maximum quantity q (GB 18218-2018 4.2.2), tonnes, >= 0. Any
            number type; floats are read through their decimal text.
        cas: CAS number (optional); matched against Table 1 first.
        hazard_class: Table 2/4 symbol(s) such as ``"W5.3"`` or ``"J1,W2"`` (optional;
            needed for substances outside Table 1, and to pick beta outside Table 3).
        table1_seq: Table 1 row number, to pick one row when the name is ambiguous.
    """

    name: str
    quantity_t: Number
    cas: str | None = None
    hazard_class: str | Sequence[str] | None = None
    table1_seq: int | None = None


@dataclass(frozen=True)
class ThresholdChoice:
    """Where Q came from.

    Attributes:
        threshold_t: Q, tonnes.
        table: 1 or 2.
        key: Table 1 row number as text (``"4"``) or Table 2 symbol (``"W5.3"``).
        row_name: the row's wording (Table 1 name, or Table 2 class and description).
        matched_by: ``cas``, ``name``, ``base_name`` (qualifier of the row not checked),
            ``table1_seq`` or ``hazard_class``.
        notes: warnings (qualifier to confirm, CAS/name disagreement, ignored class...).
    """

    threshold_t: Fraction
    table: int
    key: str
    row_name: str
    matched_by: str
    notes: tuple[str, ...] = ()
    table1_row: Table1Entry | None = None


@dataclass(frozen=True)
class BetaChoice:
    """Where beta came from: ``table`` 3 (``key`` = gas name) or 4 (``key`` = symbol)."""

    beta: Fraction
    table: int
    key: str


@dataclass(frozen=True)
class HazardTerm:
    """One substance's contribution: ``ratio = q/Q`` and ``beta * q/Q``.

    ``beta`` is None when it cannot be determined (Table 1 substance outside Table 3
    without a hazard class).
    """

    name: str
    cas: str | None
    q: Fraction
    Q: Fraction
    ratio: Fraction
    threshold: ThresholdChoice
    beta: BetaChoice | None
    hazard_classes: tuple[str, ...]

    def explain(self) -> str:
        """One line (Chinese/ASCII) explaining the term: name, CAS, q, Q with its row, beta."""
        src = self.threshold
        q_src = f"表{src.table} {('第' + src.key + '行') if src.table == 1 else src.key} {src.row_name}"
        beta = (
            f"β={decimal_text(self.beta.beta)} (表{self.beta.table} {self.beta.key})"
            if self.beta
            else "β=未确定 (需给出危险性类别)"
        )
        cas = f" CAS {self.cas}" if self.cas else ""
        return (
            f"{self.name}{cas}: q={decimal_text(self.q)} t, Q={decimal_text(self.Q)} t [{q_src}; "
            f"按{src.matched_by}匹配], q/Q={decimal_text(self.ratio)}, {beta}"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: name, cas, q, Q, beta (numbers or null) and provenance."""
        return {
            "name": self.name,
            "cas": self.cas,
            "q": to_json_number(self.q),
            "Q": to_json_number(self.Q),
            "beta": to_json_number(self.beta.beta) if self.beta else None,
            "ratio": to_json_number(self.ratio),
            "ratio_exact": fraction_text(self.ratio),
            "hazard_classes": list(self.hazard_classes),
            "Q_source": {
                "table": self.threshold.table,
                "key": self.threshold.key,
                "row_name": self.threshold.row_name,
                "matched_by": self.threshold.matched_by,
            },
            "beta_source": (
                {"table": self.beta.table, "key": self.beta.key} if self.beta is not None else None
            ),
            "notes": list(self.threshold.notes),
            "explanation": self.explain(),
        }


@dataclass(frozen=True)
class HazardAssessment:
    """Result of assessing one unit (生产单元 or 储存单元).

    Attributes:
        S: identification index, exact.
        is_major_hazard: S >= 1.
        exposed_population: persons within 500 m used for alpha.
        alpha: Table 5 alpha (given even when not a major hazard).
        alpha_label: Table 5 row label, e.g. ``"50~99人"``.
        R: grading index, exact; None when not a major hazard or grading incomplete.
        level: 1..4 (1 = 一级, most severe) or None, same rule as ``R``.
        level_zh: ``"一级"`` ... ``"四级"`` or None.
        terms: one per substance, in input order.
        grading_incomplete: names of substances whose beta is unknown (only filled for
            a major hazard, where it blocks R).
        explanation: human-readable lines.
    """

    S: Fraction
    is_major_hazard: bool
    exposed_population: int
    alpha: Fraction
    alpha_label: str
    R: Fraction | None
    level: int | None
    level_zh: str | None
    terms: tuple[HazardTerm, ...]
    grading_incomplete: tuple[str, ...] = ()
    explanation: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (contract of ``yingji hazard assess --json``)."""
        return {
            "S": to_json_number(self.S),
            "S_exact": fraction_text(self.S),
            "is_major_hazard": self.is_major_hazard,
            "exposed_population": self.exposed_population,
            "alpha": to_json_number(self.alpha),
            "R": to_json_number(self.R) if self.R is not None else None,
            "R_exact": fraction_text(self.R) if self.R is not None else None,
            "level": self.level,
            "level_zh": self.level_zh,
            "grading_incomplete": list(self.grading_incomplete),
            "standard": STANDARD,
            "terms": [t.to_dict() for t in self.terms],
            "explanation": list(self.explanation),
        }


# --------------------------------------------------------------------------- lookups


def parse_hazard_classes(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """Normalise hazard-class input to a tuple of known Table 2 symbols.

    Accepts None, a symbol (``"W5.3"``, ``"ｗ５．３"``), several in one text separated by
    commas, semicolons, ``、`` or blanks (``"J1,W2"``), or a list of symbols.

    Raises:
        RiskInputError: a symbol not in GB 18218-2018 Table 2.
    """
    if value is None:
        return ()
    known = table2()
    if isinstance(value, tuple) and all(isinstance(v, str) and v in known for v in value):
        return value  # already parsed
    parts: list[str] = []
    items = [value] if isinstance(value, str) else list(value)
    for item in items:
        if not isinstance(item, str):
            raise RiskInputError(f"hazard_class: expected text such as 'W5.3', got {item!r}")
        parts.extend(p for p in re.split(r"[,;、，；\s]+", item) if p.strip())
    out: list[str] = []
    for part in parts:
        sym = normalize_symbol(part)
        if sym not in known:
            raise RiskInputError(
                f"hazard_class {part!r} is not a GB 18218-2018 Table 2 symbol ({', '.join(known)})"
            )
        if sym not in out:
            out.append(sym)
    return tuple(out)


def _describe_rows(rows: Iterable[Table1Entry]) -> str:
    return "; ".join(f"{r.seq} {r.name_zh} Q={decimal_text(r.threshold_t)} t" for r in rows)


def find_table1(
    name: str, cas: str | None = None, table1_seq: int | None = None
) -> tuple[Table1Entry, str, tuple[str, ...]] | None:
    """Find the GB 18218-2018 Table 1 row of a substance: CAS first, then name.

    Order: ``table1_seq`` if given; else the CAS number (rows sharing a CAS are told apart
    by the name); else the exact name or alias; else the name without the row's bracketed
    qualifier (``甲醛`` -> row 8 ``甲醛(含量>90%)``, with a note to confirm the qualifier).

    Returns:
        ``(row, matched_by, notes)`` or None when the substance is not in Table 1.

    Raises:
        InvalidCASError: malformed CAS or wrong check digit.
        AmbiguousSubstanceError: several rows match and nothing tells them apart.
        RiskInputError: ``table1_seq`` not a Table 1 row number.
    """
    by_cas, by_name, by_base = table1_index()
    key = normalize_name(name)
    notes: list[str] = []
    if table1_seq is not None:
        row = table1_by_seq().get(table1_seq)
        if row is None or isinstance(table1_seq, bool):
            raise RiskInputError(f"table1_seq {table1_seq!r} of {name!r}: no such Table 1 row (1-85)")
        return row, "table1_seq", ()
    norm_cas = normalize_cas(cas) if cas else None
    if norm_cas is not None:
        rows = by_cas.get(norm_cas, ())
        if len(rows) == 1:
            row = rows[0]
            if key and key not in row.exact_names | row.base_names:
                other = by_name.get(key, ()) or by_base.get(key, ())
                if other and row not in other:
                    notes.append(
                        f"name {name!r} matches Table 1 row {other[0].seq}, but CAS {norm_cas} "
                        f"is row {row.seq}: CAS used"
                    )
            return row, "cas", tuple(notes)
        if len(rows) > 1:
            named = [r for r in rows if key in r.exact_names]
            if len(named) == 1:
                return named[0], "cas", ()
            raise AmbiguousSubstanceError(
                f"substance {name!r} (CAS {norm_cas}) matches several GB 18218-2018 Table 1 rows "
                f"({_describe_rows(rows)}): give the full row name or table1_seq"
            )
        notes.append(f"CAS {norm_cas} is not in Table 1")
    rows = by_name.get(key, ())
    matched_by = "name"
    if not rows:
        rows = by_base.get(key, ())
        matched_by = "base_name"
    if not rows:
        return None
    if len(rows) > 1:
        raise AmbiguousSubstanceError(
            f"substance {name!r} matches several GB 18218-2018 Table 1 rows "
            f"({_describe_rows(rows)}): give the full row name or table1_seq"
        )
    row = rows[0]
    if matched_by == "base_name":
        notes.append(f"matched Table 1 row {row.seq} {row.name_zh} without its qualifier or locants: confirm")
    if norm_cas is not None and row.cas:
        notes.append(f"row {row.seq} lists CAS {', '.join(row.cas)}; given CAS {norm_cas} differs")
    return row, matched_by, tuple(notes)


def resolve_threshold(
    name: str,
    cas: str | None = None,
    hazard_class: str | Sequence[str] | None = None,
    table1_seq: int | None = None,
) -> ThresholdChoice:
    """Threshold quantity Q of one substance (GB 18218-2018 4.1.2, Tables 1 and 2).

    Table 1 wins: a substance named in Table 1 takes its Table 1 Q even when a hazard
    class is also given (4.1.2 a); the class is then used only for beta. A substance
    outside Table 1 takes the Table 2 Q of its class; with several classes, the lowest
    Q (4.1.2 b).

    Returns:
        The chosen Q (t) with its table, row and match method.

    Raises:
        UnknownSubstanceError: not in Table 1 and no hazard class.
        AmbiguousSubstanceError, InvalidCASError, RiskInputError: see ``find_table1``,
            ``parse_hazard_classes``.
    """
    classes = parse_hazard_classes(hazard_class)
    found = find_table1(name, cas, table1_seq)
    if found is not None:
        row, matched_by, notes = found
        if classes:
            notes = (
                *notes,
                f"hazard class {','.join(classes)} not used for Q: Table 1 row {row.seq} applies "
                "(GB 18218-2018 4.1.2 a)",
            )
        return ThresholdChoice(row.threshold_t, 1, str(row.seq), row.name_zh, matched_by, notes, row)
    if not classes:
        raise UnknownSubstanceError(
            f"substance {name!r}{f' (CAS {cas})' if cas else ''} is not in GB 18218-2018 Table 1 "
            "and has no hazard_class (Table 2 symbol such as W5.3)"
        )
    entries = [table2()[c] for c in classes]
    best = min(entries, key=lambda e: e.threshold_t)
    notes2: tuple[str, ...] = ()
    if len(entries) > 1:
        notes2 = (f"several hazard classes; lowest threshold used ({best.symbol}, GB 18218-2018 4.1.2 b)",)
    return ThresholdChoice(
        best.threshold_t,
        2,
        best.symbol,
        f"{best.hazard_class_zh} {best.description_zh}",
        "hazard_class",
        notes2,
    )


def resolve_beta(
    name: str, classes: Sequence[str], table1_row: Table1Entry | None = None
) -> BetaChoice | None:
    """Correction factor beta (GB 18218-2018 4.3.2, Tables 3 and 4).

    Table 3 if the substance (its name, or any name of its Table 1 row) is one of the 14
    named toxic gases; otherwise the Table 4 value of its hazard class, the largest one
    when several classes are given (standard silent; conservative). None when neither
    applies (no class given).
    """
    t3 = table3()
    keys = {normalize_name(name)}
    if table1_row is not None:
        keys |= table3_link_names(table1_row.seq)
    for key in sorted(keys):
        if key in t3:
            entry = t3[key]
            return BetaChoice(entry.beta, 3, entry.name_zh)
    if classes:
        t4 = table4()
        best = max((t4[c] for c in classes), key=lambda e: e.beta)
        return BetaChoice(best.beta, 4, best.symbol)
    return None


def alpha_for_population(exposed_population: int) -> AlphaRow:
    """Table 5 row for the number of residents within 500 m of the unit's plant boundary.

    Args:
        exposed_population: persons, integer >= 0 (100 or more -> 2.0; 50-99 -> 1.5;
            30-49 -> 1.2; 1-29 -> 1.0; 0 -> 0.5).

    Raises:
        RiskInputError: negative, not an integer, or bool.
    """
    if isinstance(exposed_population, bool) or not isinstance(exposed_population, int):
        raise RiskInputError(f"exposed_population: expected an integer >= 0, got {exposed_population!r}")
    if exposed_population < 0:
        raise RiskInputError(f"exposed_population: must be >= 0, got {exposed_population}")
    for row in table5():
        if exposed_population >= row.population_min and (
            row.population_max is None or exposed_population <= row.population_max
        ):
            return row
    raise RiskInputError(f"exposed_population {exposed_population}: no Table 5 row")  # pragma: no cover


def level_for_r(r: Number) -> tuple[int, str]:
    """GB 18218-2018 Table 6: level (1 = 一级 ... 4 = 四级) and its name for R >= 0.

    Lower bounds are inclusive: R = 100 -> 一级, R = 50 -> 二级, R = 10 -> 三级.

    Raises:
        RiskInputError: R not a finite number.
    """
    value = exact(r, "R")
    for row in table6():
        if (row.r_min_inclusive is None or value >= row.r_min_inclusive) and (
            row.r_max_exclusive is None or value < row.r_max_exclusive
        ):
            return row.level, row.level_zh
    raise RiskInputError(f"R {r!r}: no Table 6 row")  # pragma: no cover


def identification_index(pairs: Iterable[tuple[Number, Number]]) -> Fraction:
    """S = Σ q/Q for ``(q, Q)`` pairs in tonnes (GB 18218-2018 formula (1)), exact.

    Raises:
        RiskInputError: a negative q, a Q <= 0, or a non-number.
    """
    total = Fraction(0)
    for i, (q, big_q) in enumerate(pairs):
        fq, fbig = exact(q, f"q[{i}]"), exact(big_q, f"Q[{i}]")
        if fq < 0:
            raise RiskInputError(f"q[{i}] must be >= 0 t, got {q!r}")
        if fbig <= 0:
            raise RiskInputError(f"Q[{i}] must be > 0 t, got {big_q!r}")
        total += fq / fbig
    return total


def grading_index(alpha: Number, terms: Iterable[tuple[Number, Number, Number]]) -> Fraction:
    """R = alpha * Σ beta*q/Q for ``(q, Q, beta)`` triples (GB 18218-2018 formula (2)), exact.

    Use when Q and beta are already known (e.g. values given in an exam question);
    ``assess_unit`` looks them up from the tables.

    Raises:
        RiskInputError: negative q, alpha or beta, Q <= 0, or a non-number.
    """
    a = exact(alpha, "alpha")
    if a < 0:
        raise RiskInputError(f"alpha must be >= 0, got {alpha!r}")
    total = Fraction(0)
    for i, (q, big_q, beta) in enumerate(terms):
        b = exact(beta, f"beta[{i}]")
        if b < 0:
            raise RiskInputError(f"beta[{i}] must be >= 0, got {beta!r}")
        total += b * identification_index([(q, big_q)])
    return a * total


def _term(sub: SubstanceInput, index: int) -> HazardTerm:
    if not isinstance(sub.name, str) or not sub.name.strip():
        raise RiskInputError(f"substances[{index}].name: expected a non-empty name")
    name = sub.name.strip()
    q = exact(sub.quantity_t, f"quantity_t of {name!r}")
    if q < 0:
        raise RiskInputError(f"quantity_t of {name!r} must be >= 0 t, got {decimal_text(q)}")
    cas = sub.cas.strip() if isinstance(sub.cas, str) and sub.cas.strip() else None
    try:
        norm_cas = normalize_cas(cas) if cas else None
    except InvalidCASError as exc:
        raise InvalidCASError(f"substance {name!r}: {exc}") from None
    classes = parse_hazard_classes(sub.hazard_class)
    choice = resolve_threshold(name, norm_cas, classes, sub.table1_seq)
    beta = resolve_beta(name, classes, choice.table1_row)
    return HazardTerm(name, norm_cas, q, choice.threshold_t, q / choice.threshold_t, choice, beta, classes)


def assess_unit(
    substances: Sequence[SubstanceInput], exposed_population: int, *, strict: bool = False
) -> HazardAssessment:
    """Identify and grade one unit under GB 18218-2018 (4.2.1 formula (1), 4.3.2 formula (2)).

    Args:
        substances: the chemicals in the unit (q in tonnes, design maximum quantity).
        exposed_population: residents within 500 m of the boundary (Table 5), persons.
        strict: raise ``GradingIncompleteError`` instead of returning R = None when the
            unit is a major hazard and a beta is unknown.

    Returns:
        The assessment; R and level only when S >= 1 (else None).

    Raises:
        UnknownSubstanceError, AmbiguousSubstanceError, InvalidCASError,
        GradingIncompleteError, RiskInputError (negative q, bad population...).
    """
    alpha_row = alpha_for_population(exposed_population)
    terms = tuple(_term(s, i) for i, s in enumerate(substances))
    s_index = sum((t.ratio for t in terms), Fraction(0))
    major = s_index >= 1
    lines = [t.explain() for t in terms]
    lines.append(
        f"S = Σq/Q = {decimal_text(s_index)} ({fraction_text(s_index)}) "
        f"{'≥' if major else '<'} 1 -> {'构成' if major else '不构成'}重大危险源 ({STANDARD} 4.2.1)"
    )
    lines.append(
        f"α = {decimal_text(alpha_row.alpha)} (表5 {alpha_row.label_zh}, 500 m 内 {exposed_population} 人)"
    )
    r_value: Fraction | None = None
    level: int | None = None
    level_zh: str | None = None
    missing: tuple[str, ...] = ()
    if major:
        missing = tuple(t.name for t in terms if t.beta is None)
        if missing:
            msg = f"cannot grade: no beta for {', '.join(missing)} (give hazard_class, Table 4 symbol)"
            if strict:
                raise GradingIncompleteError(msg)
            lines.append(msg)
        else:
            r_value = alpha_row.alpha * sum(
                (t.beta.beta * t.ratio for t in terms if t.beta is not None), Fraction(0)
            )
            level, level_zh = level_for_r(r_value)
            lines.append(
                f"R = α·Σβq/Q = {decimal_text(r_value)} -> {level_zh}重大危险源 ({STANDARD} 4.3.2, 表6)"
            )
    return HazardAssessment(
        S=s_index,
        is_major_hazard=major,
        exposed_population=exposed_population,
        alpha=alpha_row.alpha,
        alpha_label=alpha_row.label_zh,
        R=r_value,
        level=level,
        level_zh=level_zh,
        terms=terms,
        grading_incomplete=missing,
        explanation=tuple(lines),
    )


def substance_from_mapping(item: object, index: int) -> SubstanceInput:
    """Build a ``SubstanceInput`` from a JSON object (CLI/API input).

    Keys: ``name`` (str, required), ``quantity_t`` (number, required, >= 0), ``cas``
    (str, optional), ``hazard_class`` (str or list of str, optional), ``table1_seq``
    (int, optional). Numbers must be JSON numbers (int or Decimal), not text.

    Raises:
        RiskInputError: naming ``substances[index]`` and the bad key.
    """
    where = f"substances[{index}]"
    if not isinstance(item, dict):
        raise RiskInputError(f"{where}: expected an object")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RiskInputError(f"{where}.name: expected a non-empty string")
    if "quantity_t" not in item:
        raise RiskInputError(f"{where} ({name}): quantity_t missing")
    qty = item["quantity_t"]
    if isinstance(qty, bool) or not isinstance(qty, int | float | Decimal | Fraction):
        raise RiskInputError(f"{where} ({name}).quantity_t: expected a number, got {qty!r}")
    cas = item.get("cas")
    if cas is not None and not isinstance(cas, str):
        raise RiskInputError(f"{where} ({name}).cas: expected a string, got {cas!r}")
    hc = item.get("hazard_class")
    if hc is not None and not isinstance(hc, str | list):
        raise RiskInputError(f"{where} ({name}).hazard_class: expected a string, got {hc!r}")
    seq = item.get("table1_seq")
    if seq is not None and (isinstance(seq, bool) or not isinstance(seq, int)):
        raise RiskInputError(f"{where} ({name}).table1_seq: expected an integer, got {seq!r}")
    return SubstanceInput(name=name, quantity_t=qty, cas=cas, hazard_class=hc, table1_seq=seq)
