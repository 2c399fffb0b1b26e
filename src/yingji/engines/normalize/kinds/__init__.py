"""Registry kinds: declarative column specs, one module per domain.

``KINDS`` maps the kind name (``shelters``) to its :class:`~yingji.engines.normalize.columns.RegistrySpec`,
in the order the import page lists them. Add a kind by declaring a ``RegistrySpec`` in the
module of its domain and listing it here; an app then registers where its rows go
(``yingji.apps.core.imports.registry.register_import_kind``).
"""

from __future__ import annotations

from yingji.engines.normalize.columns import RegistrySpec
from yingji.engines.normalize.kinds.monitoring import MONITORING_POINTS
from yingji.engines.normalize.kinds.people import RESCUE_TEAM_MEMBERS
from yingji.engines.normalize.kinds.prevention import ENTERPRISE_INVENTORY, ENTERPRISES
from yingji.engines.normalize.kinds.resources import (
    DEPOT_STOCK,
    DEPOTS,
    EQUIPMENT,
    EXPERTS,
    RESCUE_TEAMS,
    SHELTERS,
    SUPPLY_ITEMS,
)

KINDS: dict[str, RegistrySpec] = {
    spec.kind: spec
    for spec in (
        RESCUE_TEAM_MEMBERS,
        DEPOT_STOCK,
        SHELTERS,
        ENTERPRISES,
        ENTERPRISE_INVENTORY,
        MONITORING_POINTS,
        DEPOTS,
        RESCUE_TEAMS,
        EXPERTS,
        EQUIPMENT,
        SUPPLY_ITEMS,
    )
}

__all__ = ["KINDS"]
