"""Text clean-up applied per field: Unicode NFKC, whitespace, dash/minus variants.

Sources: Unicode Standard Annex #15 (Normalization Forms, NFKC); the dash list is
Unicode general category Pd plus U+2212 MINUS SIGN and U+FE63/U+FF0D.

NFKC is applied to one field at a time *after* the file has been split into
columns: NFKC maps the full-width comma U+FF0C to ``,`` and would otherwise
create extra CSV columns.
"""

from __future__ import annotations

import re
import unicodedata

# Invisible characters Excel/WPS/web copy-paste leave behind (ZWSP, ZWNJ, ZWJ, WJ, BOM, soft hyphen).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Hyphen/dash/minus variants that NFKC leaves alone (NFKC already maps U+FF0D, U+FE63, U+2011).
_DASHES = dict.fromkeys(
    map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\u02d7\u2e3a\u2e3b\ufe58\u30fc\uff70"),
    "-",
)
_SCI = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+$")
_WS = re.compile(r"\s+")


def clean_text(value: str) -> str:
    """Return ``value`` NFKC-normalised, invisible characters removed, inner whitespace
    collapsed to one space and the ends stripped. For free-text fields (names, addresses).

    Never raises. Source: UAX #15 NFKC.
    """
    text = unicodedata.normalize("NFKC", value).translate(_INVISIBLE)
    return _WS.sub(" ", text).strip()


def numeric_text(value: str) -> str:
    """Return ``value`` cleaned like :func:`clean_text` with dash/minus variants mapped to ``-``.

    Only for numeric and code fields (numbers, dates, phones, IDs, coordinates); free
    text keeps its dashes (``——`` in a name or address is meaningful). ``一`` is never
    touched (it is the Chinese numeral one). Never raises.
    """
    return clean_text(value).translate(_DASHES)


def header_key(value: str) -> str:
    """Return a header label normalised for matching: NFKC, all whitespace removed,
    required-field markers (``*``, ``★``) and trailing colons stripped. Never raises."""
    text = unicodedata.normalize("NFKC", value).translate(_INVISIBLE)
    text = _WS.sub("", text)
    return text.strip("*★:")


def is_scientific(text: str) -> bool:
    """True when ``text`` is a number in scientific notation such as ``6.52826E+17``
    (what Excel shows for a long code typed into a General/Number column)."""
    return bool(_SCI.match(text.strip()))


def code_number_problem(text: str, *, from_number: bool, what: str) -> str | None:
    """Return an error message when a code (ID, credit code, phone, division code) was
    damaged by Excel, else ``None``.

    Args:
        text: the cell text, already cleaned.
        from_number: True when the spreadsheet cell held a number rather than text.
        what: the code's name for the message (e.g. ``"身份证号"``).

    A scientific-notation value, or a non-integer number read from a numeric cell,
    has lost digits that cannot be recovered: the clerk must set the column to Text
    and export again.
    """
    if is_scientific(text) or (from_number and not text.lstrip("-").isdigit()):
        return (
            f"{what}被Excel存成了数字/科学计数法({text}),位数已丢失:"
            "请把该列设置为“文本”格式后重新录入并导出"
            " (stored as a number in scientific notation; set the column to Text and export again)"
        )
    return None
