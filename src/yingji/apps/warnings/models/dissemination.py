"""Dissemination: recipients per division, one dispatch per warning × channel, one delivery per recipient."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager
from yingji.apps.warnings.models.warning import Channel, Warning


class Recipient(models.Model):
    """Someone (or some device) that receives warnings through one channel in one division.

    ``address`` is a mobile number (sms), an e-mail address, a URL (webhook) or the
    terminal id of a broadcast / village-loudspeaker system. There is no real subscriber
    list: demo recipients are synthetic (``is_demo``, 示例). Restricted by division.
    """

    name = models.CharField(_("名称"), max_length=100)
    channel = models.CharField(_("渠道"), max_length=12, choices=Channel.choices)
    address = models.CharField(_("地址"), max_length=300)
    division = models.ForeignKey(
        "directory.AdministrativeDivision",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所在区划"),
    )
    active = models.BooleanField(_("有效"), default=True)
    is_demo = models.BooleanField(_("示例数据"), default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    restrict_division_field = "division"
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("接收对象")
        verbose_name_plural = _("接收对象")
        ordering = ["division__code", "channel", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "address", "division"], name="recipient_unique_address"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_channel_display()})"


class Dispatch(models.Model):
    """A warning's text for one channel, rendered once (``body``; ``segments`` SMS parts of 70 characters)."""

    warning = models.ForeignKey(
        Warning, on_delete=models.CASCADE, related_name="dispatches", verbose_name=_("预警")
    )
    channel = models.CharField(_("渠道"), max_length=12, choices=Channel.choices)
    subject = models.CharField(_("主题"), max_length=200, blank=True)
    body = models.TextField(_("内容"))
    segments = models.PositiveSmallIntegerField(_("短信条数"), default=1)
    recipients = models.PositiveIntegerField(_("接收对象数"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    restrict_division_field = None
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("发布批次")
        verbose_name_plural = _("发布批次")
        ordering = ["warning", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["warning", "channel"], name="dispatch_warning_channel")
        ]

    def __str__(self) -> str:
        return f"{self.warning_id}/{self.channel}"


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("排队")
    SENT = "sent", _("已发送")
    DELIVERED = "delivered", _("已送达")
    FAILED = "failed", _("失败")


class Delivery(models.Model):
    """One message to one recipient (the outbox row). ``attempts`` > 1 means it was retried."""

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(Recipient, on_delete=models.SET_NULL, null=True, related_name="+")
    division = models.ForeignKey(
        "directory.AdministrativeDivision", on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("地址"), max_length=300)
    state = models.CharField(
        _("状态"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    provider_ref = models.CharField(_("网关回执"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    restrict_division_field = "division"
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("投递")
        verbose_name_plural = _("投递")
        indexes = [models.Index(fields=["dispatch", "state"], name="delivery_dispatch_state")]

    def __str__(self) -> str:
        return f"{self.address} {self.state}"
