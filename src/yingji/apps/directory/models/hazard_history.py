"""Hazard-history reference layers: historic earthquakes, active-fault traces, flood events."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager


class HazardLayer(models.TextChoices):
    EARTHQUAKE = "earthquake", _("历史地震")
    FAULT = "fault", _("活动断层")
    FLOOD = "flood", _("历史洪水")


class HazardHistoryFeature(models.Model):
    """One feature of a hazard-history layer, as published by its source (WGS84 GeoJSON geometry).

    ``source_key`` identifies the feature within its layer (catalogue + event id,
    fault record index, DFO id) so that reloading is idempotent.
    """

    layer = models.CharField(_("图层"), max_length=16, choices=HazardLayer.choices, db_index=True)
    source_key = models.CharField(_("来源编号"), max_length=120)
    title = models.CharField(_("名称"), max_length=200)
    occurred_on = models.CharField(_("发生时间"), max_length=40, blank=True)
    magnitude = models.FloatField(_("震级"), null=True, blank=True)
    geometry = models.JSONField(_("几何(GeoJSON, WGS84)"))
    properties = models.JSONField(_("属性"), default=dict)
    source = models.CharField(_("来源"), max_length=200)
    licence = models.CharField(_("许可"), max_length=60, blank=True)

    restrict_division_field = None
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("灾害历史要素")
        verbose_name_plural = _("灾害历史要素")
        ordering = ["layer", "occurred_on"]
        constraints = [models.UniqueConstraint(fields=["layer", "source_key"], name="hazard_feature_key")]

    def __str__(self) -> str:
        return self.title
