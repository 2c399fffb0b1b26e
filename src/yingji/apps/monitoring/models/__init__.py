"""Models of the monitoring app (监测预警): registry, engine state, readings, alarms."""

from yingji.apps.monitoring.models.alarm import (
    OPEN_STATES,
    Alarm,
    AlarmEvent,
    AlarmGroup,
    AlarmKind,
    AlarmNote,
    AlarmState,
    Priority,
)
from yingji.apps.monitoring.models.reading import AggregationCursor, Reading, ReadingAggregate, Resolution
from yingji.apps.monitoring.models.registry import (
    ALARM_CONFIG_FIELDS,
    Device,
    Gateway,
    MaintenanceWindow,
    MonitoringPoint,
    Quantity,
    SiteKind,
    hash_token,
)
from yingji.apps.monitoring.models.state import PointState

__all__ = [
    "ALARM_CONFIG_FIELDS",
    "OPEN_STATES",
    "AggregationCursor",
    "Alarm",
    "AlarmEvent",
    "AlarmGroup",
    "AlarmKind",
    "AlarmNote",
    "AlarmState",
    "Device",
    "Gateway",
    "MaintenanceWindow",
    "MonitoringPoint",
    "PointState",
    "Priority",
    "Quantity",
    "Reading",
    "ReadingAggregate",
    "Resolution",
    "SiteKind",
    "hash_token",
]
