"""Events pushed live to open duty-desk pages (server-sent events)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager


class DeskEvent(models.Model):
    """Something the duty desk must see now: a new incident, an alarm, an overdue report deadline.

    Streamed by ``/notifications/stream/`` to every open page whose user may see
    ``division`` (``restrict``); ``division`` None means county-wide reference
    events that only unrestricted users see. Rows are small and pruned after
    ``YINGJI_DESK_EVENT_KEEP_DAYS`` days by ``prune_desk_events_task``.
    """

    class Severity(models.TextChoices):
        INFO = "info", _("提示")
        WARNING = "warning", _("警示")
        CRITICAL = "critical", _("紧急")

    kind = models.CharField(_("类型"), max_length=40)
    title = models.CharField(_("标题"), max_length=200)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    severity = models.CharField(_("级别"), max_length=16, choices=Severity.choices, default="info")
    division = models.ForeignKey(
        "directory.AdministrativeDivision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("区划"),
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    restrict_division_field = "division"
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("值班台事件")
        verbose_name_plural = _("值班台事件")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"[{self.kind}] {self.title}"

    def as_payload(self) -> dict[str, object]:
        """JSON-ready dict sent to the browser: id, kind, title, url, severity, created_at (ISO)."""
        return {
            "id": self.pk,
            "kind": self.kind,
            "title": self.title,
            "url": self.url,
            "severity": self.severity,
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }
