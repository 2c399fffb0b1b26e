"""Duty log (值班日志): time-stamped calls, instructions and notes of the duty desk."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager


class LogKind(models.TextChoices):
    CALL_IN = "call_in", _("来电")
    CALL_OUT = "call_out", _("去电")
    INSTRUCTION = "instruction", _("领导指示")
    NOTE = "note", _("记事")


class DutyLogEntry(models.Model):
    """One duty-log entry. Calls carry the caller (or callee) and number; instructions who gave them.

    Entries are append-only (no update service). Restricted by ``division``:
    township officers write and read their township's log.
    """

    division = models.ForeignKey(
        "directory.AdministrativeDivision", on_delete=models.PROTECT, related_name="+", verbose_name=_("区划")
    )
    shift = models.ForeignKey(
        "duty.Shift",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="log_entries",
        verbose_name=_("班次"),
    )
    kind = models.CharField(_("类型"), max_length=12, choices=LogKind.choices, db_index=True)
    occurred_at = models.DateTimeField(_("时间"), db_index=True)
    caller_name = models.CharField(_("来电/去电方"), max_length=64, blank=True)
    caller_number = models.CharField(_("电话号码"), max_length=32, blank=True)
    instructed_by = models.CharField(_("指示人"), max_length=64, blank=True)
    summary = models.TextField(_("内容摘要"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    is_demo = models.BooleanField(_("示例数据"), default=False, db_index=True)

    restrict_division_field = "division"
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("值班日志")
        verbose_name_plural = _("值班日志")
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.summary[:30]}"

    def clean(self) -> None:
        """Calls need a caller name or number; instructions need who gave them; summary not blank."""
        errors: dict[str, Any] = {}
        if self.kind in (LogKind.CALL_IN, LogKind.CALL_OUT) and not (
            self.caller_name.strip() or self.caller_number.strip()
        ):
            errors["caller_number"] = _("来电/去电须填写对方姓名或号码。")
        if self.kind == LogKind.INSTRUCTION and not self.instructed_by.strip():
            errors["instructed_by"] = _("领导指示须填写指示人。")
        if not (self.summary or "").strip():
            errors["summary"] = _("请填写内容摘要。")
        if errors:
            raise ValidationError(errors)
