"""Report deadlines (报告时限) of an incident, with met/missed and escalation state."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager


class DeadlineStatus(models.TextChoices):
    PENDING = "pending", _("待报")
    MET = "met", _("按时")
    MISSED = "missed", _("超时")


class ReportDeadline(models.Model):
    """One report deadline of an incident, computed by ``yingji.engines.incidents.compute_deadlines``.

    Re-synchronised after every change of the incident (intake, 续报, report sent);
    ``key`` is the engine's stable key (``accident.escalation.2``). ``status`` and
    ``met_at`` record met/missed. Overdue deadlines escalate: ``escalation_level`` 1 =
    duty leaders notified, 2 = bureau head notified; a level is only ever reached
    once (the row is locked and re-checked), so a timer that fires twice notifies
    once. ``timer_due_at`` is the ``due_at`` the Huey timers were scheduled for.
    """

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="deadlines")
    key = models.CharField(_("键"), max_length=80)
    rule_id = models.CharField(_("规则"), max_length=60)
    description_zh = models.CharField(_("要求"), max_length=300)
    level = models.PositiveSmallIntegerField(_("上报层级"), null=True, blank=True)
    due_at = models.DateTimeField(_("截止时间"))
    met_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=DeadlineStatus.choices, default=DeadlineStatus.PENDING
    )
    source = models.CharField(_("依据"), max_length=200, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("已提醒层级"), default=0)
    escalated_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    timer_due_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    restrict_division_field = "incident__division"
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("报告时限")
        verbose_name_plural = _("报告时限")
        ordering = ["due_at", "key"]
        constraints = [models.UniqueConstraint(fields=["incident", "key"], name="deadline_incident_key")]
        indexes = [models.Index(fields=["status", "due_at"], name="deadline_status_due")]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.key} {self.due_at:%Y-%m-%d %H:%M}"

    def is_overdue(self, now: datetime) -> bool:
        """Not met and past due at ``now``."""
        return self.met_at is None and self.due_at < now
