"""Monitoring in Chinese words, for pages, notifications and services alike (no template tags).

The alarm engine and the stored ``AlarmEvent`` rows speak ISA-18.2 notation (``raise`` with
``N→H``, levels ``H``/``HH``/``L``/``LL``/``ROC``/``OFFLINE``); the API returns it unchanged.
People read words: :func:`level_zh` (``HH`` → 高高报), :func:`alarm_event_zh` (``raise`` N→H →
进入高报, ``escalate`` H→HH → 由高报升级为高高报, ``clear`` → 高报恢复正常, ``suppressed`` →
进入高报（维护期间，已抑制）). ``templatetags/monitoring_tags.py`` registers these as filters;
``alerting`` builds notification texts with them.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yingji.apps.accounts.roles import Role

LEVELS = {
    "N": gettext_lazy("正常"),
    "H": gettext_lazy("高报"),
    "HH": gettext_lazy("高高报"),
    "L": gettext_lazy("低报"),
    "LL": gettext_lazy("低低报"),
    "ROC": gettext_lazy("变化率超限"),
    "OFFLINE": gettext_lazy("离线"),
}
#: Person actions recorded as events (``services``), in words.
ACTIONS = {
    "acknowledged": gettext_lazy("已确认"),
    "handled": gettext_lazy("已登记处置"),
    "closed": gettext_lazy("已关闭"),
    "unshelved": gettext_lazy("已取消搁置"),
    "offline": gettext_lazy("设备离线"),
    "online": gettext_lazy("设备恢复在线"),
}
#: Why a raise was suppressed (``AlarmEvent.detail`` of a ``suppressed`` row), in words.
SUPPRESSION_REASONS = {
    "maintenance": gettext_lazy("维护期间，已抑制"),
    "out_of_service": gettext_lazy("测点停用，已抑制"),
}
#: Events whose ``detail`` is already part of the words (not repeated in the notes column).
DETAIL_IN_WORDS = frozenset({"escalated", "shelved", "incident", "suppressed"})


def level_zh(code: str | None) -> str:
    """An alarm level code in words (``HH`` → 高高报); unknown codes as they are, "—" for none."""
    if not code:
        return "—"
    return str(LEVELS.get(code, code))


def limit_for_level(point: Any, level: str) -> float | None:
    """The limit of ``point`` that level ``level`` crosses (``HH`` → ``point.hh``), or None."""
    field = {"H": "h", "HH": "hh", "L": "l", "LL": "ll"}.get(level)
    return getattr(point, field) if field else None


def _escalated(detail: str) -> str:
    role, _sep, count = detail.partition(":")
    try:
        who = str(Role(role.strip()).label)
    except ValueError:
        who = role.strip()
    return _("未确认，已升级通知%(who)s（%(n)s人）") % {"who": who, "n": count.strip() or "0"}


def _shelved(detail: str) -> str:
    until = parse_datetime(detail) if detail else None
    if until is None:
        return _("已搁置")
    return _("已搁置至%(until)s") % {"until": timezone.localtime(until).strftime("%m-%d %H:%M")}


def _suppressed(event: Any) -> str:
    if event.to_level == "OFFLINE":
        what = _("设备离线")
    elif event.to_level == "ROC":
        what = _("变化率超限")
    else:
        what = _("进入%(to)s") % {"to": level_zh(event.to_level)}
    reason = SUPPRESSION_REASONS.get(event.detail or "")
    return _("%(what)s（%(why)s）") % {"what": what, "why": reason if reason else _("已抑制")}


def alarm_event_zh(event: Any) -> str:
    """An ``AlarmEvent`` (engine event or person's action) as a short Chinese phrase.

    ``event``: anything with ``event``, ``from_level``, ``to_level`` and ``detail`` attributes.
    Unknown event names are returned as they are.
    """
    name, before, after = event.event, level_zh(event.from_level), level_zh(event.to_level)
    if name == "raise":
        return _("进入%(to)s") % {"to": after}
    if name == "escalate":
        return _("由%(from)s升级为%(to)s") % {"from": before, "to": after}
    if name == "deescalate":
        return _("由%(from)s降为%(to)s") % {"from": before, "to": after}
    if name == "clear":
        return _("%(from)s恢复正常") % {"from": before} if event.from_level else _("恢复正常")
    if name == "roc":
        return _("变化率超限") if event.to_level == "ROC" else _("变化率恢复正常")
    if name == "escalated":
        return _escalated(event.detail or "")
    if name == "shelved":
        return _shelved(event.detail or "")
    if name == "suppressed":
        return _suppressed(event)
    if name == "incident":
        return _("已转为事件接报 %(ref)s") % {"ref": event.detail} if event.detail else _("已转为事件接报")
    if name in ACTIONS:
        return str(ACTIONS[name])
    return str(name)


def alarm_event_note(event: Any) -> str:
    """The event's ``detail`` unless :func:`alarm_event_zh` already says it."""
    return "" if event.event in DETAIL_IN_WORDS else str(event.detail or "")


def alarm_event_raw(event: Any) -> str:
    """The engine notation of an event (``raise N→H``), kept on the page as a tooltip."""
    levels = f"{event.from_level}→{event.to_level}" if event.from_level or event.to_level else ""
    return f"{event.event} {levels}".strip()
