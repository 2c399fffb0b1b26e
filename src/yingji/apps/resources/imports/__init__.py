"""Excel/CSV import targets of the resources registries (shared import layer, ``/imports/``).

One module per kind: ``shelters``, ``stock`` (``depot-stock``), ``members``
(``rescue-team-members``), ``depots``, ``teams`` (``rescue-teams``), ``experts``,
``equipment`` and ``catalogue`` (``supply-items``). The engine
(``yingji.engines.normalize.kinds.resources``) reads and normalises the file; each module
checks the rows against the database (duplicates, references, the uploader's scope, model
validation) and stores them through the resources services (each record audited) inside the
import's single transaction. :func:`register` is called from ``ResourcesConfig.ready()``.
"""

from __future__ import annotations

from yingji.apps.resources.imports import (
    catalogue,
    depots,
    equipment,
    experts,
    members,
    shelters,
    stock,
    teams,
)

# Registry list slug (``resources:register``) → engine import kind feeding it.
REGISTER_IMPORT_KINDS = {
    "depots": depots.KIND,
    "lots": stock.STOCK_KIND,
    "teams": teams.KIND,
    "members": members.MEMBER_KIND,
    "experts": experts.KIND,
    "shelters": shelters.KIND,
    "equipment": equipment.KIND,
    "catalogue": catalogue.KIND,
}


def register() -> None:
    """Register every resources import kind with the core import registry."""
    for module in (stock, members, shelters, depots, teams, experts, equipment, catalogue):
        module.register()


__all__ = ["REGISTER_IMPORT_KINDS", "register"]
