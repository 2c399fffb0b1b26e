"""CAP severity ↔ Chinese warning colour and level.

Sources: GB/T 35965.1-2018 (CAP profile for China, severity mapping of the four
colour levels); 《国家突发公共事件总体应急预案》(2006) §1.5 and
《气象灾害预警信号发布与传播办法》(CMA Order No. 16, 2007): four levels
Ⅰ 特别严重 红色, Ⅱ 严重 橙色, Ⅲ 较重 黄色, Ⅳ 一般 蓝色.

Mapping used: Extreme = 红色 / Ⅰ级, Severe = 橙色 / Ⅱ级, Moderate = 黄色 / Ⅲ级,
Minor = 蓝色 / Ⅳ级. Unknown has no colour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class WarningLevel:
    """One of the four Chinese warning levels."""

    severity: str  # CAP severity
    colour_zh: str  # 红色...
    colour_en: str  # red...
    level: str  # Ⅰ级...
    level_number: int  # 1..4
    gravity_zh: str  # 特别严重...


LEVELS: tuple[WarningLevel, ...] = (
    WarningLevel("Extreme", "红色", "red", "Ⅰ级", 1, "特别严重"),
    WarningLevel("Severe", "橙色", "orange", "Ⅱ级", 2, "严重"),
    WarningLevel("Moderate", "黄色", "yellow", "Ⅲ级", 3, "较重"),
    WarningLevel("Minor", "蓝色", "blue", "Ⅳ级", 4, "一般"),
)
_BY_SEVERITY = {lv.severity: lv for lv in LEVELS}
_COLOUR_WORDS: tuple[tuple[str, str], ...] = (
    # simplified, traditional, English; order matters only within the same text
    ("红", "Extreme"),
    ("紅", "Extreme"),
    ("橙", "Severe"),
    ("黄", "Moderate"),
    ("黃", "Moderate"),
    ("蓝", "Minor"),
    ("藍", "Minor"),
)
_ZH_RE = re.compile(r"(红|紅|橙|黄|黃|蓝|藍)色?(?:预警|預警|警报|警報|警戒|信号|信號)")
_ROMAN_RE = re.compile(r"(Ⅰ|Ⅱ|Ⅲ|Ⅳ|IV|III|II|I)\s*级")
_EN_RE = re.compile(r"\b(red|orange|yellow|blue)\b[\s-]*(?:warning|alert|signal|level)", re.IGNORECASE)
_ROMAN = {"Ⅰ": 1, "I": 1, "Ⅱ": 2, "II": 2, "Ⅲ": 3, "III": 3, "Ⅳ": 4, "IV": 4}
_EN = {"red": "Extreme", "orange": "Severe", "yellow": "Moderate", "blue": "Minor"}


def level_for_severity(severity: str) -> WarningLevel | None:
    """The Chinese level for a CAP severity (``None`` for Unknown or anything else)."""
    return _BY_SEVERITY.get(severity.strip())


def severity_for_colour(colour: str) -> str | None:
    """CAP severity for a colour name: 红/红色/red → Extreme ... 蓝/blue → Minor; ``None`` if unknown."""
    text = colour.strip().lower()
    if text in _EN:
        return _EN[text]
    for word, severity in _COLOUR_WORDS:
        if text.startswith(word):
            return severity
    return None


def severity_for_level(level: int) -> str | None:
    """CAP severity for level 1..4 (Ⅰ = Extreme ... Ⅳ = Minor); ``None`` otherwise."""
    for lv in LEVELS:
        if lv.level_number == level:
            return lv.severity
    return None


def detect_level(text: str) -> WarningLevel | None:
    """Find the warning colour/level named in a Chinese (or English) event or headline text.

    Looks for "<colour>色预警/信号/警报" ("雷电黄色预警", "暴雨紅色警戒"), then "Ⅲ级"/"III级",
    then English "yellow warning". Returns ``None`` when no level is named.
    """
    m = _ZH_RE.search(text)
    if m:
        sev = severity_for_colour(m.group(1))
        return _BY_SEVERITY[sev] if sev else None
    m = _ROMAN_RE.search(text)
    if m:
        sev = severity_for_level(_ROMAN[m.group(1)])
        return _BY_SEVERITY[sev] if sev else None
    m = _EN_RE.search(text)
    if m:
        return _BY_SEVERITY[_EN[m.group(1).lower()]]
    return None
