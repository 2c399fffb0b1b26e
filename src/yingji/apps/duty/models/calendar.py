"""Per-user calendar-feed tokens (iCal subscription without a session)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarToken(models.Model):
    """An unguessable token (256 bits, URL-safe) naming one user in their iCal feed URLs.

    Calendar apps cannot log in, so the token is the credential: the feed
    shows what its owner may see. Rotating the token invalidates old URLs.
    Never listed through the API; only its owner sees it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="duty_calendar_token"
    )
    token = models.CharField(_("令牌"), max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("日历订阅令牌")
        verbose_name_plural = _("日历订阅令牌")

    def __str__(self) -> str:
        return f"{self.user} calendar token"
