"""Open items of the incidents app carried into duty handovers (``duty.handover_items`` providers)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from yingji.apps.duty.handover_items import HandoverItem
from yingji.apps.incidents import selectors


def open_incident_items(user: Any) -> list[HandoverItem]:
    """Every open incident ``user`` may see (critical for 较大 and above, else warning)."""
    items = []
    for inc in selectors.open_incidents_for(user)[:500]:
        grade = inc.get_grade_display() if inc.grade else "未定级"
        items.append(
            HandoverItem(
                kind="incident",
                ref=f"incidents.incident:{inc.pk}",
                title=f"{inc.number} {inc.title}（{grade}）",
                url=reverse("incidents:detail", args=[inc.pk]),
                severity="critical" if inc.grade and inc.grade <= 3 else "warning",
            )
        )
    return items


def overdue_report_items(user: Any) -> list[HandoverItem]:
    """Every overdue, unmet report deadline of an open incident ``user`` may see (critical)."""
    items = []
    for dl in selectors.overdue_deadlines_for(user, timezone.now())[:500]:
        due = timezone.localtime(dl.due_at)
        items.append(
            HandoverItem(
                kind="overdue_report",
                ref=f"incidents.reportdeadline:{dl.pk}",
                title=f"{dl.incident.title}：{dl.description_zh}（截止 {due:%m-%d %H:%M}）",
                url=reverse("incidents:detail", args=[dl.incident_id]),
                severity="critical",
            )
        )
    return items
