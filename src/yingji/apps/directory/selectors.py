"""Reads of the directory, always through the per-user restriction."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from yingji.apps.directory.models import AdministrativeDivision, HazardHistoryFeature, Organization


def divisions_for(user: Any, *, level: str | None = None) -> QuerySet[AdministrativeDivision]:
    """Divisions ``user`` may see (ordered by code), optionally of one level."""
    qs = AdministrativeDivision.objects.restrict(user, "view").select_related("parent")
    return qs.filter(level=level) if level else qs


def get_division_for(user: Any, code: str) -> AdministrativeDivision:
    """The newest edition of division ``code`` visible to ``user``; ``Http404`` otherwise."""
    qs = divisions_for(user).filter(code=code).order_by("-edition_year")
    return get_object_or_404(qs[:1])


def county_for(user: Any, county_code: str) -> AdministrativeDivision | None:
    """The deployment's county division (with its boundary), if visible."""
    return divisions_for(user, level="county").filter(code=county_code).order_by("-edition_year").first()


def organizations_for(user: Any) -> QuerySet[Organization]:
    """Organisations ``user`` may see."""
    return Organization.objects.restrict(user, "view").select_related("division")


def get_organization_for(user: Any, pk: int) -> Organization:
    """One organisation visible to ``user``; ``Http404`` otherwise."""
    return get_object_or_404(organizations_for(user), pk=pk)


def hazard_features_for(user: Any, layer: str | None = None) -> QuerySet[HazardHistoryFeature]:
    """Hazard-history features ``user`` may see, optionally of one layer."""
    qs = HazardHistoryFeature.objects.restrict(user, "view")
    return qs.filter(layer=layer) if layer else qs


def all_divisions_unrestricted() -> QuerySet[AdministrativeDivision]:
    """Every division, for system callers with no user (CLI listing of public reference data)."""
    return AdministrativeDivision.objects.select_related("parent").order_by("code")
