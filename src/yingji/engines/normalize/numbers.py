"""Numbers as clerks type them: thousands separators, full-width digits, Chinese numerals.

Results are exact :class:`decimal.Decimal` values (strings at the boundary), never floats.
Chinese numeral grammar: the conventional reading of 十/百/千 within a 万/亿 section
(GB/T 15835-2011 《出版物上数字用法》 §4 describes when each form is used; the values
are the ordinary Chinese place values: 十 10, 百 10², 千 10³, 万 10⁴, 亿 10⁸).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from yingji.engines.normalize.result import Result, fail, ok
from yingji.engines.normalize.text import is_scientific, numeric_text

DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "O": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "两": 2, "贰": 2, "貳": 2, "兩": 2,
    "三": 3, "叁": 3, "參": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS: dict[str, int] = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_TENS = ("廿", "卅")

# Words that make a figure an estimate, not a number: rejected (a register needs a count).
_VAGUE = re.compile(
    r"若干|约|大约|大概|左右|上下|多|余|几|数十|数百|数千|数万|上百|上千|近|超过|以上|以下|不足|不详|未知|~|〜|±"
)
_ARABIC = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?|[+-]?\.\d+")
_SPACE_GROUPS = re.compile(r"^[+-]?\d{1,3}( \d{3})+(\.\d+)?$")
_CN_CHARS = set(DIGITS) | set(SMALL_UNITS) | set(BIG_UNITS) | set(_TENS) | {"点", "負", "负"}


def format_decimal(value: Decimal) -> str:
    """Return ``value`` as a plain decimal string without exponent or trailing zeros
    (``Decimal("2.50E+3")`` → ``"2500"``, ``Decimal("0.10")`` → ``"0.1"``, ``-0`` → ``"0"``)."""
    if value == 0:
        return "0"
    text = format(value.normalize(), "f")
    return text


def chinese_to_decimal(text: str) -> Decimal | None:
    """Parse a Chinese-numeral (or mixed Arabic + 万/亿) number, e.g. ``三`` → 3,
    ``十二`` → 12, ``两千零五`` → 2005, ``1.2万`` → 12000, ``3亿`` → 300000000,
    ``二〇二四`` → 2024 (digit by digit), ``三点五`` → 3.5, ``两千五`` → 2500 (colloquial
    omitted unit), ``廿三`` → 23.

    Returns ``None`` when ``text`` is not such a number. Never raises.
    """
    text = text.strip()
    if not text:
        return None
    sign = Decimal(1)
    if text[0] in "-负負":
        sign, text = Decimal(-1), text[1:]
    elif text[0] == "+":
        text = text[1:]
    if not text:
        return None
    if "点" in text:
        whole, _, frac = text.partition("点")
        if not frac or any(ch not in DIGITS for ch in frac):
            return None
        int_part = chinese_to_decimal(whole) if whole else Decimal(0)
        if int_part is None or int_part != int_part.to_integral_value():
            return None
        return sign * (int_part + Decimal("0." + "".join(str(DIGITS[c]) for c in frac)))
    # Digit by digit (二〇二四, 一九九八): only digits, at least two.
    if len(text) >= 2 and all(ch in DIGITS for ch in text):
        return sign * Decimal("".join(str(DIGITS[c]) for c in text))
    tokens = _tokenize(text.replace("廿", "二十").replace("卅", "三十"))
    if tokens is None:
        return None
    value = _evaluate(tokens)
    return None if value is None else sign * value


def _tokenize(text: str) -> list[tuple[str, Decimal]] | None:
    """Split into ('num', value) / ('small'|'big', unit) tokens; None on a foreign character."""
    tokens: list[tuple[str, Decimal]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        m = _ARABIC.match(text, i)
        if ch.isdigit() and m:
            tokens.append(("num", Decimal(m.group(0).replace(",", ""))))
            i = m.end()
            continue
        if ch in DIGITS:
            tokens.append(("zero" if DIGITS[ch] == 0 else "num", Decimal(DIGITS[ch])))
        elif ch in SMALL_UNITS:
            tokens.append(("small", Decimal(SMALL_UNITS[ch])))
        elif ch in BIG_UNITS:
            tokens.append(("big", Decimal(BIG_UNITS[ch])))
        else:
            return None
        i += 1
    return tokens


def _evaluate(tokens: list[tuple[str, Decimal]]) -> Decimal | None:
    total = Decimal(0)  # completed 亿 groups
    wan = Decimal(0)  # completed 万 group inside the current 亿 group
    section = Decimal(0)  # below 万
    num: Decimal | None = None
    last_unit: Decimal | None = None
    after_zero = False
    prev = ""
    for kind, val in tokens:
        if kind == "zero":
            if num is not None:
                return None
            after_zero = True
            prev = kind
            continue
        if kind == "num":
            if prev == "num":
                return None  # two numbers in a row (一二百)
            num = val
        elif kind == "small":
            if prev == "small" or (num is not None and num >= 10):
                return None
            section += (num if num is not None else Decimal(1)) * val
            num, last_unit, after_zero = None, val, False
        else:  # big
            group = section + (num or 0)
            if val == 100_000_000:
                if group == 0 and wan == 0 and total == 0 and num is None:
                    return None
                total = (total + wan + group) * val
                wan = Decimal(0)
            else:
                if group == 0 and num is None:
                    return None
                wan = group * val
            section, num, last_unit, after_zero = Decimal(0), None, val, False
        prev = kind
    if num is not None:
        # 两千五 = 2500, 一万五 = 15000: a bare trailing digit takes the next lower unit.
        if last_unit is not None and last_unit >= 10 and not after_zero and num < 10 and prev == "num":
            num = num * last_unit / 10
        section += num
    elif prev == "zero" and last_unit is None and total == 0 and wan == 0 and section == 0:
        return Decimal(0)
    return total + wan + section


# Largest and smallest magnitudes a register value may have (10^±24): anything beyond is a typing or
# export error, and refusing it keeps later arithmetic (unit conversion, rounding) bounded.
MAX_ADJUSTED_EXPONENT = 24


def parse_decimal(value: str) -> Result[Decimal]:
    """Parse a number typed by a clerk into an exact Decimal (magnitude within 10^±24).

    See :func:`_parse_decimal_unbounded` for the accepted forms; a value whose decimal
    exponent is beyond ±24 (``1e999999999``) is an error, never a slow computation.
    """
    res = _parse_decimal_unbounded(value)
    if res.valid and res.value is not None and res.value != 0:
        if abs(res.value.adjusted()) > MAX_ADJUSTED_EXPONENT:
            return fail(f"“{numeric_text(value)[:40]}”超出可处理的数值范围 (magnitude beyond 10^±24)")
    return res


def _parse_decimal_unbounded(value: str) -> Result[Decimal]:
    """Parse a number typed by a clerk into an exact Decimal.

    Accepts Arabic digits with ``,`` (or space) thousands separators in groups of
    three, full-width digits, Unicode minus/dash signs, Chinese numerals and mixed
    forms (``1.2万``, ``3亿``, ``两千零五``). Scientific notation is accepted with a
    warning (digits may have been lost by Excel).

    Errors (``valid=False``, never raised): empty cell, estimates such as ``若干``,
    ``约100``, ``100多``, ``十余``, anything else that is not a number.
    """
    text = numeric_text(value)
    if not text:
        return fail("空值 (empty)")
    if _VAGUE.search(text):
        return fail(f"“{text}”不是确切的数字,请填写具体数值 (an estimate, not a number)")
    compact = text.replace(" ", "") if _SPACE_GROUPS.match(text) else text
    if is_scientific(compact):
        try:
            return ok(
                Decimal(compact), ("科学计数法,Excel可能已丢失位数 (scientific notation; check precision)",)
            )
        except InvalidOperation:  # pragma: no cover - regex guarantees syntax
            return fail(f"“{text}”不是数字 (not a number)")
    m = _ARABIC.fullmatch(compact)
    if m:
        return ok(Decimal(compact.replace(",", "")))
    if "," in compact and re.fullmatch(r"[+-]?[\d,]+(\.\d+)?", compact):
        return fail(f"“{text}”的千位分隔符位置不对 (thousands separators must group 3 digits)")
    if all(ch in _CN_CHARS or ch.isdigit() or ch in ".,+-" for ch in compact):
        parsed = chinese_to_decimal(compact)
        if parsed is not None:
            return ok(parsed)
    return fail(f"“{text}”不是数字 (not a number)")


def parse_number(value: str) -> Result[str]:
    """Normalise a number to an exact decimal string (see :func:`parse_decimal`).

    Returns ``Result[str]`` whose value is e.g. ``"12000"`` for ``1.2万``,
    ``"1234.5"`` for ``1,234.50``. Never raises.
    """
    res = parse_decimal(value)
    if not res.valid or res.value is None:
        return Result(False, None, res.warnings, res.error)
    return ok(format_decimal(res.value), res.warnings)


def parse_count(value: str) -> Result[int]:
    """Normalise a head count or capacity (persons): a non-negative integer.

    Errors: not a number, negative, or fractional (``2.5人``). A trailing ``人``/``个``
    is allowed. Never raises.
    """
    text = numeric_text(value)
    for suffix in ("人次", "人", "个", "名", "户"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    res = parse_decimal(text)
    if not res.valid or res.value is None:
        return Result(False, None, res.warnings, res.error)
    if res.value < 0:
        return fail(f"人数不能为负 (negative count {format_decimal(res.value)})")
    if res.value != res.value.to_integral_value():
        return fail(f"人数须为整数 (not a whole number: {format_decimal(res.value)})")
    return ok(int(res.value), res.warnings)
