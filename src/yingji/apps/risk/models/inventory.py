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
    clause 4.2.2 uses the design maximum). ``unit`` is the ``ProductionUnit``;
    ``unit_name`` is kept equal to ``unit.name`` by the services (older callers pass
    only the name). ``table1_seq`` is the GB 18218-2018 Table 1 row the substance was
    matched to (by CAS, name or alias), None when its threshold comes from Table 2.
    Restricted by the enterprise's division and, for enterprise safety managers, by
    the enterprise itself.
    """

    enterprise = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        related_name="chemical_inventories",
        verbose_name=_("企业"),
    )
    unit = models.ForeignKey(
        "risk.ProductionUnit",
        on_delete=models.CASCADE,
        related_name="inventories",
        verbose_name=_("所在单元"),
    )
    unit_name = models.CharField(_("单元"), max_length=64)
    substance_name = models.CharField(_("危险化学品"), max_length=64)
    cas = models.CharField(_("CAS号"), max_length=16, blank=True)
    hazard_class = models.CharField(_("危险性类别"), max_length=16, blank=True)
    quantity_t = models.DecimalField(
        _("最大存量(t)"), max_digits=14, decimal_places=4, validators=[MinValueValidator(Decimal("0"))]
    )
    table1_seq = models.PositiveSmallIntegerField(_("GB 18218 表1序号"), null=True, blank=True)
    match_note = models.CharField(_("匹配说明"), max_length=300, blank=True)
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
