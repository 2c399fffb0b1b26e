"""Reserve quotas (储备定额): minimum stock of an item per division, per 1,000 residents or absolute."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager
from yingji.apps.resources.models.stock import ZERO, qty_field


class ReserveQuota(models.Model):
    """A quota for one item in one division, optionally for one hazard.

    ``basis`` ``per_1000``: ``quantity`` per 1,000 residents (division population);
    ``absolute``: ``quantity`` itself. Stock counted against it is what depots in the
    division (and below) hold available. Several hazards: the largest applies.
    """

    class Basis(models.TextChoices):
        PER_1000 = "per_1000", _("每千人")
        ABSOLUTE = "absolute", _("绝对数量")

    class Hazard(models.TextChoices):
        GENERAL = "", _("通用")
        EARTHQUAKE = "earthquake", _("地震")
        FLOOD = "flood", _("洪涝")
        FIRE = "fire", _("森林草原火灾")
        CHEMICAL = "chemical", _("危险化学品")
        COLD = "cold", _("低温雨雪冰冻")

    division = models.ForeignKey(
        "directory.AdministrativeDivision", on_delete=models.PROTECT, related_name="+", verbose_name=_("区划")
    )
    item = models.ForeignKey(
        "resources.SupplyItem", on_delete=models.PROTECT, related_name="quotas", verbose_name=_("物资")
    )
    hazard = models.CharField(_("灾种"), max_length=16, choices=Hazard.choices, default="", blank=True)
    basis = models.CharField(_("定额基准"), max_length=16, choices=Basis.choices)
    quantity = qty_field(_("定额数量"), validators=[MinValueValidator(ZERO)])
    note = models.CharField(_("依据"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("示例数据"), default=False, db_index=True)

    restrict_division_field = "division"
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("储备定额")
        verbose_name_plural = _("储备定额")
        ordering = ["division__code", "item__code", "hazard"]
        constraints = [
            models.UniqueConstraint(fields=["division", "item", "hazard"], name="quota_division_item_hazard"),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="quota_quantity_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.division_id}/{self.item_id} {self.quantity} {self.basis}"
