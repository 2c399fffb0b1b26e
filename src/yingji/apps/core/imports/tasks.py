"""Background preview and import of large files (Huey). Thin: take ids, lock, re-check, call a service."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from huey.contrib.djhuey import db_task

from yingji.apps.core.imports.committing import ImportRefused, commit_import
from yingji.apps.core.imports.models import ImportJob, ImportStatus
from yingji.apps.core.imports.previews import run_preview

# Progress recorded when a task claims a job; a second delivery of the same task sees it and stops.
CLAIMED = 10


@db_task()
def preview_import_task(job_id: int) -> str:
    """Preview the stored file of import job ``job_id`` (status ``queued`` → ``previewed``/``failed``).

    Idempotent: a job that is no longer queued, or already claimed by another run, is left alone.

    Returns:
        The job's status afterwards (``"missing"`` if the job is gone).
    """
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return "missing"
        if job.status != ImportStatus.QUEUED or job.progress >= CLAIMED:
            return str(job.status)
        job.progress = CLAIMED
        job.save(update_fields=["progress"])
    return str(run_preview(job).status)


@db_task()
def commit_import_task(job_id: int, actor_id: int) -> str:
    """Import the valid rows of job ``job_id`` for user ``actor_id`` (status ``importing`` →
    ``imported``/``failed``, or back to ``previewed`` with a fresh preview when stale).

    Idempotent: a job that is not ``importing`` any more is left alone; the service re-checks
    the state under a row lock, so a second delivery cannot import twice.

    Returns:
        The job's status afterwards (``"missing"`` if the job or user is gone).
    """
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return "missing"
        if job.status != ImportStatus.IMPORTING:
            return str(job.status)
    actor = get_user_model().objects.filter(pk=actor_id).first()
    if actor is None:
        return "missing"
    try:
        job = commit_import(job, actor=actor)
    except ImportRefused:
        job.refresh_from_db()
    return str(job.status)
