"""Computing and storing the preview (dry run) of an import.

:func:`compute_preview` is the engine's ``preview()`` plus the target's database checks
(duplicates against stored records, scope, target-model validation); it writes nothing
and is shared by the pages, the API, the Huey task and ``yingji import preview``.
:func:`run_preview` computes the preview of a stored job and records it (audited).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, transaction
from django.utils import timezone

from yingji.apps.core.imports.models import ImportJob, ImportPreview, ImportStatus
from yingji.apps.core.imports.registry import (
    ImportKind,
    RowChecks,
    UnknownImportKind,
    get_import_kind,
    registered_kind,
)
from yingji.engines.normalize.schema import KINDS, preview

PREVIEW_KEYS = (
    "encoding",
    "sheet",
    "ignored_sheets",
    "header",
    "imported",
    "rejected",
    "warnings",
    "duplicates",
)


def job_state(job: ImportJob) -> dict[str, Any]:
    """JSON-safe ``{field attname: value}`` of a job, the ``before`` of its audit records
    (same shape as ``audit.services.snapshot``, which core may not import)."""
    data = {f.attname: f.value_from_object(job) for f in job._meta.concrete_fields}
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def apply_checks(result: dict[str, Any], checks: RowChecks) -> dict[str, Any]:
    """Fold a target's :class:`RowChecks` into an engine preview dict (in place).

    Rows with errors move from ``imported`` to ``rejected`` (one entry per column,
    ``overridable`` False); rows with a duplicate move to ``duplicates``; warnings and
    file-level notes are added. Sections stay sorted by row (file-level first).

    Returns:
        ``result`` itself.
    """
    kept = []
    for item in result["imported"]:
        row = item["row"]
        if row in checks.errors:
            for column, reason in checks.errors[row]:
                value = item["values"].get(column)
                result["rejected"].append(
                    {
                        "row": row,
                        "column": column,
                        "value": None if value is None else str(value),
                        "reason": reason,
                        "overridable": False,
                    }
                )
        elif row in checks.duplicates:
            result["duplicates"].append({"row": row, "same_as": checks.duplicates[row]})
        else:
            kept.append(item)
    result["imported"] = kept
    for row, items in checks.warnings.items():
        result["warnings"].extend({"row": row, "column": c, "message": m} for c, m in items)
    result["warnings"].extend({"row": None, "column": None, "message": n} for n in checks.notes)

    def order(entry: dict[str, Any]) -> int:
        return -1 if entry.get("row") is None else int(entry["row"])

    for section in ("rejected", "warnings", "duplicates"):
        result[section].sort(key=order)
    return result


def apply_partial_checks(result: dict[str, Any], checks: RowChecks, partial: list[dict[str, Any]]) -> None:
    """Add to ``result["rejected"]`` (in place) the errors ``checks`` found on rows the engine
    already rejected: only on columns that parsed (a non-None value in ``partial``) and that
    the engine did not already reject, each (row, column) once. Duplicates and warnings of
    these rows are dropped (the row is rejected anyway)."""
    values_of = {int(item["row"]): item["values"] for item in partial}
    reported = {(r.get("row"), r.get("column")) for r in result["rejected"]}
    for row, items in checks.errors.items():
        values = values_of.get(row)
        if values is None:
            continue
        for column, reason in items:
            value = values.get(column)
            if value is None or (row, column) in reported:
                continue
            reported.add((row, column))
            result["rejected"].append(
                {"row": row, "column": column, "value": str(value), "reason": reason, "overridable": False}
            )
    result["rejected"].sort(key=lambda r: -1 if r.get("row") is None else int(r["row"]))


def compute_preview(
    kind: str,
    data: bytes,
    *,
    options: dict[str, Any] | None = None,
    overrides: dict[tuple[int, str], str] | None = None,
    target: ImportKind | None = None,
    actor: Any = None,
) -> dict[str, Any]:
    """Preview ``data`` as ``kind`` without writing anything.

    Args:
        kind: an engine kind (``yingji.engines.normalize.schema.KINDS``).
        data: the file's bytes (format detected by content).
        options: ``{"crs": str|None, "context_year": int|None}`` passed to the engine.
        overrides: ``{(row, column): reason}`` accepting overridable errors.
        target: the registered target; with it, duplicates are also checked against
            the database (``existing_keys``) and the target's ``check_rows`` runs, on the
            rows to import and, separately, on the rows the engine rejected (their other
            errors are listed too: :func:`apply_partial_checks`).
        actor: the uploading user (``check_rows`` checks their scope; None = no check).

    Returns:
        The engine's preview dict (see ``docs/engines/normalize.md``), rejected entries
        with ``overridable``.

    Raises:
        UnknownImportKind: ``kind`` is not an engine kind.
        DatabaseError: the target's database checks failed.
    """
    if kind not in KINDS:
        raise UnknownImportKind(kind)
    opts = options or {}
    engine_preview = preview(
        kind,
        data,
        crs=opts.get("crs") or None,
        context_year=opts.get("context_year") or None,
        existing_keys=target.existing_keys if target is not None else None,
        overrides=overrides or None,
    )
    result = engine_preview.to_dict()
    if target is not None and target.check_rows is not None:
        if result["imported"]:
            apply_checks(result, target.check_rows(result["imported"], actor=actor))
        partial = [{"row": r.row, "values": dict(r.values)} for r in engine_preview.partial]
        if partial:
            try:
                extra = target.check_rows(partial, actor=actor)
            except (TypeError, ValueError, KeyError, AttributeError, ArithmeticError):
                extra = None  # a hook that needs every column: the engine's errors stand alone
            if extra is not None:
                apply_partial_checks(result, extra, partial)
    return result


def is_unreadable(result: dict[str, Any]) -> bool:
    """Whether a preview says the file could not be read as a table at all."""
    return not result.get("header") and any(
        r.get("row") is None and r.get("column") is None for r in result.get("rejected", [])
    )


def counts(result: dict[str, Any]) -> dict[str, int]:
    """``{"valid_rows", "rejected_rows", "warning_count", "duplicate_rows"}`` of a preview
    (rejected rows counted once however many columns failed; file-level rejections not)."""
    return {
        "valid_rows": len(result.get("imported", [])),
        "rejected_rows": len({r["row"] for r in result.get("rejected", []) if r.get("row") is not None}),
        "warning_count": len(result.get("warnings", [])),
        "duplicate_rows": len(result.get("duplicates", [])),
    }


def read_job_file(job: ImportJob) -> bytes:
    """The original uploaded bytes of ``job``.

    Raises:
        OSError: the stored file is gone.
    """
    with job.open_original() as fh:
        return fh.read()


def set_progress(job: ImportJob, percent: int) -> None:
    """Record the progress of a running preview (seen by the status poll; not audited)."""
    ImportJob.objects.filter(pk=job.pk).update(progress=max(0, min(100, percent)))
    job.progress = percent


def store_preview(job: ImportJob, result: dict[str, Any], *, actor: Any) -> ImportJob:
    """Save ``result`` as the preview of ``job``, update its counts and status; audited.

    A file that cannot be read at all fails the job (``status=failed``, ``error`` the
    reason); otherwise the job is ``previewed`` (possibly with no valid rows). A job that
    was imported meanwhile (a concurrent commit) is returned unchanged.

    Returns:
        The updated job (or the imported one, untouched).

    Raises:
        NoImportTarget: the kind lost its registration.
    """
    target = get_import_kind(job.kind)
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status == ImportStatus.IMPORTED:
            return locked  # imported meanwhile (a concurrent commit): never re-open the job
        before = job_state(locked)
        earlier = (
            ImportJob.objects.filter(sha256=locked.sha256, kind=locked.kind, status=ImportStatus.IMPORTED)
            .exclude(pk=locked.pk)
            .order_by("-imported_at")
            .first()
        )
        if earlier is not None and earlier.imported_at is not None:
            when = timezone.localtime(earlier.imported_at).strftime("%Y-%m-%d %H:%M")
            result["warnings"].insert(
                0,
                {
                    "row": None,
                    "column": None,
                    "message": f"同一文件已于{when}导入(任务#{earlier.pk}) (same file imported before)",
                },
            )
        for key, value in counts(result).items():
            setattr(locked, key, value)
        locked.encoding = (result.get("encoding") or "")[:32]
        locked.sheet = (result.get("sheet") or "")[:128]
        locked.progress = 100
        locked.previewed_at = timezone.now()
        if is_unreadable(result):
            locked.status = ImportStatus.FAILED
            locked.error = "; ".join(r["reason"] for r in result["rejected"])[:2000]
        else:
            locked.status = ImportStatus.PREVIEWED
            locked.error = ""
        locked.save()
        ImportPreview.objects.update_or_create(
            job=locked, defaults={"data": {k: result.get(k) for k in PREVIEW_KEYS}}
        )
        target.record_change(locked, "update", before, actor=actor)
    return locked


def mark_failed(job: ImportJob, message: str, *, actor: Any) -> ImportJob:
    """Fail ``job`` with ``message`` (nothing imported); audited in its own transaction.

    A job imported meanwhile (the failure was a concurrent commit that lost, e.g. on a
    locked database) is returned unchanged."""
    target = registered_kind(job.kind)
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status == ImportStatus.IMPORTED:
            return locked
        before = job_state(locked)
        locked.status = ImportStatus.FAILED
        locked.error = message[:2000]
        locked.progress = 100
        locked.save(update_fields=["status", "error", "progress"])
        if target is not None:
            target.record_change(locked, "update", before, actor=actor)
    return locked


def run_preview(job: ImportJob) -> ImportJob:
    """Preview the stored file of ``job`` with its options and overrides and record it.

    Used inline for small files and by ``preview_import_task`` for large ones. The
    uploader is the audit actor. Database errors during the checks fail the job.

    Returns:
        The updated job (``previewed`` or ``failed``).
    """
    target = registered_kind(job.kind)
    set_progress(job, 20)
    try:
        data = read_job_file(job)
    except OSError as exc:
        return mark_failed(job, f"原始文件无法读取: {exc} (stored file unreadable)", actor=job.created_by)
    set_progress(job, 40)
    try:
        result = compute_preview(
            job.kind,
            data,
            options=job.options,
            overrides=job.override_map(),
            target=target,
            actor=job.created_by,
        )
    except DatabaseError as exc:
        return mark_failed(job, f"预览时数据库出错: {exc} (database error)", actor=job.created_by)
    set_progress(job, 90)
    return store_preview(job, result, actor=job.created_by)
