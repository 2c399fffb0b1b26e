"""Quantities with units: money (元/万元/亿元 → 元), area (m²/亩/公顷/km² → m²), mass (→ kg).

Conversion factors (exact, legal units of the PRC, 《中华人民共和国法定计量单位》 1984 and
the 市制 conversions it keeps for agriculture):

* 1 亩 = 10000/15 m² = 2000/3 m² (exactly; 15 亩 = 1 公顷)
* 1 公顷 (hm², ha) = 10 000 m²; 1 km² = 1 000 000 m²
* 1 斤 = 0.5 kg; 1 公斤 = 1 千克 = 1 kg; 1 t = 1 000 kg
* 1 万元 = 10 000 元; 1 亿元 = 100 000 000 元

Arithmetic is done in :class:`fractions.Fraction`; a result that is not a finite
decimal (only 亩 can produce one) is rounded half-even to
:data:`AREA_PLACES` = 4 decimal places of m² (0.0001 m² = 1 cm²) with a warning
that states the exact fraction.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from yingji.engines.normalize.numbers import format_decimal, parse_decimal
from yingji.engines.normalize.result import Result, fail, ok
from yingji.engines.normalize.text import numeric_text

AREA_PLACES = 4
"""Decimal places kept for an area in m² that is not a finite decimal (亩 conversions)."""

AREA_UNITS: dict[str, Fraction] = {
    "平方米": Fraction(1), "平米": Fraction(1), "m²": Fraction(1), "m2": Fraction(1), "m^2": Fraction(1),
    "sqm": Fraction(1),
    "亩": Fraction(2000, 3), "市亩": Fraction(2000, 3),
    "公顷": Fraction(10_000), "hm²": Fraction(10_000), "hm2": Fraction(10_000), "ha": Fraction(10_000),
    "km²": Fraction(1_000_000), "km2": Fraction(1_000_000), "平方公里": Fraction(1_000_000),
    "平方千米": Fraction(1_000_000),
}  # fmt: skip
MONEY_UNITS: dict[str, Fraction] = {
    "元": Fraction(1), "圆": Fraction(1), "块": Fraction(1), "人民币元": Fraction(1), "rmb": Fraction(1),
    "cny": Fraction(1),
    "万元": Fraction(10_000), "万": Fraction(10_000), "亿元": Fraction(100_000_000),
    "亿": Fraction(100_000_000), "千元": Fraction(1000),
}  # fmt: skip
MASS_UNITS: dict[str, Fraction] = {
    "kg": Fraction(1), "公斤": Fraction(1), "千克": Fraction(1),
    "斤": Fraction(1, 2), "市斤": Fraction(1, 2),
    "t": Fraction(1000), "吨": Fraction(1000), "g": Fraction(1, 1000), "克": Fraction(1, 1000),
}  # fmt: skip


def _split_unit(text: str, units: dict[str, Fraction]) -> tuple[str, str | None]:
    """Split ``"3.5亩"`` into ``("3.5", "亩")``; the longest matching unit suffix wins."""
    low = text.lower()
    for unit in sorted(units, key=len, reverse=True):
        if low.endswith(unit.lower()):
            return text[: len(text) - len(unit)].strip(), unit
    return text, None


def _to_decimal(value: Fraction) -> tuple[Decimal, bool]:
    """Return (decimal, exact). Exact when the denominator has only factors 2 and 5."""
    den = value.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den == 1:
        return Decimal(value.numerator) / Decimal(value.denominator), True
    quant = Decimal(1).scaleb(-AREA_PLACES)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(quant, ROUND_HALF_EVEN), False


def _convert(
    value: str, units: dict[str, Fraction], default_unit: str, what: str, *, allow_negative: bool = False
) -> Result[str]:
    text = numeric_text(value)
    if not text:
        return fail("空值 (empty)")
    for prefix in ("¥", "￥", "人民币"):
        if units is MONEY_UNITS and text.startswith(prefix):
            text = text[len(prefix) :].strip()
    number, unit = _split_unit(text, units)
    warnings: list[str] = []
    if unit is None:
        if default_unit not in units:
            return fail(f"未知的默认单位 {default_unit} (unknown default unit)")
        unit = default_unit
    parsed = parse_decimal(number)
    if not parsed.valid or parsed.value is None:
        return Result(False, None, parsed.warnings, parsed.error)
    warnings.extend(parsed.warnings)
    if parsed.value < 0 and not allow_negative:
        return fail(f"{what}不能为负 (negative {what})")
    exact = Fraction(parsed.value) * units[unit]
    dec, is_exact = _to_decimal(exact)
    if not is_exact:
        warnings.append(
            f"{format_decimal(parsed.value)}{unit} = "
            f"{exact.numerator}/{exact.denominator} {next(iter(units))},"
            f"保留{AREA_PLACES}位小数 (rounded to {AREA_PLACES} decimal places)"
        )
    return ok(format_decimal(dec), warnings)


def parse_area(value: str, default_unit: str = "m²") -> Result[str]:
    """Normalise an area to square metres, as an exact decimal string.

    Units recognised as a suffix: m²/m2/平方米/平米 (㎡ after NFKC), 亩 (2000/3 m²),
    公顷/ha/hm² (10 000 m²), km²/平方公里/平方千米 (10⁶ m²); a bare number takes
    ``default_unit``. ``"3亩"`` → ``"2000"``, ``"1亩"`` → ``"666.6667"`` (with a
    warning giving the exact fraction 2000/3). Errors: not a number, negative,
    estimate. Never raises.
    """
    return _convert(value, AREA_UNITS, default_unit, "面积")


def parse_money(value: str, default_unit: str = "元") -> Result[str]:
    """Normalise money to 元 (CNY), as an exact decimal string.

    Suffixes 元/圆/块, 千元, 万元/万, 亿元/亿; prefixes ¥/￥/人民币; a bare number
    takes ``default_unit`` (``"万元"`` for a column headed ``资金(万元)``).
    ``"1.2万元"`` → ``"12000"``. Negative amounts are allowed (a refund). Never raises.
    """
    return _convert(value, MONEY_UNITS, default_unit, "金额", allow_negative=True)


def parse_mass(value: str, default_unit: str = "kg") -> Result[str]:
    """Normalise a mass to kilograms, as an exact decimal string.

    Suffixes t/吨 (1000 kg), kg/公斤/千克, 斤/市斤 (0.5 kg), g/克. ``"3斤"`` → ``"1.5"``.
    Errors: not a number, negative. Never raises.
    """
    return _convert(value, MASS_UNITS, default_unit, "质量")


def parse_quantity(value: str) -> Result[str]:
    """Normalise a stock quantity (non-negative exact decimal string, unit in its own column).

    Errors: not a number, negative, estimate. Never raises.
    """
    parsed = parse_decimal(value)
    if not parsed.valid or parsed.value is None:
        return Result(False, None, parsed.warnings, parsed.error)
    if parsed.value < 0:
        return fail("数量不能为负 (negative quantity)")
    return ok(format_decimal(parsed.value), parsed.warnings)
