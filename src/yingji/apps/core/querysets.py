"""Per-user restriction of querysets (after NetBox's ``RestrictedQuerySet``).

Every list and detail read goes through ``Model.objects.restrict(user, action)``.
A model says how it is scoped with two class attributes:

* ``restrict_division_field``: the lookup path to its ``AdministrativeDivision``
  (``"division"``, ``"organization__division"``...) or ``None`` when the model
  is county-wide reference data that anyone holding the permission may read;
* ``restrict_organization_field``: the lookup path to its owning
  ``Organization`` (for enterprise-scoped grants) or ``None``;
* ``restrict_owner_field`` (optional): the lookup path to the user who owns a
  record that is neither a division's nor an organisation's (an import job: its
  uploader). Every restricted user, whatever their grants' scope, sees only
  their own such records; only unrestricted users see everyone's.

Both paths must follow forward foreign keys only (single-valued), so that the
filter never duplicates rows.

The user object supplies ``has_perm(perm)`` and ``permission_scopes(perm)``;
the latter returns ``None`` for an unrestricted user, else a list of
``(division_code_prefix, organization_id or None)`` pairs. An empty list means
no access. Fail closed: unknown users, missing permission -> ``none()``.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q


def permission_name(model: type[models.Model], action: str) -> str:
    """``"<app_label>.<action>_<model_name>"``, e.g. ``"directory.view_organization"``."""
    meta = model._meta
    return f"{meta.app_label}.{action}_{meta.model_name}"


def organisation_bound(user: Any, perm: str) -> bool:
    """Whether every grant through which ``user`` holds ``perm`` is bound to one organisation
    (an enterprise safety manager), i.e. they hold it for no division as a whole. False for
    unrestricted users and for users without ``perm``."""
    scopes_of = getattr(user, "permission_scopes", None)
    if scopes_of is None:
        return False
    scopes = scopes_of(perm)
    return bool(scopes) and all(org is not None for _prefix, org in scopes)


class RestrictedQuerySet(models.QuerySet):
    """QuerySet with ``restrict(user, action)``; see the module docstring."""

    def restrict(self, user: Any, action: str = "view") -> RestrictedQuerySet:
        """Rows of this queryset that ``user`` may ``action`` (view/add/change/delete).

        Args:
            user: a ``django.contrib.auth`` user (anonymous users get nothing).
            action: the permission verb.

        Returns:
            A filtered queryset (``none()`` when the user lacks the permission).
        """
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        perm = permission_name(self.model, action)
        scopes = user.permission_scopes(perm)
        if scopes is None:
            return self
        if not scopes:
            return self.none()
        owner_field = getattr(self.model, "restrict_owner_field", None)
        if owner_field is not None:
            # user-owned records: the grant's scope says nothing about them, the owner does
            return self.filter(**{owner_field: user.pk})
        division_field = getattr(self.model, "restrict_division_field", None)
        org_field = getattr(self.model, "restrict_organization_field", None)
        condition = Q()
        for prefix, organization_id in scopes:
            clause = Q()
            if division_field is not None and prefix:
                clause &= Q(**{f"{division_field}__code__startswith": prefix})
            if organization_id is not None:
                if org_field is None:
                    # An organisation-bound grant sees nothing of models that belong to no organisation,
                    # except county-wide reference data (no division field either).
                    if division_field is not None:
                        continue
                else:
                    clause &= (
                        Q(**{org_field: organization_id}) if org_field != "pk" else Q(pk=organization_id)
                    )
            condition |= clause if clause else Q(pk__isnull=False)
        if not condition:
            return self.none()
        # Restriction paths are forward foreign-key chains (single-valued), so no DISTINCT is needed.
        return self.filter(condition)


class RestrictedManager(models.Manager.from_queryset(RestrictedQuerySet)):  # type: ignore[misc]
    """Default manager exposing ``restrict``."""
