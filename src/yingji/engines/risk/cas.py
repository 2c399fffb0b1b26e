"""CAS Registry Numbers: check digit, validation and normalisation.

Source: CAS Registry Number format as published by Chemical Abstracts Service
("CAS REGISTRY and CAS Registry Number FAQs", check-digit verification): a number has
2 to 10 digits in three parts ``NNNNNNN-NN-R`` (first part 2-7 digits, second part 2
digits, one check digit ``R``). ``R`` is the sum of the other digits, each multiplied by
its position counted from the right (1, 2, 3...), modulo 10. Example: water
7732-18-5: 8x1 + 1x2 + 2x3 + 3x4 + 7x5 + 7x6 = 105 -> 5.
"""

from __future__ import annotations

import re
import unicodedata

from ._common import RiskInputError

_CAS_RE = re.compile(r"^(\d{2,7})-(\d{2})-(\d)$")
_DIGITS_RE = re.compile(r"^\d{5,10}$")
_FIND_RE = re.compile(r"(?<!\d)(\d{2,7}-\d{2}-\d)(?!\d)")


class InvalidCASError(RiskInputError):
    """A text is not a well-formed CAS Registry Number or its check digit is wrong."""


def cas_check_digit(body: str) -> int:
    """Return the check digit for the digits before it.

    Args:
        body: the first two parts, with or without hyphens (``"7732-18"`` or ``"773218"``);
            3 to 9 digits.

    Returns:
        The check digit, 0-9.

    Raises:
        InvalidCASError: ``body`` has other characters or a wrong number of digits.
    """
    digits = body.replace("-", "")
    if not digits.isascii() or not digits.isdigit() or not 3 <= len(digits) <= 9:
        raise InvalidCASError(f"CAS body {body!r}: expected 3-9 digits")
    return sum(int(d) * i for i, d in enumerate(reversed(digits), start=1)) % 10


def _canonical_form(text: str) -> str:
    """Normalise width, dashes and spaces; insert hyphens into a digits-only number."""
    s = unicodedata.normalize("NFKC", text).strip()
    for dash in ("\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", "\uff0d"):
        s = s.replace(dash, "-")
    s = re.sub(r"\s+", "", s)
    if s.upper().startswith("CAS"):
        s = s[3:].lstrip(":#No.")
    if _DIGITS_RE.match(s):
        s = f"{s[:-3]}-{s[-3:-1]}-{s[-1]}"
    return s


def normalize_cas(text: str) -> str:
    """Return the canonical ``NNNNNNN-NN-R`` form of a CAS number after checking it.

    Accepts full-width digits and dashes, surrounding blanks, a ``CAS`` prefix and the
    digits-only form (``"7732185"`` -> ``"7732-18-5"``). Leading zeros of the first part
    are removed (``"0064-17-5"`` -> ``"64-17-5"``).

    Raises:
        InvalidCASError: malformed, or the check digit does not match.
    """
    if not isinstance(text, str):
        raise InvalidCASError(f"CAS number: expected text, got {text!r}")
    s = _canonical_form(text)
    m = _CAS_RE.match(s)
    if not m:
        raise InvalidCASError(f"CAS number {text!r}: expected the form NNNNNNN-NN-R")
    first = m.group(1).lstrip("0")
    if len(first) < 2:
        raise InvalidCASError(f"CAS number {text!r}: first part needs at least 2 significant digits")
    expected = cas_check_digit(first + m.group(2))
    if expected != int(m.group(3)):
        raise InvalidCASError(f"CAS number {text!r}: check digit is {m.group(3)}, expected {expected}")
    return f"{first}-{m.group(2)}-{m.group(3)}"


def is_valid_cas(text: str) -> bool:
    """True when ``text`` is a well-formed CAS number with a correct check digit (see ``normalize_cas``)."""
    try:
        normalize_cas(text)
    except InvalidCASError:
        return False
    return True


def find_cas_numbers(text: str) -> tuple[str, ...]:
    """Extract every hyphenated CAS number from a free-text cell, in order.

    Used for Table 1 cells such as ``"74-82-8(甲烷);8006-14-2(天然气)"``. Numbers with a
    wrong check digit are skipped.
    """
    found: list[str] = []
    for cand in _FIND_RE.findall(unicodedata.normalize("NFKC", text or "")):
        if is_valid_cas(cand):
            norm = normalize_cas(cand)
            if norm not in found:
                found.append(norm)
    return tuple(found)
