"""Template filters of incidents: the grading engine's notation as Chinese prose.

``{{ incident|grade_reasons_zh }}`` and ``{{ entry|timeline_summary_zh:incident }}``; the stored
notation stays in the record and in the API (``presenters`` describes the wording).
"""

from __future__ import annotations

from typing import Any

from django import template

from yingji.apps.incidents.models import LogKind
from yingji.apps.incidents.presenters import grade_change_zh, reasons_prose

register = template.Library()


def _is_accident(incident: Any) -> bool:
    return getattr(incident, "category", "accident") == "accident"


@register.filter
def grade_reasons_zh(incident: Any) -> list[str]:
    """The incident's grading reasons as prose (``死亡3人，达到较大事故标准（3人以上）``)."""
    return reasons_prose(incident.grade_reasons or (), accident=_is_accident(incident))


@register.filter
def timeline_summary_zh(entry: Any, incident: Any = None) -> str:
    """A timeline entry's summary; grade changes in prose from their payload, others unchanged."""
    payload = entry.payload if isinstance(entry.payload, dict) else {}
    if entry.kind == LogKind.GRADE_CHANGE and "direction" in payload:
        return grade_change_zh(payload, accident=_is_accident(incident))
    return str(entry.summary)
