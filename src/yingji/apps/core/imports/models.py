"""The import job aggregate: one uploaded file, its preview and what was imported."""

from __future__ import annotations

from typing import IO, Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("预览中")
    PREVIEWED = "previewed", _("已预览")
    IMPORTING = "importing", _("导入中")
    IMPORTED = "imported", _("已导入")
    FAILED = "failed", _("失败")


class ImportJob(models.Model):
    """One upload of a registry file (导入任务): the original file kept under ``MEDIA_ROOT``
    with its SHA-256, how it was read, the preview counts, overrides and the outcome.

    Status: ``queued`` (large files are previewed by a Huey task) → ``previewed`` →
    (``importing``: a large import waiting for / running in its Huey task) → ``imported``
    (all valid rows stored in one transaction) or ``failed`` (unreadable file, or the
    import rolled back; nothing stored). Every change is audited. The
    preview itself (possibly thousands of rows) lives in :class:`ImportPreview` so that
    audit snapshots of the job stay small.

    Restriction: permission ``core.view_importjob``; the job belongs to its uploader
    (``restrict_owner_field``): every user but an unrestricted admin sees only the jobs
    they uploaded, whatever the scope of their grant (a township officer's or an
    enterprise safety manager's file may hold data of anyone).
    """

    kind = models.CharField(_("导入类型"), max_length=32, db_index=True)
    original_name = models.CharField(_("原文件名"), max_length=255)
    # Storage name of the original bytes (default storage, under MEDIA_ROOT/imports/YYYY/MM/). A plain
    # CharField rather than a FileField: the audit snapshot serialises it as the name.
    stored_file = models.CharField(_("原始文件"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size_bytes = models.PositiveBigIntegerField(_("文件大小(字节)"))
    encoding = models.CharField(_("文本编码"), max_length=32, blank=True)
    sheet = models.CharField(_("工作表"), max_length=128, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    options = models.JSONField(_("预览选项"), default=dict, blank=True)
    overrides = models.JSONField(_("强制通过"), default=dict, blank=True)
    valid_rows = models.PositiveIntegerField(_("可导入行数"), default=0)
    rejected_rows = models.PositiveIntegerField(_("被拒绝行数"), default=0)
    warning_count = models.PositiveIntegerField(_("警告数"), default=0)
    duplicate_rows = models.PositiveIntegerField(_("重复行数"), default=0)
    imported_rows = models.PositiveIntegerField(_("已导入行数"), default=0)
    result = models.JSONField(_("导入结果"), default=dict, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("上传人"),
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("导入人"),
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True, db_index=True)
    previewed_at = models.DateTimeField(_("预览时间"), null=True, blank=True)
    imported_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    restrict_division_field = None
    restrict_organization_field = None
    restrict_owner_field = "created_by"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-id"]
        permissions = [("override_import", _("可强制通过可豁免的导入错误"))]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.original_name}"

    @property
    def in_progress(self) -> bool:
        """Whether a background task is previewing or importing this job (pages poll it)."""
        return self.status in (ImportStatus.QUEUED, ImportStatus.IMPORTING)

    @property
    def encoding_label(self) -> str:
        """The encoding as clerks know it (``GB18030``, ``UTF-8``); empty for workbooks."""
        return self.encoding.upper().removesuffix("-SIG")

    def open_original(self) -> IO[bytes]:
        """Open the kept original file for reading (binary).

        Raises:
            OSError: the stored file is gone.
        """
        return default_storage.open(self.stored_file, "rb")

    def override_map(self) -> dict[tuple[int, str], str]:
        """Overrides as the engine wants them: ``{(row, column): reason}``."""
        out: dict[tuple[int, str], str] = {}
        for key, entry in (self.overrides or {}).items():
            row, _sep, column = key.partition(":")
            out[(int(row), column)] = entry["reason"] if isinstance(entry, dict) else str(entry)
        return out


class ImportPreview(models.Model):
    """The preview of an :class:`ImportJob` (part of its aggregate): the engine's dict
    (``encoding``, ``sheet``, ``ignored_sheets``, ``header``, ``imported``, ``rejected``,
    ``warnings``, ``duplicates``) after the target's database checks. Replaced on every
    re-preview (override, stale commit)."""

    job = models.OneToOneField(
        ImportJob,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="preview",
        verbose_name=_("导入任务"),
    )
    data = models.JSONField(_("预览"), default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    restrict_division_field = None
    restrict_organization_field = None

    class Meta:
        verbose_name = _("导入预览")
        verbose_name_plural = _("导入预览")

    def __str__(self) -> str:
        return f"preview of job {self.job_id}"

    def rows(self, section: str) -> list[dict[str, Any]]:
        """One section of the preview (``imported``, ``rejected``, ``warnings``, ``duplicates``)."""
        value = (self.data or {}).get(section) or []
        return list(value)
