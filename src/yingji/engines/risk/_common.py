"""Shared helpers of the risk engine: the input error type and exact number parsing.

All arithmetic of the engine is exact: inputs are turned into ``fractions.Fraction``
from their *decimal string* (``0.1`` -> ``1/10``), never from a binary float, so a
sum such as ``200/500 + 100/200 + 1/10`` is exactly ``1``.
"""

from __future__ import annotations

import math
import unicodedata
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache

Number = int | float | str | Decimal | Fraction


class RiskInputError(ValueError):
    """Invalid input to a risk-engine function (bad number, unknown substance, bad score...).

    The message is one line naming the offending value and where it came from; the CLI
    prints it as is and exits 2.
    """


def exact(value: object, what: str) -> Fraction:
    """Convert a number to an exact ``Fraction`` via its decimal string.

    Args:
        value: int, Decimal, Fraction, str (decimal literal, full-width digits allowed)
            or float (converted through ``repr``, i.e. the shortest decimal string that
            round-trips, so ``0.1`` becomes exactly ``1/10``). ``bool`` is rejected.
        what: name of the quantity for the error message (e.g. ``"quantity_t of 苯"``).

    Returns:
        The exact value.

    Raises:
        RiskInputError: not a finite number (NaN, infinity, text, bool, None...).
    """
    if isinstance(value, bool) or value is None:
        raise RiskInputError(f"{what}: expected a number, got {value!r}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise RiskInputError(f"{what}: expected a finite number, got {value!r}")
        return Fraction(Decimal(repr(value)))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise RiskInputError(f"{what}: expected a finite number, got {value!r}")
        return Fraction(value)
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        try:
            dec = Decimal(text)
        except InvalidOperation:
            raise RiskInputError(f"{what}: expected a number, got {value!r}") from None
        if not dec.is_finite():
            raise RiskInputError(f"{what}: expected a finite number, got {value!r}")
        return Fraction(dec)
    raise RiskInputError(f"{what}: expected a number, got {type(value).__name__} {value!r}")


def to_json_number(value: Fraction) -> int | float:
    """Render an exact value as a JSON number: ``int`` when integral, else the nearest float."""
    if value.denominator == 1:
        return int(value.numerator)
    return float(value)


def fraction_text(value: Fraction) -> str:
    """Exact text of a value: ``"13/10"``, or ``"7"`` when integral."""
    return str(value)


@lru_cache(maxsize=8192)
def decimal_text(value: Fraction, places: int = 6) -> str:
    """Decimal text of a value rounded half-even to ``places`` decimals, trailing zeros removed."""
    q = Decimal(value.numerator) / Decimal(value.denominator)
    text = format(q.quantize(Decimal(1).scaleb(-places)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
