"""Dates as county clerks write them, normalised to ISO 8601 (``YYYY-MM-DD``).

Forms: ``2024年3月5日``/``3月5号``, ``2024.3.5``, ``2024/3/5``, ``2024-03-05``,
``20240305``, Chinese numerals (``二〇二四年三月五日``), Excel serial day numbers,
two-digit years (warning) and dates without a year (year from context).

Excel serial dates (ECMA-376 Part 1 §18.17.4.1, 1900 date system): serial 1 is
1900-01-01; Excel keeps Lotus 1-2-3's fictitious 1900-02-29 as serial 60, so serial
60 is rejected and serials ≥ 61 count from 1899-12-30 (61 = 1900-03-01). The 1904
system (Mac) is not used by WPS/Excel-for-Windows files and is not supported here.

Two-digit years follow Excel's rule: 00-29 → 2000-2029, 30-99 → 1930-1999.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from yingji.engines.normalize.numbers import DIGITS, chinese_to_decimal
from yingji.engines.normalize.result import Result, fail, ok
from yingji.engines.normalize.text import numeric_text

MIN_YEAR = 1850
MAX_YEAR = 2199
SERIAL_MAX = 2_958_465  # 9999-12-31, ECMA-376

_SEP = r"\s*[-/.年]\s*"
_SEP2 = r"\s*[-/.月]\s*"
_YMD = re.compile(rf"^(?P<y>\d{{4}}|\d{{2}}){_SEP}(?P<m>\d{{1,2}}){_SEP2}(?P<d>\d{{1,2}})\s*[日号]?$")
_COMPACT = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")
_MD = re.compile(r"^(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?$")
_DMY = re.compile(r"^(?P<a>\d{1,2})\s*[-/.]\s*(?P<b>\d{1,2})\s*[-/.]\s*(?P<y>\d{4})$")
_YM = re.compile(rf"^(?P<y>\d{{4}}){_SEP}(?P<m>\d{{1,2}})\s*月?$")
_TIME = re.compile(r"^(?P<date>.+?)[ T]+(?P<h>\d{1,2}):(?P<mi>\d{2})(:(?P<s>\d{2})(\.\d+)?)?$")
_SERIAL = re.compile(r"^\d{1,7}(\.\d+)?$")
_CN_DATE = re.compile(
    r"^(?:(?P<y>[〇○零O一二三四五六七八九\d]{2,4})年)?(?P<m>[^年月]{1,3})月(?P<d>[^月日号]{1,3})[日号]?$"
)
_EXCEL_EPOCH = date(1899, 12, 30)


def excel_serial_to_date(serial: float) -> Result[str]:
    """Convert an Excel 1900-system serial day number to an ISO date.

    ``1`` → 1900-01-01, ``59`` → 1900-02-28, ``60`` → error (the fictitious
    1900-02-29 of the Lotus leap-year bug), ``61`` → 1900-03-01, ``45356`` →
    2024-03-05. A fractional part (time of day) is dropped with a warning.
    Errors: serial < 1, = 60, or beyond 9999-12-31. Never raises.
    """
    whole = int(serial)
    warnings: list[str] = []
    if serial != whole:
        warnings.append("已舍去时间部分 (time of day dropped)")
    if whole < 1 or whole > SERIAL_MAX:
        return fail(f"Excel日期序号{serial}超出范围 (serial out of range)")
    if whole == 60:
        return fail("Excel日期序号60是不存在的1900-02-29 (serial 60 is Excel's fictitious 1900-02-29)")
    if whole < 60:
        return ok((date(1899, 12, 31) + timedelta(days=whole)).isoformat(), warnings)
    return ok((_EXCEL_EPOCH + timedelta(days=whole)).isoformat(), warnings)


def _build(y: int, m: int, d: int, warnings: list[str]) -> Result[str]:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return fail(f"年份{y}超出范围 (year outside {MIN_YEAR}-{MAX_YEAR})")
    try:
        return ok(date(y, m, d).isoformat(), warnings)
    except ValueError:
        return fail(f"不存在的日期 {y}-{m:02d}-{d:02d} (no such date)")


def _two_digit(yy: int, warnings: list[str]) -> int:
    year = 2000 + yy if yy < 30 else 1900 + yy
    warnings.append(f"两位年份{yy:02d}按{year}年处理 (two-digit year read as {year})")
    return year


def _cn_int(text: str) -> int | None:
    value = chinese_to_decimal(text)
    if value is None or value != value.to_integral_value():
        return None
    return int(value)


def parse_date(value: str, *, context_year: int | None = None, from_number: bool = False) -> Result[str]:
    """Normalise a date to ISO ``YYYY-MM-DD``.

    Args:
        value: the cell text.
        context_year: year to use when the date has none (``3月5日``), taken from the
            sheet title or report period by the caller.
        from_number: the spreadsheet cell held a number (an Excel serial date).

    A bare whole number of up to 5 digits (or any number from a numeric cell) is an
    Excel serial date (warning when it came as text), except a 4-digit year alone
    (``2024`` is an error: month and day missing). A time of day is dropped (warning
    unless it is 00:00:00). Errors: no year and no ``context_year``, ambiguous
    day/month order, impossible dates, year outside 1850-2199, anything else.
    Never raises.
    """
    text = numeric_text(value)
    if not text:
        return fail("空值 (empty)")
    warnings: list[str] = []
    tm = _TIME.match(text)
    if tm:
        text = tm.group("date").strip()
        if (int(tm.group("h")), int(tm.group("mi")), int(tm.group("s") or 0)) != (0, 0, 0):
            warnings.append("已舍去时间部分 (time of day dropped)")
    if _SERIAL.match(text) and (from_number or (text.isdigit() and len(text) <= 5)):
        if not from_number and len(text) == 4 and MIN_YEAR <= int(text) <= MAX_YEAR:
            return fail(f"“{text}”只有年份,缺少月和日 (a year only; month and day missing)")
        res = excel_serial_to_date(float(text))
        if res.valid and not from_number:
            warnings.append(f"数字{text}按Excel日期序号处理 (read as an Excel serial date)")
        return res.with_warnings(*warnings)
    m = _COMPACT.match(text)
    if m:
        return _build(int(m["y"]), int(m["m"]), int(m["d"]), warnings)
    m = _YMD.match(text)
    if m:
        year = int(m["y"])
        if len(m["y"]) == 2:
            year = _two_digit(year, warnings)
        return _build(year, int(m["m"]), int(m["d"]), warnings)
    m = _DMY.match(text)
    if m:
        a, b = int(m["a"]), int(m["b"])
        if a > 12 >= b:
            warnings.append("按日/月/年顺序读取 (read as day/month/year)")
            return _build(int(m["y"]), b, a, warnings)
        if b > 12 >= a:
            warnings.append("按月/日/年顺序读取 (read as month/day/year)")
            return _build(int(m["y"]), a, b, warnings)
        return fail(f"无法确定“{text}”的月和日顺序,请写成{m['y']}-MM-DD (ambiguous day/month order)")
    if _YM.match(text):
        return fail(f"“{text}”缺少日 (day missing)")
    m = _MD.match(text)
    if m:
        return _no_year(int(m["m"]), int(m["d"]), context_year, warnings)
    m = _CN_DATE.match(text.replace(" ", ""))
    if m:
        month, day = _cn_int(m["m"]), _cn_int(m["d"])
        if month is None or day is None:
            return fail(f"无法识别的日期“{text}” (not a date)")
        if m["y"] is None:
            return _no_year(month, day, context_year, warnings)
        ytext = m["y"]
        if all(c.isdigit() for c in ytext):
            year = int(ytext)
        elif all(c in DIGITS for c in ytext):
            year = int("".join(str(DIGITS[c]) for c in ytext))
        else:
            return fail(f"无法识别的年份“{ytext}” (not a year)")
        if len(ytext) == 2:
            year = _two_digit(year, warnings)
        return _build(year, month, day, warnings)
    return fail(f"无法识别的日期“{text}” (not a date)")


def _no_year(month: int, day: int, context_year: int | None, warnings: list[str]) -> Result[str]:
    if context_year is None:
        return fail("日期缺少年份,且未给出报表年度 (no year in the date and no context year)")
    warnings.append(f"年份取自报表年度{context_year} (year taken from context)")
    return _build(context_year, month, day, warnings)


_YEAR_IN_TITLE = re.compile(r"(?<!\d)(19[5-9]\d|2[01]\d\d)\s*年")
_CN_YEAR_IN_TITLE = re.compile(r"([〇○零一二三四五六七八九]{4})年")


def year_from_title(title: str) -> int | None:
    """Return the report year stated in a sheet title or period (``2024年度…``,
    ``二〇二四年…``), or ``None``. Used as ``context_year``. Never raises."""
    text = numeric_text(title)
    m = _YEAR_IN_TITLE.search(text)
    if m:
        return int(m.group(1))
    m = _CN_YEAR_IN_TITLE.search(text)
    if m:
        return int("".join(str(DIGITS[c]) for c in m.group(1)))
    return None
