"""The platform user."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.accounts.roles import Role, role_grants


class User(AbstractUser):
    """A person who signs in. What they may do comes from their ``Grant`` rows.

    Superusers (and holders of an ``admin`` grant at county level) are
    unrestricted. ``has_perm`` and ``permission_scopes`` are what the rest of the
    platform calls; they never look at Django's per-model permission tables.
    """

    display_name = models.CharField(_("姓名"), max_length=64, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)
    is_demo = models.BooleanField(_("示例账户"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    def _active_grants(self) -> list:
        cache = getattr(self, "_grant_cache", None)
        if cache is None:
            # defer the county boundary (~140 kB of GeoJSON): grants need only code and level
            cache = list(self.grants.select_related("division", "organization").defer("division__boundary"))
            self._grant_cache = cache
        return cache

    def roles(self) -> list[str]:
        """The roles this user holds (any scope)."""
        return sorted({g.role for g in self._active_grants()})

    def has_perm(self, perm: str, obj: object = None) -> bool:
        """Whether any grant of this user carries ``perm`` (scope is checked by ``restrict``)."""
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        return any(role_grants(g.role, perm) for g in self._active_grants())

    def permission_scopes(self, perm: str) -> list[tuple[str, int | None]] | None:
        """Scopes in which this user holds ``perm``.

        Returns:
            ``None`` when unrestricted (superuser, or ``admin`` at county level or
            above); else a list of ``(division code prefix, organisation id or None)``.
        """
        if self.is_superuser:
            return None
        scopes: list[tuple[str, int | None]] = []
        for grant in self._active_grants():
            if not role_grants(grant.role, perm):
                continue
            if (
                grant.role == Role.ADMIN
                and grant.organization_id is None
                and grant.division.level == "county"
            ):
                return None
            scopes.append((grant.division.scope_prefix, grant.organization_id))
        return scopes
