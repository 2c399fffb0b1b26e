"""Dispatch orders (调拨单): request → approve (reserve) → issue (decrement) → in transit → received.

Partial fulfilment: a line may be approved for less than requested (stock short),
and the unissued remainder of an approved order may be cancelled after part of it
was issued. Returns (退库) bring issued goods back into their source lot.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager
from yingji.apps.resources.models.stock import ZERO, qty_field


class DispatchOrder(models.Model):
    """A dispatch order moving supplies from one or more depots to a destination.

    Scoped by the destination ``division``; approving needs
    ``resources.approve_dispatchorder``.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待审批")
        APPROVED = "approved", _("已审批")
        PARTIALLY_ISSUED = "partially_issued", _("部分出库")
        IN_TRANSIT = "in_transit", _("运输中")
        RECEIVED = "received", _("已接收")
        REJECTED = "rejected", _("已驳回")
        CANCELLED = "cancelled", _("已取消")

    code = models.CharField(_("调拨单号"), max_length=32, unique=True)
    division = models.ForeignKey(
        "directory.AdministrativeDivision",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("目的区划"),
    )
    destination = models.CharField(_("目的地"), max_length=200)
    destination_depot = models.ForeignKey(
        "resources.Depot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_orders",
        verbose_name=_("调入储备库"),
    )
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    issued_at = models.DateTimeField(_("出库时间"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("示例数据"), default=False, db_index=True)

    restrict_division_field = "division"
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("调拨单")
        verbose_name_plural = _("调拨单")
        ordering = ["-requested_at", "-id"]
        permissions = [("approve_dispatchorder", _("审批调拨单"))]

    def __str__(self) -> str:
        return self.code


class DispatchLine(models.Model):
    """One item of a dispatch order: requested and approved quantity (item's unit)."""

    order = models.ForeignKey(DispatchOrder, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey("resources.SupplyItem", on_delete=models.PROTECT, related_name="+")
    quantity_requested = qty_field(_("申请数量"))
    quantity_approved = qty_field(_("核准数量"), default=ZERO)

    restrict_division_field = "order__division"
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("调拨明细")
        verbose_name_plural = _("调拨明细")
        ordering = ["order_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "item"], name="dispatchline_order_item"),
            models.CheckConstraint(condition=Q(quantity_requested__gt=0), name="dispatchline_requested_pos"),
            models.CheckConstraint(
                condition=Q(quantity_approved__gte=0) & Q(quantity_approved__lte=F("quantity_requested")),
                name="dispatchline_approved_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}:{self.item_id}"


class DispatchAllocation(models.Model):
    """The part of a line reserved on one lot: reserved → issued → received (→ returned)."""

    line = models.ForeignKey(DispatchLine, on_delete=models.CASCADE, related_name="allocations")
    lot = models.ForeignKey("resources.StockLot", on_delete=models.PROTECT, related_name="allocations")
    quantity_reserved = qty_field(_("预留数量"))
    quantity_issued = qty_field(_("已出库"), default=ZERO)
    quantity_received = qty_field(_("已接收"), default=ZERO)
    quantity_returned = qty_field(_("已退库"), default=ZERO)

    restrict_division_field = "line__order__division"
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("调拨分配")
        verbose_name_plural = _("调拨分配")
        ordering = ["line_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_reserved__gte=0), name="dispatchalloc_reserved_nonneg"
            ),
            models.CheckConstraint(
                condition=Q(quantity_issued__gte=0) & Q(quantity_issued__lte=F("quantity_reserved")),
                name="dispatchalloc_issued_range",
            ),
            models.CheckConstraint(
                condition=Q(quantity_received__gte=0) & Q(quantity_received__lte=F("quantity_issued")),
                name="dispatchalloc_received_range",
            ),
            models.CheckConstraint(
                condition=Q(quantity_returned__gte=0) & Q(quantity_returned__lte=F("quantity_issued")),
                name="dispatchalloc_returned_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line_id}@{self.lot_id}"

    @property
    def outstanding(self) -> Decimal:
        """Reserved but not yet issued."""
        return self.quantity_reserved - self.quantity_issued
