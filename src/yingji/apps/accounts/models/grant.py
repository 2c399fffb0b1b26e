"""A role held by a user inside a division (and optionally one organisation)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.accounts.roles import Role


class Grant(models.Model):
    """User ``user`` holds ``role`` for records inside ``division`` (and ``organization`` if set).

    A township officer gets a grant on their township; an enterprise safety
    manager a grant on the county *and* their enterprise, so they see only
    that enterprise's records.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    division = models.ForeignKey(
        "directory.AdministrativeDivision",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("区划范围"),
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("单位范围"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("授权")
        verbose_name_plural = _("授权")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "division", "organization"], name="grant_unique_scope"
            )
        ]

    def __str__(self) -> str:
        scope = self.organization or self.division
        return f"{self.user} · {self.get_role_display()} · {scope}"

    def clean(self) -> None:
        if self.role == Role.ENTERPRISE_SAFETY_MANAGER and self.organization_id is None:
            raise ValidationError({"organization": _("企业安全管理员必须绑定一个企业。")})
