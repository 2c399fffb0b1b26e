"""Hazardous-chemical inventory of an enterprise's production or storage unit."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager


class ChemicalInventory(models.Model):
    """Quantity (t) of one hazardous chemical held in one unit of an enterprise.

    ``quantity_t`` is the maximum quantity that may be present (GB 18218-2018
    clause 3.3 uses the design maximum). Restricted by the enterprise's division
    and, for enterprise safety managers, by the enterprise itself.
    """

    enterprise = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        related_name="chemical_inventories",
        verbose_name=_("企业"),
    )
    unit_name = models.CharField(_("单元"), max_length=64)
    substance_name = models.CharField(_("危险化学品"), max_length=64)
    cas = models.CharField(_("CAS号"), max_length=16, blank=True)
    hazard_class = models.CharField(_("危险性类别"), max_length=16, blank=True)
    quantity_t = models.DecimalField(
        _("最大存量(t)"), max_digits=14, decimal_places=4, validators=[MinValueValidator(Decimal("0"))]
    )
    is_demo = models.BooleanField(_("示例数据"), default=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    restrict_division_field = "enterprise__division"
    restrict_organization_field = "enterprise"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("危险化学品存量")
        verbose_name_plural = _("危险化学品存量")
        ordering = ["enterprise", "unit_name", "substance_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "unit_name", "substance_name"], name="inventory_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity_t__gte=0), name="inventory_quantity_nonnegative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.unit_name} · {self.substance_name} {self.quantity_t} t"
