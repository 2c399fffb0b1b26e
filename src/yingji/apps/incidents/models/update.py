"""续报 facts: each update of an incident's facts, with what changed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager
from yingji.apps.incidents.models.incident import IncidentSource


class IncidentUpdate(models.Model):
    """One update (续报) of an incident's facts: numbered per incident, with the changes made.

    ``changes`` maps each changed fact to ``[old, new]`` (numbers as numbers, the loss
    as a string of CNY); ``casualties_changed`` marks the updates that start the 493
    art.13 补报 clock. A merged duplicate intake is also recorded as an update.
    """

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="updates")
    sequence = models.PositiveIntegerField(_("序号"))
    received_at = models.DateTimeField(_("获悉时间"))
    source = models.CharField(_("来源"), max_length=24, choices=IncidentSource.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    changes = models.JSONField(_("变更"), default=dict)
    casualties_changed = models.BooleanField(_("伤亡变化"), default=False)
    merged_intake = models.BooleanField(_("合并的重复接报"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    restrict_division_field = "incident__division"
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("事件续报信息")
        verbose_name_plural = _("事件续报信息")
        ordering = ["incident", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "sequence"], name="incident_update_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} #{self.sequence}"
