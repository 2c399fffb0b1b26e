"""Chinese telephone numbers: mobile and fixed-line (landline) forms.

Numbering plan: 《电信网编号计划》(MIIT, 2017 edition): mobile numbers are 11 digits
starting ``1[3-9]``; fixed-line numbers are a long-distance area code (``010``,
``02X``: 3 digits; all others ``0XXX``: 4 digits, e.g. 0996 for 巴音郭楞) followed by a
7- or 8-digit subscriber number that does not start with 0. The country code
+86 / 0086 is dropped (after +86 a landline area code loses its leading 0).
"""

from __future__ import annotations

import re

from yingji.engines.normalize.result import Result, fail, ok
from yingji.engines.normalize.text import code_number_problem, numeric_text

_MOBILE = re.compile(r"1[3-9]\d{9}")
_EXT = re.compile(r"^(?P<main>.+?)\s*(?:转|分机|ext\.?|x|#|-)\s*(?P<ext>\d{1,6})$", re.IGNORECASE)
_SEP = re.compile(r"[\s\-()（）.]")
_MULTI = re.compile(r"[/、;,，；]|\s或\s|或")


def _area_split(digits: str) -> tuple[str, str] | None:
    """Split ``0XXXNNNNNNN`` into (area code, subscriber); None when no valid split."""
    if not digits.startswith("0") or len(digits) < 3:
        return None
    area_len = 3 if digits[1] in "12" else 4
    area, sub = digits[:area_len], digits[area_len:]
    if len(sub) in (7, 8) and sub[0] != "0":
        return area, sub
    return None


def parse_phone(
    value: str, *, default_area_code: str | None = None, from_number: bool = False
) -> Result[str]:
    """Normalise a phone number.

    Returns ``Result[str]``: a mobile number as 11 digits (``13800138000``), a landline
    as ``"areacode-number"`` (``0996-6021234``), with ``-extension`` appended when
    one is given (``0996-6021234-801``, written 转801/分机801/ext801 by clerks).

    Spaces, hyphens, dots, brackets, full-width digits and the +86/0086 prefix are
    accepted. A landline without area code is accepted only when
    ``default_area_code`` is given (with a warning). Errors: several numbers in one
    cell, Excel scientific notation, anything that fits neither form. Never raises.
    """
    text = numeric_text(value)
    if not text:
        return fail("空值 (empty)")
    problem = code_number_problem(text, from_number=from_number, what="电话号码")
    if problem:
        return fail(problem)
    if _MULTI.search(text):
        return fail(f"一个单元格只能填一个号码: {text} (one number per cell)")
    warnings: list[str] = []
    ext = ""
    m = _EXT.match(text)
    if m:
        main_digits = re.sub(r"\D", "", m.group("main"))
        # A trailing "-NNN" is an extension only when what precedes is a full landline.
        if _area_split(main_digits) or (main_digits[:1] not in ("0", "1", "") and len(main_digits) in (7, 8)):
            text, ext = m.group("main"), m.group("ext")
    compact = _SEP.sub("", text)
    if compact.startswith("+86"):
        compact = compact[3:]
        if compact and compact[0] != "1" and not compact.startswith("0"):
            compact = "0" + compact
    elif compact.startswith("0086"):
        compact = compact[4:]
        if compact and compact[0] != "1" and not compact.startswith("0"):
            compact = "0" + compact
    elif compact.startswith("86") and len(compact) == 13 and _MOBILE.fullmatch(compact[2:]):
        compact = compact[2:]
    if not compact.isascii() or not compact.isdigit():
        return fail(f"电话号码含非数字字符: {value.strip()} (not a phone number)")
    if _MOBILE.fullmatch(compact):
        if ext:
            return fail("手机号码不能有分机号 (a mobile number has no extension)")
        return ok(compact, warnings)
    if compact.startswith("1") and len(compact) == 11:
        return fail(f"手机号码号段无效: {compact} (mobile numbers start 13-19)")
    if compact.startswith("1") and len(compact) != 11:
        return fail(f"手机号码应为11位,实为{len(compact)}位: {compact} (mobile numbers have 11 digits)")
    split = _area_split(compact)
    if split is None and not compact.startswith("0") and len(compact) in (7, 8) and compact[0] not in "01":
        if default_area_code is None:
            return fail(f"固定电话缺少区号: {compact} (landline without area code)")
        warnings.append(f"补充区号{default_area_code} (area code {default_area_code} assumed)")
        split = (default_area_code, compact)
    if split is None:
        return fail(f"无法识别的电话号码: {value.strip()} (neither mobile nor landline)")
    area, sub = split
    return ok(f"{area}-{sub}" + (f"-{ext}" if ext else ""), warnings)
