from yingji.apps.incidents.models.deadline import DeadlineStatus, ReportDeadline
from yingji.apps.incidents.models.incident import (
    CASUALTY_FIELDS,
    FACT_FIELDS,
    GRADE_CHOICES,
    Incident,
    IncidentSource,
    IncidentStatus,
)
from yingji.apps.incidents.models.incident_type import IncidentCategory, IncidentType
from yingji.apps.incidents.models.report import (
    IncidentReport,
    IncidentReportVersion,
    ReportKind,
    ReportStatus,
    SendLevel,
)
from yingji.apps.incidents.models.timeline import IncidentLogEntry, LogKind
from yingji.apps.incidents.models.update import IncidentUpdate

__all__ = [
    "CASUALTY_FIELDS",
    "FACT_FIELDS",
    "GRADE_CHOICES",
    "DeadlineStatus",
    "Incident",
    "IncidentCategory",
    "IncidentLogEntry",
    "IncidentReport",
    "IncidentReportVersion",
    "IncidentSource",
    "IncidentStatus",
    "IncidentType",
    "IncidentUpdate",
    "LogKind",
    "ReportDeadline",
    "ReportKind",
    "ReportStatus",
    "SendLevel",
]
