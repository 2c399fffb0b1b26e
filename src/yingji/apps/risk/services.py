"""Write use cases for enterprise chemical inventories."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from yingji.apps.audit.services import record_change
from yingji.apps.risk.models import ChemicalInventory


def record_inventory(*, actor: Any, **fields: Any) -> ChemicalInventory:
    """Add one inventory line (quantity in t). Raises ``ValidationError`` (field errors), nothing written."""
    with transaction.atomic():
        item = ChemicalInventory(**fields)
        item.full_clean()
        item.save()
        record_change(item, "create", None, actor=actor)
    return item
