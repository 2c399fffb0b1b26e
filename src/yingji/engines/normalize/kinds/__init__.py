"""Registry kinds: declarative column specs, one module per domain.

``KINDS`` maps the kind name (``shelters``) to its :class:`~yingji.engines.normalize.columns.RegistrySpec`,
in the order the import page lists them. Add a kind by declaring a ``RegistrySpec`` in the
module of its domain and listing it here; an app then registers where its rows go
(``yingji.apps.core.imports.registry.register_import_kind``).
"""

from __future__ import annotations

from yingji.engines.normalize.columns import RegistrySpec
from yingji.engines.normalize.kinds.people import RESCUE_TEAM_MEMBERS
from yingji.engines.normalize.kinds.prevention import ENTERPRISES
from yingji.engines.normalize.kinds.resources import DEPOT_STOCK, SHELTERS

KINDS: dict[str, RegistrySpec] = {
    spec.kind: spec
    for spec in (
        RESCUE_TEAM_MEMBERS,
        DEPOT_STOCK,
        SHELTERS,
        ENTERPRISES,
    )
}

__all__ = ["KINDS"]
