"""Write use cases for resource registries (each validated, in a transaction, audited)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction

from yingji.apps.audit.services import record_change
from yingji.apps.resources.models import Depot, Expert, RescueTeam, Shelter

M = TypeVar("M", bound=models.Model)


def _create(model: type[M], *, actor: Any, fields: dict[str, Any]) -> M:
    with transaction.atomic():
        obj = model(**fields)
        obj.full_clean()
        obj.save()
        record_change(obj, "create", None, actor=actor)
    return obj


def create_depot(*, actor: Any, **fields: Any) -> Depot:
    """Register a depot. Raises ``ValidationError`` (field errors), nothing written."""
    return _create(Depot, actor=actor, fields=fields)


def create_rescue_team(*, actor: Any, **fields: Any) -> RescueTeam:
    """Register a rescue team. Raises ``ValidationError`` (field errors), nothing written."""
    return _create(RescueTeam, actor=actor, fields=fields)


def create_expert(*, actor: Any, **fields: Any) -> Expert:
    """Register an expert. Raises ``ValidationError`` (field errors), nothing written."""
    return _create(Expert, actor=actor, fields=fields)


def create_shelter(*, actor: Any, **fields: Any) -> Shelter:
    """Register a shelter (capacity in persons, area in m²). Raises ``ValidationError``, nothing written."""
    return _create(Shelter, actor=actor, fields=fields)
