"""The notification outbox: one row per message to deliver on one channel."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager


class Channel(models.TextChoices):
    """Delivery channels (each has an adapter in ``channels.py``)."""

    IN_APP = "in_app", _("站内")
    EMAIL = "email", _("邮件")
    SMS = "sms", _("短信")


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class OutboxMessage(models.Model):
    """A message written in the same transaction as the business change that causes it.

    Delivered after commit by ``send_outbox_message_task`` (and the periodic
    ``flush_outbox_task`` for anything left over, e.g. after a restart). ``dedupe_key``
    is unique: queueing the same key twice is a no-op, so a retried business
    operation or a timer that fires twice never sends twice. A failed attempt
    counts ``attempts`` and waits until ``next_attempt_at`` (exponential backoff);
    after ``MAX_ATTEMPTS`` the message is ``failed`` with ``last_error``.

    Not division-scoped: readable through the API only by holders of
    ``notifications.manage_outbox`` (administrators).
    """

    MAX_ATTEMPTS = 6

    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("接收人"),
    )
    address = models.CharField(_("地址/号码"), max_length=254, blank=True)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    severity = models.CharField(_("级别"), max_length=16, default="info")
    dedupe_key = models.CharField(_("去重键"), max_length=200, unique=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), db_index=True)
    last_error = models.CharField(_("最后错误"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    restrict_division_field = None
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("待发通知")
        verbose_name_plural = _("待发通知")
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient or self.address}: {self.subject}"
