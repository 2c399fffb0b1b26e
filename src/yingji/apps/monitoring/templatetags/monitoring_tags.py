"""Template filters of monitoring: alarm levels and alarm events in Chinese words.

Pages show ``{{ code|level_zh }}`` (``HH`` → 高高报), ``{{ event|alarm_event_zh }}`` (``raise``
N→H → 进入高报), ``{{ event|alarm_event_note }}`` and ``{{ event|alarm_event_raw }}`` (the engine
notation, as a tooltip). The wording lives in :mod:`yingji.apps.monitoring.wording` (plain
functions, also used by notifications); these are its template registrations.
"""

from __future__ import annotations

from django import template

from yingji.apps.monitoring.wording import (
    ACTIONS,
    DETAIL_IN_WORDS,
    LEVELS,
    alarm_event_note,
    alarm_event_raw,
    alarm_event_zh,
    level_zh,
)

register = template.Library()
register.filter("level_zh", level_zh)
register.filter("alarm_event_zh", alarm_event_zh)
register.filter("alarm_event_note", alarm_event_note)
register.filter("alarm_event_raw", alarm_event_raw)

__all__ = [
    "ACTIONS",
    "DETAIL_IN_WORDS",
    "LEVELS",
    "alarm_event_note",
    "alarm_event_raw",
    "alarm_event_zh",
    "level_zh",
    "register",
]
