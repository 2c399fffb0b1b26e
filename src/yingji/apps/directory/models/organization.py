"""Organisations: the bureau, member units, township governments, enterprises, rescue teams."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager


class OrganizationKind(models.TextChoices):
    BUREAU = "bureau", _("应急管理局")
    MEMBER_UNIT = "member_unit", _("成员单位")
    TOWNSHIP_GOVERNMENT = "township_government", _("乡镇政府")
    ENTERPRISE = "enterprise", _("企业")
    RESCUE_TEAM = "rescue_team", _("救援队伍")


class Organization(models.Model):
    """An organisation bound to the division it sits in.

    Restricted by its division, and for organisation-bound grants (enterprise
    safety managers) to the organisation itself.
    """

    name = models.CharField(_("名称"), max_length=128)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    kind = models.CharField(_("类型"), max_length=24, choices=OrganizationKind.choices, db_index=True)
    division = models.ForeignKey(
        "directory.AdministrativeDivision",
        on_delete=models.PROTECT,
        related_name="organizations",
        verbose_name=_("所在区划"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级单位"),
    )
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("值班电话"), max_length=32, blank=True)
    lon = models.FloatField(_("经度(WGS84)"), null=True, blank=True)
    lat = models.FloatField(_("纬度(WGS84)"), null=True, blank=True)
    is_demo = models.BooleanField(_("示例数据"), default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    restrict_division_field = "division"
    restrict_organization_field = "pk"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "division"], name="organization_name_division")
        ]

    def __str__(self) -> str:
        return self.name
