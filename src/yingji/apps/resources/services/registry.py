"""Registry use cases: depots, teams, experts, shelters, equipment, catalogue, quotas."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from yingji.apps.audit.services import record_change
from yingji.apps.resources.models import (
    Depot,
    Equipment,
    Expert,
    RescueTeam,
    ReserveQuota,
    Shelter,
    SupplyClass,
    SupplyItem,
)
from yingji.apps.resources.services.common import create_audited, require_county_wide, update_audited
from yingji.engines.resources import CLASSES, SOURCE


def create_depot(*, actor: Any, **fields: Any) -> Depot:
    """Register a depot. Raises ``ValidationError`` (field errors), nothing written."""
    return create_audited(Depot, actor=actor, fields=fields)


def update_depot(depot: Depot, *, actor: Any, **fields: Any) -> Depot:
    """Change a depot's fields. Raises ``ValidationError``, nothing written."""
    return update_audited(depot, actor=actor, fields=fields)


def create_rescue_team(*, actor: Any, **fields: Any) -> RescueTeam:
    """Register a rescue team. Raises ``ValidationError`` (field errors), nothing written."""
    return create_audited(RescueTeam, actor=actor, fields=fields)


def update_rescue_team(team: RescueTeam, *, actor: Any, **fields: Any) -> RescueTeam:
    """Change a team (readiness, skills, contact...). Raises ``ValidationError``."""
    return update_audited(team, actor=actor, fields=fields)


def create_expert(*, actor: Any, **fields: Any) -> Expert:
    """Register an expert. Raises ``ValidationError`` (field errors), nothing written."""
    return create_audited(Expert, actor=actor, fields=fields)


def update_expert(expert: Expert, *, actor: Any, **fields: Any) -> Expert:
    """Change an expert (availability...). Raises ``ValidationError``."""
    return update_audited(expert, actor=actor, fields=fields)


def create_shelter(*, actor: Any, **fields: Any) -> Shelter:
    """Register a shelter (capacity in persons, area in m²). Raises ``ValidationError``, nothing written."""
    return create_audited(Shelter, actor=actor, fields=fields)


def update_shelter(shelter: Shelter, *, actor: Any, **fields: Any) -> Shelter:
    """Change a shelter. Raises ``ValidationError`` (e.g. occupancy above capacity)."""
    return update_audited(shelter, actor=actor, fields=fields)


def set_shelter_status(shelter: Shelter, *, actor: Any, status: str, occupancy: int | None = None) -> Shelter:
    """Open/close a shelter and record its current occupancy (persons).

    A shelter whose occupancy reaches capacity is marked ``full``; an open one below
    capacity stays ``open``.

    Raises:
        ValidationError: unknown status, negative occupancy or above capacity.
    """
    if status not in Shelter.Status.values:
        raise ValidationError({"status": [f"未知状态 {status}"]})
    occ = shelter.occupancy if occupancy is None else occupancy
    if occ < 0:
        raise ValidationError({"occupancy": ["当前人数不能为负"]})
    if occ > shelter.capacity_persons:
        raise ValidationError({"occupancy": [f"当前人数超过容纳人数 {shelter.capacity_persons}"]})
    if status == Shelter.Status.OPEN and occ >= shelter.capacity_persons:
        status = Shelter.Status.FULL
    return update_audited(shelter, actor=actor, fields={"status": status, "occupancy": occ})


def create_equipment(*, actor: Any, **fields: Any) -> Equipment:
    """Register equipment (vehicle, pump, generator, UAV, satellite phone). Raises ``ValidationError``."""
    return create_audited(Equipment, actor=actor, fields=fields)


def update_equipment(equipment: Equipment, *, actor: Any, **fields: Any) -> Equipment:
    """Change equipment (status, keeper...). Raises ``ValidationError``."""
    return update_audited(equipment, actor=actor, fields=fields)


def ensure_supply_classes(*, actor: Any = None) -> int:
    """Create the (provisional) 13 supply classes that are missing; returns how many were created."""
    created = 0
    with transaction.atomic():
        existing = set(SupplyClass.objects.values_list("code", flat=True))
        for c in CLASSES:
            if c.code in existing:
                continue
            obj = SupplyClass.objects.create(code=c.code, name=c.name, source=SOURCE[:300], provisional=True)
            record_change(obj, "create", None, actor=actor)
            created += 1
    return created


CATALOGUE_COUNTY_ONLY = (
    "物资目录为全县共用,只有县级权限可以新增或修改物资品目 "
    "(the supply catalogue is county-wide: a county-level grant is needed)"
)


def check_catalogue_scope(actor: Any, *, action: str) -> None:
    """Refuse a catalogue write (``action`` ``"add"`` or ``"change"``) unless ``actor`` holds
    ``resources.<action>_supplyitem`` for the whole county (None, the system, passes). Called
    by the write services and by the API before it validates the body.

    Raises:
        PermissionDenied: ``CATALOGUE_COUNTY_ONLY`` (403 over the API).
    """
    require_county_wide(actor, f"resources.{action}_supplyitem", CATALOGUE_COUNTY_ONLY)


def create_supply_item(*, actor: Any, **fields: Any) -> SupplyItem:
    """Add a catalogue item (code, name, class, unit, shelf life, storage).

    The catalogue is county-wide reference data: ``actor`` needs ``resources.add_supplyitem``
    for the whole county (as the ``supply-items`` import requires); None (system) may.

    Raises:
        PermissionDenied: a township- or enterprise-scoped grant (``CATALOGUE_COUNTY_ONLY``).
        ValidationError: field errors, nothing written.
    """
    check_catalogue_scope(actor, action="add")
    return create_audited(SupplyItem, actor=actor, fields=fields)


def update_supply_item(item: SupplyItem, *, actor: Any, **fields: Any) -> SupplyItem:
    """Change a catalogue item (county-wide: ``resources.change_supplyitem`` for the whole county).

    Raises:
        PermissionDenied: a township- or enterprise-scoped grant (``CATALOGUE_COUNTY_ONLY``).
        ValidationError: field errors, nothing written.
    """
    check_catalogue_scope(actor, action="change")
    return update_audited(item, actor=actor, fields=fields)


def set_reserve_quota(
    *, actor: Any, division: Any, item: SupplyItem, hazard: str = "", **fields: Any
) -> ReserveQuota:
    """Create or change the quota of ``item`` in ``division`` for ``hazard`` ("" = general).

    Raises:
        ValidationError: unknown basis, negative quantity.
    """
    with transaction.atomic():
        quota = ReserveQuota.objects.filter(division=division, item=item, hazard=hazard).first()
        if quota is None:
            return create_audited(
                ReserveQuota,
                actor=actor,
                fields={"division": division, "item": item, "hazard": hazard, **fields},
            )
        return update_audited(quota, actor=actor, fields=fields)
