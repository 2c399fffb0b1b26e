from yingji.apps.directory.models.division import AdministrativeDivision, DivisionLevel
from yingji.apps.directory.models.hazard_history import HazardHistoryFeature, HazardLayer
from yingji.apps.directory.models.organization import Organization, OrganizationKind

__all__ = [
    "AdministrativeDivision",
    "DivisionLevel",
    "HazardHistoryFeature",
    "HazardLayer",
    "Organization",
    "OrganizationKind",
]
