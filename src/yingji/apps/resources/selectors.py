"""Reads of resource registries through the per-user restriction."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from yingji.apps.resources.models import Depot, Expert, RescueTeam, Shelter


def depots_for(user: Any) -> QuerySet[Depot]:
    """Depots ``user`` may see."""
    return Depot.objects.restrict(user, "view").select_related("division", "organization")


def rescue_teams_for(user: Any) -> QuerySet[RescueTeam]:
    """Rescue teams ``user`` may see."""
    return RescueTeam.objects.restrict(user, "view").select_related("division", "organization")


def experts_for(user: Any) -> QuerySet[Expert]:
    """Experts ``user`` may see."""
    return Expert.objects.restrict(user, "view").select_related("division", "organization")


def shelters_for(user: Any) -> QuerySet[Shelter]:
    """Shelters ``user`` may see."""
    return Shelter.objects.restrict(user, "view").select_related("division", "organization")
