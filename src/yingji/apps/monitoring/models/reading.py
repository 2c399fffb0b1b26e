"""Raw readings and their 1-minute / 1-hour aggregates."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager


class Reading(models.Model):
    """One raw reading of a point: ``value`` (point unit) at ``ts``.

    Unique per (point, ts): a replayed or redelivered reading is recognised and never
    stored or evaluated twice. Raw rows are deleted after the retention period
    (``YINGJI_MONITORING_RAW_RETENTION_DAYS``); the aggregates stay.
    """

    # No separate index on point: the unique (point, ts) index serves every point lookup, and a
    # second per-point B-tree doubled the random page writes of each insert.
    point = models.ForeignKey(
        "monitoring.MonitoringPoint", on_delete=models.CASCADE, related_name="readings", db_index=False
    )
    ts = models.DateTimeField(_("时间"), db_index=True)
    value = models.FloatField(_("读数"))

    restrict_division_field = "point__organization__division"
    restrict_organization_field = "point__organization"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("读数")
        verbose_name_plural = _("读数")
        constraints = [models.UniqueConstraint(fields=["point", "ts"], name="reading_point_ts_unique")]

    def __str__(self) -> str:
        return f"{self.point_id}@{self.ts.isoformat()}={self.value}"


class Resolution(models.TextChoices):
    MINUTE = "1m", _("1分钟")
    HOUR = "1h", _("1小时")


class ReadingAggregate(models.Model):
    """min / max / sum / count of a point's readings in one bucket (1 minute or 1 hour).

    ``bucket`` is the bucket start (UTC, aligned). Recomputed from raw readings by
    ``aggregate_readings_task`` whenever a bucket receives readings (late ones too).
    """

    point = models.ForeignKey(
        "monitoring.MonitoringPoint", on_delete=models.CASCADE, related_name="aggregates"
    )
    resolution = models.CharField(_("粒度"), max_length=2, choices=Resolution.choices)
    bucket = models.DateTimeField(_("时段开始"))
    count = models.PositiveIntegerField(_("读数个数"))
    min = models.FloatField(_("最小值"))
    max = models.FloatField(_("最大值"))
    sum = models.FloatField(_("合计"))

    restrict_division_field = "point__organization__division"
    restrict_organization_field = "point__organization"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("读数统计")
        verbose_name_plural = _("读数统计")
        constraints = [
            models.UniqueConstraint(fields=["point", "resolution", "bucket"], name="aggregate_unique_bucket")
        ]

    def __str__(self) -> str:
        return f"{self.point_id} {self.resolution} {self.bucket.isoformat()}"

    @property
    def avg(self) -> float:
        """Mean of the bucket's readings."""
        return self.sum / self.count if self.count else 0.0


class AggregationCursor(models.Model):
    """Bookkeeping of the aggregation task: the highest ``Reading.id`` already aggregated."""

    name = models.CharField(max_length=32, unique=True)
    last_reading_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("统计游标")
        verbose_name_plural = _("统计游标")

    def __str__(self) -> str:
        return f"{self.name}: {self.last_reading_id}"
