"""Stock held as lots (批次) and the stock ledger (库存台账).

Every movement is a ``StockMovement`` row; ``StockLot.quantity_on_hand`` is the
running balance written in the same transaction as the ledger row (only by
``services.stock``) and always equals the sum of the lot's movements
(``selectors.ledger_mismatches`` checks). Quantities are exact decimals in the
item's unit of measure.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager

QTY_DIGITS = 18
QTY_PLACES = 4
ZERO = Decimal("0")


def qty_field(label: Any, **kwargs: Any) -> models.DecimalField:
    """A quantity column: 18 digits, 4 decimal places."""
    return models.DecimalField(label, max_digits=QTY_DIGITS, decimal_places=QTY_PLACES, **kwargs)


# Lot dates before this year are typing errors (0001-01-01, 1900 placeholders...), as are
# expiry dates after the last one (9999-12-31 "never expires": leave the expiry blank instead).
LOT_MIN_YEAR = 1901
LOT_MAX_EXPIRY_YEAR = 2199


def lot_date_errors(
    production: date | None, expiry: date | None, today: date | None = None
) -> dict[str, Any]:
    """Field errors of a lot's dates: production not after ``today`` (local date by default)
    and not before :data:`LOT_MIN_YEAR`; expiry within ``LOT_MIN_YEAR..LOT_MAX_EXPIRY_YEAR`` and
    not before production. ``{}`` when acceptable.

    Returns:
        ``{"production_date": message, "expiry_date": message}`` (either or both).
    """
    day = today or timezone.localdate()
    errors: dict[str, Any] = {}
    if production is not None:
        if production.year < LOT_MIN_YEAR:
            errors["production_date"] = _("生产日期%(date)s的年份不合理。") % {"date": production.isoformat()}
        elif production > day:
            errors["production_date"] = _("生产日期%(date)s晚于今天。") % {"date": production.isoformat()}
    if expiry is not None:
        if not LOT_MIN_YEAR <= expiry.year <= LOT_MAX_EXPIRY_YEAR:
            errors["expiry_date"] = _("有效期%(date)s的年份不合理(无有效期请留空)。") % {
                "date": expiry.isoformat()
            }
        elif production is not None and expiry < production:
            errors["expiry_date"] = _("有效期%(expiry)s早于生产日期%(production)s。") % {
                "expiry": expiry.isoformat(),
                "production": production.isoformat(),
            }
    return errors


class StockLot(models.Model):
    """A lot of one item in one depot (batch, production/expiry date, location in the depot).

    ``quantity_on_hand`` is derived from the ledger (never edited directly);
    ``quantity_reserved`` is held for approved dispatch orders; available =
    on hand − reserved.
    """

    depot = models.ForeignKey(
        "resources.Depot", on_delete=models.PROTECT, related_name="lots", verbose_name=_("储备库")
    )
    item = models.ForeignKey(
        "resources.SupplyItem", on_delete=models.PROTECT, related_name="lots", verbose_name=_("物资")
    )
    batch = models.CharField(_("批次"), max_length=64, blank=True)
    production_date = models.DateField(_("生产日期"), null=True, blank=True)
    expiry_date = models.DateField(_("有效期至"), null=True, blank=True)
    location = models.CharField(_("库位"), max_length=64, blank=True)
    quantity_on_hand = qty_field(_("账面数量"), default=ZERO, editable=False)
    quantity_reserved = qty_field(_("已预留"), default=ZERO, editable=False)
    created_at = models.DateTimeField(_("建档时间"), default=timezone.now)
    is_demo = models.BooleanField(_("示例数据"), default=False, db_index=True)

    restrict_division_field = "depot__division"
    restrict_organization_field = "depot__organization"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("库存批次")
        verbose_name_plural = _("库存批次")
        ordering = ["depot_id", "item_id", "expiry_date", "batch"]
        constraints = [
            models.UniqueConstraint(fields=["depot", "item", "batch"], name="stocklot_depot_item_batch"),
            models.CheckConstraint(condition=Q(quantity_on_hand__gte=0), name="stocklot_on_hand_nonneg"),
            models.CheckConstraint(condition=Q(quantity_reserved__gte=0), name="stocklot_reserved_nonneg"),
            models.CheckConstraint(
                condition=Q(quantity_reserved__lte=F("quantity_on_hand")), name="stocklot_reserved_le_on_hand"
            ),
            models.CheckConstraint(
                condition=Q(expiry_date__isnull=True)
                | Q(production_date__isnull=True)
                | Q(expiry_date__gte=F("production_date")),
                name="stocklot_expiry_after_production",
            ),
        ]
        indexes = [
            models.Index(fields=["item", "depot"], name="stocklot_item_depot"),
            models.Index(fields=["expiry_date"], name="stocklot_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.depot_id}/{self.item_id}/{self.batch or '-'}"

    def clean(self) -> None:
        """Check the lot dates (:func:`lot_date_errors`); raises ``ValidationError`` on
        ``production_date``/``expiry_date``."""
        super().clean()
        production = self.production_date if isinstance(self.production_date, date) else None
        expiry = self.expiry_date if isinstance(self.expiry_date, date) else None
        errors = lot_date_errors(production, expiry)
        if errors:
            raise ValidationError(errors)

    @property
    def quantity_available(self) -> Decimal:
        """On hand minus reserved."""
        return self.quantity_on_hand - self.quantity_reserved


class StockMovement(models.Model):
    """One ledger entry (台账记录): a signed quantity change of a lot and the balance after it.

    Append-only: never updated or deleted. ``depot`` and ``item`` repeat the lot's
    so that depot and item reports need no join.
    """

    class Kind(models.TextChoices):
        RECEIVE = "receive", _("入库")
        ISSUE = "issue", _("出库")
        TRANSFER_OUT = "transfer_out", _("调出")
        TRANSFER_IN = "transfer_in", _("调入")
        ADJUST = "adjust", _("盘点调整")
        WRITE_OFF = "write_off", _("报废核销")
        RETURN = "return", _("退库")

    lot = models.ForeignKey(
        StockLot, on_delete=models.PROTECT, related_name="movements", verbose_name=_("批次")
    )
    depot = models.ForeignKey(
        "resources.Depot", on_delete=models.PROTECT, related_name="+", verbose_name=_("储备库")
    )
    item = models.ForeignKey(
        "resources.SupplyItem", on_delete=models.PROTECT, related_name="+", verbose_name=_("物资")
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    quantity = qty_field(_("变动数量"))
    balance_after = qty_field(_("结存"))
    occurred_at = models.DateTimeField(_("发生时间"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("经办人"),
    )
    dispatch_order = models.ForeignKey(
        "resources.DispatchOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movements",
        verbose_name=_("调拨单"),
    )
    reference = models.CharField(_("单据号"), max_length=64, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("示例数据"), default=False)

    restrict_division_field = "depot__division"
    restrict_organization_field = "depot__organization"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("库存台账")
        verbose_name_plural = _("库存台账")
        ordering = ["occurred_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="stockmovement_nonzero"),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="stockmovement_balance_nonneg"),
        ]
        indexes = [
            models.Index(fields=["lot", "occurred_at", "id"], name="stockmove_lot_time"),
            models.Index(fields=["depot", "item", "occurred_at"], name="stockmove_depot_item_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity}"
