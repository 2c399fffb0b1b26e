"""Supply catalogue (应急物资目录): classes and items with unit, shelf life and storage needs."""

from __future__ import annotations

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager

CODE_VALIDATOR = RegexValidator(
    r"^[0-9A-Za-z][0-9A-Za-z._-]*$", _("编码只能包含字母、数字、点、下划线和连字符")
)


class SupplyClass(models.Model):
    """A class of the emergency-supplies classification (应急物资分类).

    The shipped list is provisional (see ``yingji.engines.resources.catalogue``):
    ``provisional`` is True and ``source`` names where the names come from.
    County-wide reference data.
    """

    code = models.CharField(_("分类编码"), max_length=8, unique=True)
    name = models.CharField(_("分类名称"), max_length=64)
    source = models.CharField(_("来源"), max_length=300, blank=True)
    provisional = models.BooleanField(_("暂定"), default=True)

    restrict_division_field = None
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("物资分类")
        verbose_name_plural = _("物资分类")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SupplyItem(models.Model):
    """A catalogue item (物资品目): unit of measure, shelf life in days, storage needs. County-wide."""

    code = models.CharField(_("物资编码"), max_length=32, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("物资名称"), max_length=128)
    supply_class = models.ForeignKey(
        SupplyClass, on_delete=models.PROTECT, related_name="items", verbose_name=_("物资分类")
    )
    unit = models.CharField(_("计量单位"), max_length=16)
    specification = models.CharField(_("规格型号"), max_length=128, blank=True)
    shelf_life_days = models.PositiveIntegerField(
        _("保质期(天)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    storage_requirements = models.CharField(_("存储要求"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("示例数据"), default=False, db_index=True)

    restrict_division_field = None
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("物资品目")
        verbose_name_plural = _("物资品目")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}({self.unit})"
