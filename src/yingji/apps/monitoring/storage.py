"""Reading storage upkeep: 1-minute / 1-hour aggregates and retention of raw readings.

Both run as periodic tasks and are idempotent. Aggregation follows a cursor (the highest
``Reading.id`` aggregated): every bucket that received a reading since the last run is
recomputed from the raw readings (so late and replayed readings are counted exactly once),
then the cursor moves.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from yingji.apps.monitoring import conf
from yingji.apps.monitoring.models import AggregationCursor, Reading, ReadingAggregate, Resolution

_SPAN = {Resolution.MINUTE: 60, Resolution.HOUR: 3600}


def bucket_start(ts: datetime, resolution: str) -> datetime:
    """Start (UTC, epoch-aligned) of the ``resolution`` (``"1m"``/``"1h"``) bucket holding ``ts``."""
    span = _SPAN[Resolution(resolution)]
    epoch = int(ts.timestamp() // span * span)
    return datetime.fromtimestamp(epoch, tz=UTC)


def aggregate_new_readings(*, limit: int = 100_000) -> int:
    """Recompute the aggregates of every bucket that got readings since the last run.

    Processes at most ``limit`` new readings per call (the task runs every minute).

    Returns:
        Number of new readings consumed.
    """
    with transaction.atomic():
        cursor, _ = AggregationCursor.objects.select_for_update().get_or_create(name="aggregates")
        new = list(
            Reading.objects.filter(pk__gt=cursor.last_reading_id)
            .order_by("pk")
            .values_list("pk", "point_id", "ts")[:limit]
        )
        if not new:
            return 0
        touched: dict[tuple[int, str], set[datetime]] = defaultdict(set)
        for _pk, point_id, ts in new:
            for res in _SPAN:
                touched[(point_id, str(res))].add(bucket_start(ts, res))
        for (point_id, resolution), buckets in touched.items():
            _recompute(point_id, resolution, sorted(buckets))
        cursor.last_reading_id = new[-1][0]
        cursor.save(update_fields=["last_reading_id", "updated_at"])
    return len(new)


def _recompute(point_id: int, resolution: str, buckets: list[datetime]) -> None:
    span = timedelta(seconds=_SPAN[Resolution(resolution)])
    stats: dict[datetime, list[float]] = {}
    rows = Reading.objects.filter(
        point_id=point_id, ts__gte=buckets[0], ts__lt=buckets[-1] + span
    ).values_list("ts", "value")
    wanted = set(buckets)
    for ts, value in rows:
        b = bucket_start(ts, resolution)
        if b not in wanted:
            continue
        s = stats.get(b)
        if s is None:
            stats[b] = [1, value, value, value]
        else:
            s[0] += 1
            s[1] = min(s[1], value)
            s[2] = max(s[2], value)
            s[3] += value
    existing = {
        a.bucket: a
        for a in ReadingAggregate.objects.filter(
            point_id=point_id, resolution=resolution, bucket__in=list(stats)
        )
    }
    create, update = [], []
    for b, (count, lo, hi, total) in stats.items():
        agg = existing.get(b)
        if agg is None:
            create.append(
                ReadingAggregate(
                    point_id=point_id,
                    resolution=resolution,
                    bucket=b,
                    count=int(count),
                    min=lo,
                    max=hi,
                    sum=total,
                )
            )
        else:
            agg.count, agg.min, agg.max, agg.sum = int(count), lo, hi, total
            update.append(agg)
    ReadingAggregate.objects.bulk_create(create, batch_size=1000)
    if update:
        ReadingAggregate.objects.bulk_update(update, ["count", "min", "max", "sum"], batch_size=1000)


def purge_old_readings(*, now: datetime | None = None) -> dict[str, int]:
    """Delete raw readings older than ``YINGJI_MONITORING_RAW_RETENTION_DAYS`` and 1-minute
    aggregates older than ``YINGJI_MONITORING_MINUTE_RETENTION_DAYS`` (1-hour ones are kept).

    Returns:
        ``{"readings": n, "minute_aggregates": m}`` rows deleted.
    """
    now = now or timezone.now()
    raw_cut = now - timedelta(days=conf.value("YINGJI_MONITORING_RAW_RETENTION_DAYS"))
    minute_cut = now - timedelta(days=conf.value("YINGJI_MONITORING_MINUTE_RETENTION_DAYS"))
    readings, _ = Reading.objects.filter(ts__lt=raw_cut).delete()
    minutes, _ = ReadingAggregate.objects.filter(resolution=Resolution.MINUTE, bucket__lt=minute_cut).delete()
    return {"readings": readings, "minute_aggregates": minutes}
