"""Chinese prose for the grading engine's notation, for pages, desk events and report drafts.

The stored record keeps the engine's notation (``Incident.grade_reasons`` such as
``deaths 3 ≥ 3 → 较大``; a grade-change timeline entry's ``summary`` and ``payload``), and the
API returns it unchanged. People read prose instead:

* ``deaths 3 ≥ 3 → 较大`` → ``死亡3人，达到较大事故标准（3人以上）`` (国务院令第493号 wording:
  以上包括本数);
* ``deaths 2 < 3 → 一般`` → ``死亡2人，未达到较大事故标准（3人）``;
* a county rule-table hit ``missing 5 > 3 → 较大`` → ``失踪5人，达到较大级别标准（超过3人）``;
* ``no grading thresholds for natural_disaster (自然灾害) in <file>`` →
  ``<file>未规定自然灾害的分级标准，暂不定级``; a rule table's note on a category without
  thresholds (``natural_disaster (自然灾害): …``) →
  ``自然灾害暂无数值分级标准，暂不定级（按有关专项应急预案或规定定级）``;
* a grade change ``一般 → 较大 (upgrade): …`` → ``等级由一般升为较大（…）``.

Anything of another shape is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from yingji.engines.incidents import CategoryError, parse_category

# Engine reason subjects (``engines.incidents.model.INDICATOR_LABELS``) → (Chinese wording, unit).
REASON_WORDS = {
    "deaths": ("死亡", "人"),
    "serious injuries": ("重伤（含急性工业中毒）", "人"),
    "direct loss": ("直接经济损失", "元"),
    "missing": ("失踪", "人"),
}
_REASON = re.compile(r"^(?P<what>[a-z ]+) (?P<value>\S+) (?P<op>[≥<>]) (?P<bound>\S+) → (?P<grade>\S+)$")
_NO_THRESHOLDS = re.compile(r"^no grading thresholds for (?P<cat>\w+)(?: \([^)]*\))? in (?P<origin>.+)$")
_BELOW_ALL = re.compile(r"^below every threshold of (?P<origin>.+) for (?P<cat>\w+): .*$")
_DECLARATION = re.compile(r"^(?P<cat>[a-z_]+) \([^)]*\): .+$")  # a rule table's note for a category
UNGRADED = "未定级"


def money_zh(value: Decimal | str) -> str:
    """CNY as official prose: ``6000万元`` from 10,000 up, else ``2500元``."""
    amount = Decimal(str(value))
    if amount >= 10000:
        return f"{(amount / 10000).quantize(Decimal('0.01')).normalize():f}万元"
    return f"{amount.quantize(Decimal('1')):f}元"


def _amount(value: str, unit: str) -> str:
    if unit != "元":
        return f"{value}{unit}"
    try:
        return money_zh(value)
    except InvalidOperation:
        return f"{value}元"


def _category_zh(key: str) -> str:
    try:
        return parse_category(key).name_zh
    except CategoryError:
        return key


def reason_zh(reason: str, *, accident: bool = True) -> str:
    """One engine reason as prose (``accident``: 事故 wording of 国务院令第493号, else 级别).

    Returns the reason unchanged when its shape is unknown.
    """
    text = str(reason)
    m = _REASON.match(text)
    if m is not None:
        label, unit = REASON_WORDS.get(m.group("what"), (m.group("what"), ""))
        value, bound = _amount(m.group("value"), unit), _amount(m.group("bound"), unit)
        standard = "事故标准" if accident else "级别标准"
        op = m.group("op")
        if op == "≥":
            return f"{label}{value}，达到{m.group('grade')}{standard}（{bound}以上）"
        if op == ">":
            return f"{label}{value}，达到{m.group('grade')}{standard}（超过{bound}）"
        return f"{label}{value}，未达到较大{standard}（{bound}）"
    m = _NO_THRESHOLDS.match(text)
    if m is not None:
        return f"{m.group('origin')}未规定{_category_zh(m.group('cat'))}的分级标准，暂不定级"
    m = _BELOW_ALL.match(text)
    if m is not None:
        return f"未达到{m.group('origin')}规定的{_category_zh(m.group('cat'))}最低分级标准，暂不定级"
    m = _DECLARATION.match(text)
    if m is not None and _category_zh(m.group("cat")) != m.group("cat"):
        return f"{_category_zh(m.group('cat'))}暂无数值分级标准，暂不定级（按有关专项应急预案或规定定级）"
    return text


def reasons_prose(reasons: Iterable[str], *, accident: bool = True) -> list[str]:
    """Every reason as prose (see :func:`reason_zh`)."""
    return [reason_zh(r, accident=accident) for r in reasons]


def grade_change_headline(change: Mapping[str, Any]) -> str:
    """The grade change of a ``GradeChange.to_dict()`` in words: ``等级由一般升为较大``."""
    old = change.get("old_grade_zh") or UNGRADED
    new = change.get("new_grade_zh") or UNGRADED
    direction = change.get("direction")
    if direction == "initial":
        return f"初判等级为{new}"
    if direction == "upgrade":
        return f"等级由{old}升为{new}"
    if direction == "downgrade":
        return f"等级由{old}降为{new}"
    if direction == "cleared":
        return f"取消定级（原为{old}）"
    return f"等级仍为{new}"


def grade_change_zh(change: Mapping[str, Any], *, accident: bool = True) -> str:
    """Headline and reasons of a ``GradeChange.to_dict()``: ``等级由一般升为较大：死亡3人，…``."""
    reasons = "；".join(reasons_prose(change.get("reasons") or (), accident=accident))
    headline = grade_change_headline(change)
    return f"{headline}：{reasons}" if reasons else headline
