"""In-app notifications: what the header bell and the notification list show."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserNotification(models.Model):
    """One in-app notification for one user, created by the in-app channel from an outbox message.

    Personal inbox: read by its owner only (not scoped by grants). ``outbox`` is
    one-to-one, so delivering the same outbox message twice creates one row.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    outbox = models.OneToOneField(
        "notifications.OutboxMessage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    severity = models.CharField(_("级别"), max_length=16, default="info")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notif_user_unread")]

    def __str__(self) -> str:
        return f"{self.user}: {self.title}"
