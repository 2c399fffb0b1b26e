"""Factories for incidents tests: intake through the real service (grading, clocks, timeline)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from yingji.apps.directory.models import AdministrativeDivision
from yingji.apps.incidents.models import Incident, IncidentType
from yingji.apps.incidents.services import create_incident

# 焉耆镇 seat, inside the county boundary (WGS84).
INSIDE = (86.574, 42.059)


def incident_type(code: str = "accident.01.WSA10016") -> IncidentType:
    """An incident type by code (default: 工矿商贸 / 可燃气体爆炸)."""
    return IncidentType.objects.get(code=code)


def make_incident(actor: Any = None, **overrides: Any) -> Incident:
    """Create an accident through ``create_incident`` (duplicates allowed unless overridden)."""
    now = timezone.now()
    values: dict[str, Any] = {
        "title": "某化工企业爆炸事故",
        "source": "phone",
        "occurred_at": now - timedelta(minutes=20),
        "reported_at": now - timedelta(minutes=10),
        "division": AdministrativeDivision.objects.get(code="652826100000"),
        "lon": INSIDE[0],
        "lat": INSIDE[1],
        "address": "工业园区",
        "deaths": 0,
        "reporter_name": "张三",
        "reporter_phone": "13800000000",
    }
    values.update(overrides)
    kind = values.pop("incident_type", None) or incident_type()
    allow = values.pop("allow_duplicate", True)
    return create_incident(actor=actor, incident_type=kind, allow_duplicate=allow, **values)
