"""Importing a previewed job: all valid rows in ONE transaction, or nothing.

Separate from :mod:`.services` so that the Huey task (``commit_import_task``) can call it
without an import cycle (``services`` queues the tasks).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from yingji.apps.core.imports.models import ImportJob, ImportStatus
from yingji.apps.core.imports.previews import (
    compute_preview,
    job_state,
    mark_failed,
    read_job_file,
    store_preview,
)
from yingji.apps.core.imports.registry import ImportRowError, get_import_kind

ADD_PERMISSION = "core.add_importjob"
OVERRIDE_PERMISSION = "core.override_import"


class ImportRefused(Exception):
    """The requested step is not possible in the job's state (message for the clerk)."""


class StalePreview(ImportRefused):
    """The data changed since the preview (new duplicates in the database...): the job
    now holds the fresh preview and nothing was imported."""


class ImportFailed(ImportRefused):
    """Storing the rows failed; the transaction rolled back (nothing imported) and the
    job is ``failed`` with the reason."""


def require(actor: Any, *perms: str) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` is signed in and holds every one of ``perms``."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("login required")
    missing = [p for p in perms if not actor.has_perm(p)]
    if missing:
        raise PermissionDenied(f"missing permission: {', '.join(missing)}")


def commit_import(job: ImportJob, *, actor: Any) -> ImportJob:
    """Import every valid row of a previewed job in ONE transaction, or nothing.

    The stored file is re-validated first (engine, database duplicates, the target's
    checks, with the job's overrides). If the importable rows differ from the preview
    the clerk saw, the job gets the fresh preview and :class:`StalePreview` is raised.
    Then, in one transaction: the target's ``commit`` stores the rows (each audited by
    its service), the job becomes ``imported`` (audited). Any failure rolls everything
    back; the job is then ``failed`` with the reason (audited).

    Returns:
        The imported job (``imported_rows``, ``result`` from the target).

    Raises:
        PermissionDenied: ``actor`` lacks ``core.add_importjob`` or the kind's permission.
        ImportRefused: not ``previewed``, or nothing to import.
        StalePreview: the data changed since the preview.
        ImportFailed: storing failed; nothing imported.
    """
    target = get_import_kind(job.kind)
    require(actor, ADD_PERMISSION, target.permission)
    job.refresh_from_db()
    if job.status not in (ImportStatus.PREVIEWED, ImportStatus.IMPORTING):
        raise ImportRefused(f"任务状态为“{job.get_status_display()}”,不能导入 (job is {job.status})")
    shown = [r["row"] for r in job.preview.rows("imported")]
    try:
        data = read_job_file(job)
    except OSError as exc:
        message = f"原始文件无法读取,未导入任何数据: {exc} (stored file unreadable)"
        mark_failed(job, message, actor=actor)
        raise ImportFailed(message) from exc
    fresh = compute_preview(
        job.kind,
        data,
        options=job.options,
        overrides=job.override_map(),
        target=target,
        actor=actor,
    )
    if [r["row"] for r in fresh["imported"]] != shown:
        if store_preview(job, fresh, actor=actor).status == ImportStatus.IMPORTED:
            raise ImportRefused("任务已被处理 (job already handled)")
        raise StalePreview(
            "预览后数据已变化(例如数据库中新增了重复记录),请核对新的预览后再导入 (preview is stale)"
        )
    if not fresh["imported"]:
        if job.status == ImportStatus.IMPORTING:
            store_preview(job, fresh, actor=actor)
        raise ImportRefused("没有可导入的有效行 (no valid rows)")
    rows = fresh["imported"]
    try:
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.status not in (ImportStatus.PREVIEWED, ImportStatus.IMPORTING):
                raise ImportRefused("任务已被处理 (job already handled)")
            before = job_state(locked)
            result = dict(target.commit(rows, actor=actor, job=locked))
            locked.status = ImportStatus.IMPORTED
            locked.imported_rows = int(result.get("created", len(rows)))
            locked.result = result
            locked.imported_by = actor
            locked.imported_at = timezone.now()
            locked.error = ""
            locked.save()
            target.record_change(locked, "update", before, actor=actor)
    except ImportRowError as exc:
        message = f"导入失败,未导入任何数据 (nothing imported): {exc}"
        mark_failed(job, message, actor=actor)
        raise ImportFailed(message) from exc
    except ValidationError as exc:
        message = f"导入失败,未导入任何数据 (nothing imported): {'; '.join(exc.messages)}"
        mark_failed(job, message, actor=actor)
        raise ImportFailed(message) from exc
    except DatabaseError as exc:
        message = f"导入失败,未导入任何数据 (nothing imported): 数据库错误 {exc}"
        mark_failed(job, message, actor=actor)
        raise ImportFailed(message) from exc
    return locked
