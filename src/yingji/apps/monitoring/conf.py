"""Tunable settings of the monitoring runtime, read from Django settings with defaults.

The lead maps them to environment variables in ``config/settings.py`` (see
``docs/apps/monitoring.md``); until then the defaults apply.
"""

from __future__ import annotations

from django.conf import settings

DEFAULTS: dict[str, float] = {
    # Alertmanager-style notification grouping per site (enterprise), seconds.
    "YINGJI_MONITORING_GROUP_WAIT_S": 30,
    "YINGJI_MONITORING_GROUP_INTERVAL_S": 300,
    "YINGJI_MONITORING_REPEAT_INTERVAL_S": 4 * 3600,
    # Unacknowledged alarms: to duty leaders after, then to commanders after a further, seconds.
    "YINGJI_MONITORING_ESCALATE_LEADER_S": 300,
    "YINGJI_MONITORING_ESCALATE_COMMANDER_S": 900,
    # Retention of raw readings and of 1-minute aggregates (1-hour aggregates are kept), days.
    "YINGJI_MONITORING_RAW_RETENTION_DAYS": 30,
    "YINGJI_MONITORING_MINUTE_RETENTION_DAYS": 180,
    # Longest shelving (ISA-18.2 requires shelving to be time-limited), hours.
    "YINGJI_MONITORING_MAX_SHELVE_H": 24,
    # Noise report: flapping = at least N transitions within the window; standing = open longer than T.
    "YINGJI_MONITORING_FLAP_TRANSITIONS": 6,
    "YINGJI_MONITORING_FLAP_WINDOW_S": 3600,
    "YINGJI_MONITORING_STANDING_S": 24 * 3600,
}


def value(name: str) -> float:
    """The setting ``name`` (a key of ``DEFAULTS``) as a float.

    Raises:
        KeyError: unknown name.
    """
    return float(getattr(settings, name, DEFAULTS[name]))
