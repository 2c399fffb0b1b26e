"""Reads of enterprise inventories through the per-user restriction."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from yingji.apps.directory.models import OrganizationKind
from yingji.apps.directory.selectors import organizations_for
from yingji.apps.risk.models import ChemicalInventory


def inventories_for(user: Any) -> QuerySet[ChemicalInventory]:
    """Inventory lines ``user`` may see."""
    return ChemicalInventory.objects.restrict(user, "view").select_related(
        "enterprise", "enterprise__division"
    )


def enterprises_with_inventory_for(user: Any) -> QuerySet:
    """Enterprises ``user`` may see, annotated with inventory line count and total tonnes."""
    visible = inventories_for(user).values("pk")
    return (
        organizations_for(user)
        .filter(kind=OrganizationKind.ENTERPRISE)
        .annotate(
            inventory_lines=Count("chemical_inventories", filter=_in(visible)),
            inventory_t=Sum("chemical_inventories__quantity_t", filter=_in(visible)),
        )
    )


def _in(visible: Any) -> Q:
    return Q(chemical_inventories__in=visible)
