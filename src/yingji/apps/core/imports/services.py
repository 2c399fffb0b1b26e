"""Write use cases of imports: upload + preview, authorised override, commit (all or nothing).

Each is audited through the target's ``record_change`` (core may not import the audit
app; the registering app injects it). Rows are stored by the target's ``commit`` hook,
whose services audit every created record in the same transaction.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from yingji.apps.core.imports.committing import (
    ADD_PERMISSION,
    OVERRIDE_PERMISSION,
    ImportFailed,
    ImportRefused,
    StalePreview,
    commit_import,
    require,
)
from yingji.apps.core.imports.models import ImportJob, ImportStatus
from yingji.apps.core.imports.previews import job_state, run_preview
from yingji.apps.core.imports.registry import VIEW_PERMISSION, ImportKind, get_import_kind
from yingji.apps.core.imports.tasks import commit_import_task, preview_import_task

__all__ = [
    "ADD_PERMISSION",
    "OVERRIDE_PERMISSION",
    "VIEW_PERMISSION",
    "ImportFailed",
    "ImportRefused",
    "StalePreview",
    "commit_import",
    "kind_for_upload",
    "override_import_error",
    "preview_upload",
    "request_import",
]

# Files larger than this are previewed by a Huey task (progress bar); smaller ones inline.
DEFAULT_ASYNC_BYTES = 256 * 1024
# Jobs with more valid rows than this are imported by a Huey task (the request returns at once).
DEFAULT_ASYNC_ROWS = 500
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def async_threshold() -> int:
    """Bytes above which the preview runs in a Huey task (``YINGJI_IMPORT_ASYNC_BYTES``)."""
    return int(getattr(settings, "YINGJI_IMPORT_ASYNC_BYTES", DEFAULT_ASYNC_BYTES))


def async_rows() -> int:
    """Valid rows above which the import runs in a Huey task (``YINGJI_IMPORT_ASYNC_ROWS``)."""
    return int(getattr(settings, "YINGJI_IMPORT_ASYNC_ROWS", DEFAULT_ASYNC_ROWS))


def max_upload_bytes() -> int:
    """Largest accepted upload in bytes (``YINGJI_IMPORT_MAX_BYTES``, default 20 MiB)."""
    return int(getattr(settings, "YINGJI_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def kind_for_upload(kind: str, actor: Any) -> ImportKind:
    """The registered target of ``kind`` if ``actor`` may import it.

    Raises:
        UnknownImportKind, NoImportTarget: (``ValueError``) the kind cannot be imported.
        PermissionDenied: ``actor`` lacks ``core.add_importjob`` or the kind's permission.
    """
    target = get_import_kind(kind)
    require(actor, ADD_PERMISSION, target.permission)
    return target


def _options(crs: str | None, context_year: int | None) -> dict[str, Any]:
    return {"crs": (crs or "").strip() or None, "context_year": context_year}


def preview_upload(
    *,
    actor: Any,
    kind: str,
    data: bytes,
    filename: str,
    crs: str | None = None,
    context_year: int | None = None,
) -> ImportJob:
    """Keep an uploaded file and preview it (dry run): nothing but the job is written.

    The original bytes are stored under ``MEDIA_ROOT/imports/YYYY/MM/`` with their
    SHA-256; the job creation is audited. Files up to :func:`async_threshold` bytes are
    previewed now (job ``previewed``/``failed`` on return); larger ones by
    ``preview_import_task`` after the commit (job ``queued``; poll its ``progress``).

    Args:
        actor: the uploading user (needs ``core.add_importjob`` and the kind's permission).
        kind: engine kind with a registered target (``shelters``, ``enterprises``...).
        data: the file's bytes; filename: the name it was uploaded under (kept for display).
        crs: CRS of coordinates when the file has no 坐标系 column (default WGS84).
        context_year: year for dates written without one.

    Raises:
        UnknownImportKind, NoImportTarget: (``ValueError``) unknown / not importable kind.
        PermissionDenied: missing permission.
        ValidationError: ``{"file": [...]}`` empty or too large file; nothing written.
    """
    target = kind_for_upload(kind, actor)
    if not data:
        raise ValidationError({"file": ["文件为空 (empty file)"]})
    if len(data) > max_upload_bytes():
        raise ValidationError(
            {"file": [f"文件超过{max_upload_bytes() // (1024 * 1024)}MB上限 (file too large)"]}
        )
    name = os.path.basename(filename.replace("\\", "/")).strip() or "upload"
    background = len(data) > async_threshold()
    with transaction.atomic():
        job = ImportJob(
            kind=kind,
            original_name=name[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            size_bytes=len(data),
            options=_options(crs, context_year),
            created_by=actor,
            status=ImportStatus.QUEUED,
        )
        suffix = os.path.splitext(name)[1][:10].lower()
        folder = timezone.now().strftime("imports/%Y/%m")
        job.stored_file = default_storage.save(f"{folder}/{job.sha256[:16]}{suffix}", ContentFile(data))
        job.full_clean()
        job.save()
        target.record_change(job, "create", None, actor=actor)
        if background:
            job_id = job.pk
            transaction.on_commit(lambda: preview_import_task(job_id))
    if background:
        return job
    return run_preview(job)


def override_import_error(job: ImportJob, *, actor: Any, row: int, column: str, reason: str) -> ImportJob:
    """Accept an overridable rejection (e.g. a USCC check-character failure, GB 32100-2015)
    of ``row``/``column`` with a written reason, then re-preview; audited.

    The override (reason, user, time) is stored on the job and shown as a warning on
    the row ("已强制通过: reason").

    Raises:
        PermissionDenied: ``actor`` lacks ``core.override_import`` or the kind's permission.
        ValidationError: ``{"reason"|"column": [...]}`` empty reason, or no overridable
            rejection at that row/column.
        ImportRefused: the job is not ``previewed``.
    """
    target = get_import_kind(job.kind)
    require(actor, OVERRIDE_PERMISSION, target.permission)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["请填写强制通过的理由 (a reason is required)"]})
    if job.status != ImportStatus.PREVIEWED:
        raise ImportRefused("只有已预览的任务可以强制通过 (job is not previewed)")
    rejected = job.preview.rows("rejected") if hasattr(job, "preview") else []
    if not any(r["row"] == row and r["column"] == column and r.get("overridable") for r in rejected):
        raise ValidationError({"column": [f"第{row}行“{column}”没有可强制通过的错误 (nothing to override)"]})
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        before = job_state(locked)
        overrides = dict(locked.overrides or {})
        overrides[f"{row}:{column}"] = {
            "reason": reason[:500],
            "by": actor.get_username(),
            "at": timezone.now().isoformat(timespec="seconds"),
        }
        locked.overrides = overrides
        locked.save(update_fields=["overrides"])
        target.record_change(locked, "update", before, actor=actor)
    return run_preview(locked)


def request_import(job: ImportJob, *, actor: Any) -> ImportJob:
    """The "import N valid rows" button: import now, or (more than :func:`async_rows` valid
    rows) mark the job ``importing`` and hand it to ``commit_import_task`` after the commit.

    Returns:
        The job: ``imported`` (or raised) when run now; ``importing`` when queued.

    Raises:
        PermissionDenied, ImportRefused, StalePreview, ImportFailed: as :func:`commit_import`
        (when run now); ``ImportRefused`` when the job is not ``previewed``.
    """
    target = get_import_kind(job.kind)
    require(actor, ADD_PERMISSION, target.permission)
    job.refresh_from_db()
    if job.status != ImportStatus.PREVIEWED:
        raise ImportRefused(f"任务状态为“{job.get_status_display()}”,不能导入 (job is {job.status})")
    if job.valid_rows <= async_rows():
        return commit_import(job, actor=actor)
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != ImportStatus.PREVIEWED:
            raise ImportRefused("任务已被处理 (job already handled)")
        locked.status = ImportStatus.IMPORTING
        locked.imported_by = actor
        locked.progress = 0
        locked.save(update_fields=["status", "imported_by", "progress"])
        job_id, actor_id = locked.pk, actor.pk
        transaction.on_commit(lambda: commit_import_task(job_id, actor_id))
    return locked
