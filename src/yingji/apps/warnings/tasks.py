"""Huey tasks: feed polling, drop-folder scanning, retries, expiry (periodic), plus the delivery tasks."""

from __future__ import annotations

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from yingji.apps.warnings import dissemination, ingest, services
from yingji.apps.warnings.delivery_tasks import fan_out_warning_task, send_dispatch_task
from yingji.apps.warnings.models import DeliveryState, Dispatch, FeedSource, SourceKind

__all__ = [
    "expire_warnings_task",
    "fan_out_warning_task",
    "poll_due_sources_task",
    "poll_source_task",
    "retry_failed_deliveries_task",
    "send_dispatch_task",
]


@db_task()
def poll_source_task(source_id: int) -> str:
    """Poll one feed or scan one folder source (skipped when disabled or locked by another worker)."""
    with transaction.atomic():
        source = (
            FeedSource.objects.select_for_update(skip_locked=True).filter(pk=source_id, enabled=True).first()
        )
        if source is None:
            return "skipped"
    if source.kind == SourceKind.FEED:
        return ingest.poll_feed_source(source).summary()
    if source.kind == SourceKind.FOLDER:
        return ingest.scan_drop_folder(source).summary()
    return "not polled"


@db_periodic_task(crontab(minute="*"))
def poll_due_sources_task() -> int:
    """Every minute: queue a poll of each source whose interval has elapsed."""
    due = ingest.sources_due()
    for source in due:
        poll_source_task(source.pk)
    return len(due)


@db_periodic_task(crontab(minute="*/2"))
def retry_failed_deliveries_task() -> int:
    """Every two minutes: re-queue failed deliveries below the attempt limit and send them again."""
    requeued = 0
    ids = (
        Dispatch.objects.filter(
            deliveries__state=DeliveryState.FAILED, deliveries__attempts__lt=dissemination.MAX_ATTEMPTS
        )
        .values_list("id", flat=True)
        .distinct()
    )
    for dispatch in Dispatch.objects.filter(id__in=list(ids)):
        n = dissemination.requeue_failed(dispatch)
        if n:
            requeued += n
            send_dispatch_task(dispatch.pk)
    return requeued


@db_periodic_task(crontab(minute="*/5"))
def expire_warnings_task() -> int:
    """Every five minutes: released warnings past ``expires`` become expired."""
    return services.expire_warnings()
