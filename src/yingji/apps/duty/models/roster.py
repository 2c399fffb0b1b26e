"""Duty rosters (排班表): a named schedule of shifts for one division's duty desk."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager


class DutyRoster(models.Model):
    """A duty roster: the shifts of one duty desk (the county bureau's, a township's).

    ``officers_required`` is how many duty officers (值班员) must be on duty at
    every moment besides the duty leader (带班领导); coverage gaps are measured
    against it. Restricted by ``division`` (and ``organization`` when set).
    """

    name = models.CharField(_("名称"), max_length=100)
    division = models.ForeignKey(
        "directory.AdministrativeDivision",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所属区划"),
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("值班单位"),
    )
    officers_required = models.PositiveSmallIntegerField(
        _("每班值班员人数"), default=1, validators=[MaxValueValidator(20)]
    )
    description = models.TextField(_("说明"), blank=True)
    is_demo = models.BooleanField(_("示例数据"), default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    restrict_division_field = "division"
    restrict_organization_field = "organization"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("排班表")
        verbose_name_plural = _("排班表")
        ordering = ["division__code", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "division"], name="duty_roster_name_division")]

    def __str__(self) -> str:
        return self.name
