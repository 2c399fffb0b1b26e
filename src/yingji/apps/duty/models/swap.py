"""Shift swaps and overrides (调班/替班): requested by one person, approved by another."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager


class SwapKind(models.TextChoices):
    OVERRIDE = "override", _("替班")
    SWAP = "swap", _("调班")


class SwapStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


class ShiftSwap(models.Model):
    """A request to change who is on duty, applied only when approved.

    * ``override`` (替班): ``replacement`` takes ``original_person``'s post on ``shift``;
    * ``swap`` (调班): additionally ``original_person`` takes ``replacement``'s post on
      ``counterpart_shift``.

    Approval needs ``duty.approve_shiftswap`` and a different person from the
    requester (two-person rule, enforced by the services).
    """

    kind = models.CharField(_("类型"), max_length=10, choices=SwapKind.choices, default=SwapKind.OVERRIDE)
    shift = models.ForeignKey(
        "duty.Shift", on_delete=models.CASCADE, related_name="swaps", verbose_name=_("班次")
    )
    counterpart_shift = models.ForeignKey(
        "duty.Shift",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="counter_swaps",
        verbose_name=_("对调班次"),
    )
    original_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("原值班人")
    )
    replacement = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("替换人")
    )
    reason = models.CharField(_("事由"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=SwapStatus.choices, default=SwapStatus.PENDING, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)

    restrict_division_field = "shift__roster__division"
    restrict_organization_field = "shift__roster__organization"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("调班/替班申请")
        verbose_name_plural = _("调班/替班申请")
        ordering = ["-requested_at"]
        permissions = [("approve_shiftswap", "可审批调班/替班")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_person} → {self.replacement}"
