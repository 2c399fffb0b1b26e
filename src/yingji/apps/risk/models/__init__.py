from yingji.apps.risk.models.enterprise import (
    EnterpriseProfile,
    EquipmentKind,
    Licence,
    LicenceKind,
    SafetyManager,
    SpecialEquipment,
)
from yingji.apps.risk.models.hidden_hazard import (
    HazardCategory,
    HazardGrade,
    HazardSource,
    HazardStatus,
    HiddenHazard,
    HiddenHazardEvent,
    HiddenHazardPhoto,
    PhotoStage,
)
from yingji.apps.risk.models.inventory import ChemicalInventory
from yingji.apps.risk.models.risk_point import RiskMethod, RiskPoint, RiskSettings
from yingji.apps.risk.models.unit import ProductionUnit, UnitKind

__all__ = [
    "ChemicalInventory",
    "EnterpriseProfile",
    "EquipmentKind",
    "HazardCategory",
    "HazardGrade",
    "HazardSource",
    "HazardStatus",
    "HiddenHazard",
    "HiddenHazardEvent",
    "HiddenHazardPhoto",
    "Licence",
    "LicenceKind",
    "PhotoStage",
    "ProductionUnit",
    "RiskMethod",
    "RiskPoint",
    "RiskSettings",
    "SafetyManager",
    "SpecialEquipment",
    "UnitKind",
]
