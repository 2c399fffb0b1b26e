"""Citizen ID numbers (GB 11643-1999) and unified social credit codes (GB 32100-2015).

* GB 11643-1999 《公民身份号码》: 6-digit address code (GB/T 2260), 8-digit birth date,
  3-digit sequence (odd = male, even = female, clause 4.3/4.4), check character by
  ISO 7064:1983 MOD 11-2 (clause 4.5 and annex A): weights Wi = 2^(i-1) mod 11 for
  positions 18..2 (7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2), check = (12 - S mod 11) mod 11,
  10 written ``X``. Worked example in the standard: 11010519491231002X.
  15-digit numbers (issued before 1999) have a 2-digit year and no check character;
  they are upgraded by inserting ``19`` and computing the check character.
* GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》: 18 characters over the
  31-character set 0-9 A-H J-N P-R T-U W-Y (no I O Z S V), clause 4; the 18th is a
  check character computed over positions 1-17 with weights Wi = 3^(i-1) mod 31
  (1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28) and C18 = 31 - (Σ Ci·Wi mod 31)
  (31 → 0), annex B. Positions 9-17 are the GB 11714-1997 organisation code, whose
  own check (weights 3 7 9 10 5 8 4 2, C9 = 11 - S mod 11, 10 → X, 11 → 0) is
  checked and reported as a warning only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from yingji.engines.normalize.result import Result, fail, ok
from yingji.engines.normalize.text import code_number_problem, numeric_text

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
# GB/T 2260 province-level codes (plus 83 for Taiwan-resident permits and 91 for
# permanent-residence IDs of foreigners since 2023).
PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 "
    "71 81 82 83 91".split()
)
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

_SEPARATORS = re.compile(r"[\s\-_]")


@dataclass(frozen=True)
class CitizenIdFacts:
    """What an 18-character citizen ID states.

    Attributes:
        region_code: 6-digit address code (GB/T 2260) of first registration.
        birth_date: date of birth.
        sex: ``"男"`` (odd sequence digit) or ``"女"`` (even), GB 11643-1999 clause 4.3.
    """

    region_code: str
    birth_date: date
    sex: str


def id_check_char(first17: str) -> str:
    """Return the GB 11643-1999 check character for 17 digits (ISO 7064 MOD 11-2).

    Raises:
        ValueError: ``first17`` is not 17 ASCII digits (programming error, not user data).
    """
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("need 17 digits")
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def id_check_char_or_none(first17: str) -> str | None:
    """Like :func:`id_check_char` but ``None`` instead of raising for bad input."""
    try:
        return id_check_char(first17)
    except ValueError:
        return None


def _birth(text: str) -> date | None:
    try:
        return date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def parse_citizen_id(value: str, *, from_number: bool = False) -> Result[str]:
    """Normalise a citizen ID number to 18 characters (GB 11643-1999).

    Lower-case ``x`` is stored as ``X``; spaces/hyphens are removed; a 15-digit
    ID is upgraded to 18 (``19`` inserted, check computed) with a warning.

    Errors: scientific notation / Excel number (lost digits), wrong length or
    characters, impossible birth date, wrong check character. Unknown province
    code is a warning. Never raises.
    """
    text = numeric_text(value)
    if not text:
        return fail("空值 (empty)")
    problem = code_number_problem(text, from_number=from_number, what="身份证号")
    if problem:
        return fail(problem)
    warnings: list[str] = []
    compact = _SEPARATORS.sub("", text)
    if compact != text:
        warnings.append("已去掉空格/连字符 (spaces or hyphens removed)")
    if compact.endswith("x"):
        compact = compact[:-1] + "X"
    if len(compact) == 15:
        if not compact.isdigit():
            return fail(f"15位身份证号只能是数字: {compact} (15-digit ID must be all digits)")
        if _birth("19" + compact[6:12]) is None:
            return fail(f"身份证号中的出生日期无效: 19{compact[6:12]} (invalid birth date)")
        body = compact[:6] + "19" + compact[6:]
        upgraded = body + id_check_char(body)
        warnings.append(f"15位身份证号已升级为18位: {upgraded} (15-digit ID upgraded to 18)")
        compact = upgraded
    elif len(compact) != 18:
        return fail(f"身份证号应为18位,实为{len(compact)}位 (expected 18 characters, got {len(compact)})")
    if not compact[:17].isascii() or not compact[:17].isdigit() or compact[17] not in "0123456789X":
        return fail(f"身份证号含非法字符: {compact} (only digits and a final X allowed)")
    if compact[:2] not in PROVINCES:
        warnings.append(f"未知的省级代码 {compact[:2]} (unknown province code)")
    birth = _birth(compact[6:14])
    if birth is None or birth.year < 1850:
        return fail(f"身份证号中的出生日期无效: {compact[6:14]} (invalid birth date)")
    expected = id_check_char(compact[:17])
    if compact[17] != expected:
        return fail(
            f"身份证号校验位错误: 末位应为{expected},实为{compact[17]} "
            f"(check character should be {expected}, GB 11643-1999)"
        )
    return ok(compact, warnings)


def citizen_id_facts(id18: str) -> CitizenIdFacts:
    """Return region code, birth date and sex stated by a *valid* 18-character ID.

    Raises:
        ValueError: ``id18`` is not a valid ID (call :func:`parse_citizen_id` first).
    """
    value = id18
    birth = _birth(value[6:14]) if len(value) == 18 else None
    if birth is None or value[17:] != id_check_char_or_none(value[:17]):
        raise ValueError(f"not a valid 18-character citizen ID: {id18!r}")
    return CitizenIdFacts(value[:6], birth, "男" if int(value[16]) % 2 else "女")


_SEX = {
    "男": "男", "男性": "男", "m": "男", "male": "男", "1": "男",
    "女": "女", "女性": "女", "f": "女", "female": "女", "2": "女",
}  # fmt: skip


def parse_sex(value: str) -> Result[str]:
    """Normalise sex to ``"男"``/``"女"`` (GB/T 2261.1-2003 codes 1/2 accepted, as are M/F).

    Errors: empty or anything else (codes 0 未知 and 9 未说明 are rejected: a register
    entry needs one). Never raises.
    """
    text = numeric_text(value).lower()
    if text in _SEX:
        return ok(_SEX[text])
    return fail(f"无法识别的性别“{value}” (sex must be 男 or 女)")


def compare_citizen_id(
    id18: str, *, birth_date: str | None = None, sex: str | None = None
) -> tuple[str, ...]:
    """Compare a valid ID with other columns; return mismatch messages (empty = consistent).

    Args:
        id18: a valid 18-character ID (see :func:`parse_citizen_id`).
        birth_date: ISO date from the birth-date column, or ``None`` to skip.
        sex: ``"男"``/``"女"`` from the sex column, or ``None`` to skip.

    Raises:
        ValueError: ``id18`` is not valid.
    """
    facts = citizen_id_facts(id18)
    problems: list[str] = []
    if birth_date is not None and birth_date != facts.birth_date.isoformat():
        problems.append(
            f"出生日期{birth_date}与身份证号中的{facts.birth_date.isoformat()}不一致"
            " (birth date differs from ID)"
        )
    if sex is not None and sex != facts.sex:
        problems.append(f"性别{sex}与身份证号({facts.sex})不一致 (sex differs from ID)")
    return tuple(problems)


def uscc_check_char(first17: str) -> str:
    """Return the GB 32100-2015 check character for the first 17 characters.

    Raises:
        ValueError: a character outside the 31-character set, or wrong length.
    """
    if len(first17) != 17 or any(c not in USCC_ALPHABET for c in first17):
        raise ValueError("need 17 characters over the GB 32100 alphabet")
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str | None:
    """Return the GB 11714-1997 check character for an 8-character organisation code body
    (digits 0-9 and letters A-Z valued 10-35), or ``None`` if a character is not allowed."""
    if len(first8) != 8:
        return None
    total = 0
    for ch, w in zip(first8, ORG_WEIGHTS, strict=True):
        if ch.isdigit():
            total += int(ch) * w
        elif "A" <= ch <= "Z":
            total += (ord(ch) - 55) * w
        else:
            return None
    c9 = 11 - total % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def parse_uscc(value: str, *, from_number: bool = False) -> Result[str]:
    """Normalise a unified social credit code (GB 32100-2015) to 18 upper-case characters.

    Errors: Excel number/scientific notation, wrong length, a character outside the
    31-character set (I, O, Z, S, V are never used). A wrong check character is an
    error flagged ``overridable=True`` (an authorised user may accept it with a
    reason: old certificates with typos exist). Never raises.
    """
    text = numeric_text(value)
    if not text:
        return fail("空值 (empty)")
    problem = code_number_problem(text, from_number=from_number, what="统一社会信用代码")
    if problem:
        return fail(problem)
    warnings: list[str] = []
    compact = _SEPARATORS.sub("", text)
    if compact != compact.upper():
        warnings.append("小写字母已改为大写 (lower case converted to upper case)")
        compact = compact.upper()
    if len(compact) != 18:
        return fail(f"统一社会信用代码应为18位,实为{len(compact)}位 (expected 18 characters)")
    bad = sorted({c for c in compact if c not in USCC_ALPHABET})
    if bad:
        return fail(f"统一社会信用代码含不允许的字符 {''.join(bad)} (GB 32100-2015 uses no I, O, Z, S, V)")
    if not compact[2:8].isdigit():
        warnings.append("第3-8位应为行政区划代码 (positions 3-8 should be a division code)")
    expected = uscc_check_char(compact[:17])
    if compact[17] != expected:
        return fail(
            f"统一社会信用代码校验位错误: 末位应为{expected},实为{compact[17]};"
            "如确认证照如此,可由授权人员填写理由后强制通过 "
            f"(check character should be {expected}; overridable with a reason)",
            warnings,
            overridable=True,
        )
    org = org_code_check_char(compact[8:16])
    if org is not None and org != compact[16]:
        warnings.append("第9-17位组织机构代码校验位不符合GB 11714 (organisation code check fails)")
    return ok(compact, warnings)
