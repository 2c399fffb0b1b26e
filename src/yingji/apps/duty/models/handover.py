"""Shift handover (交接班): the outgoing officer's summary and the open items carried over."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager


class HandoverStatus(models.TextChoices):
    PENDING = "pending", _("待接班确认")
    COMPLETE = "complete", _("已完成")


class ShiftHandover(models.Model):
    """One handover from ``outgoing_officer`` to ``incoming_officer``.

    At creation every open item the outgoing officer sees (``collect_open_items``)
    is copied into ``HandoverItemAck`` rows, so the record stays as it was even
    when the items later close. It is complete only when the incoming officer
    has acknowledged every item. Restricted by ``division``.
    """

    division = models.ForeignKey(
        "directory.AdministrativeDivision", on_delete=models.PROTECT, related_name="+", verbose_name=_("区划")
    )
    from_shift = models.ForeignKey(
        "duty.Shift",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handovers_out",
        verbose_name=_("交班班次"),
    )
    to_shift = models.ForeignKey(
        "duty.Shift",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handovers_in",
        verbose_name=_("接班班次"),
    )
    outgoing_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("交班人")
    )
    incoming_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("接班人")
    )
    summary = models.TextField(_("交班摘要"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=HandoverStatus.choices,
        default=HandoverStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("交班时间"), auto_now_add=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    is_demo = models.BooleanField(_("示例数据"), default=False, db_index=True)

    restrict_division_field = "division"
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("交接班")
        verbose_name_plural = _("交接班")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.outgoing_officer} → {self.incoming_officer} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_complete(self) -> bool:
        """Whether every item is acknowledged and the handover closed."""
        return self.status == HandoverStatus.COMPLETE


class HandoverItemAck(models.Model):
    """One open item carried into a handover (a stable copy) and its acknowledgement by the incoming one."""

    handover = models.ForeignKey(
        "duty.ShiftHandover", on_delete=models.CASCADE, related_name="items", verbose_name=_("交接班")
    )
    position = models.PositiveIntegerField(_("序号"), default=0)
    kind = models.CharField(_("类别"), max_length=40)
    ref = models.CharField(_("引用"), max_length=120)
    title = models.CharField(_("事项"), max_length=300)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    severity = models.CharField(_("级别"), max_length=10, default="info")
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )

    restrict_division_field = "handover__division"
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("交接事项")
        verbose_name_plural = _("交接事项")
        ordering = ["handover_id", "position"]
        constraints = [models.UniqueConstraint(fields=["handover", "ref"], name="duty_handover_item_ref")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_acknowledged(self) -> bool:
        """Whether the incoming officer acknowledged this item."""
        return self.acknowledged_at is not None
