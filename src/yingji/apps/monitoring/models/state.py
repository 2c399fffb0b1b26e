"""Per-point alarm-engine state, persisted with the readings that produced it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager


class PointState(models.Model):
    """The alarm engine's runtime state of one point (``engines.monitoring.PointState.to_dict()``).

    Written in the same transaction as the readings and alarm transitions it results from,
    so a restarted ingest process resumes pending on/off-delay timers exactly. The row is
    also the per-point lock of the ingest path (``select_for_update``). ``level``,
    ``last_ts``, ``last_value`` and ``offline`` mirror the JSON for lists and the map;
    ``suppressed`` counts alarm raises swallowed by out-of-service/maintenance, ``rejected``
    out-of-order readings the engine refused.
    """

    point = models.OneToOneField(
        "monitoring.MonitoringPoint", on_delete=models.CASCADE, primary_key=True, related_name="state"
    )
    engine_state = models.JSONField(_("引擎状态"), null=True, blank=True)
    level = models.CharField(_("当前级别"), max_length=4, default="N")
    last_ts = models.DateTimeField(_("最近读数时间"), null=True, blank=True)
    last_value = models.FloatField(_("最近读数"), null=True, blank=True)
    offline = models.BooleanField(_("离线"), default=False)
    roc_active = models.BooleanField(_("变化率报警"), default=False)
    suppressed = models.PositiveIntegerField(_("被抑制的报警"), default=0)
    rejected = models.PositiveIntegerField(_("乱序读数"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    restrict_division_field = "point__organization__division"
    restrict_organization_field = "point__organization"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("测点运行状态")
        verbose_name_plural = _("测点运行状态")

    def __str__(self) -> str:
        return f"{self.point_id}: {self.level}{' offline' if self.offline else ''}"
