"""Reports (首报 / 续报 / 终报): drafted from the structured record, edited, versioned, sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager

CHINESE_NUMERALS = "零一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (1..99); other values as digits."""
    if not 1 <= n <= 99:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CHINESE_NUMERALS[ones]
    head = "" if tens == 1 else CHINESE_NUMERALS[tens]
    return head + "十" + (CHINESE_NUMERALS[ones] if ones else "")


class ReportKind(models.TextChoices):
    INITIAL = "initial", _("首报")
    UPDATE = "update", _("续报")
    FINAL = "final", _("终报")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SENT = "sent", _("已报送")


class SendLevel(models.IntegerChoices):
    """Receiving level of an upward report (493 art.10 escalation levels)."""

    PREFECTURE = 1, _("州级")
    REGION = 2, _("自治区级")
    MINISTRY = 3, _("应急管理部")


# An official report is a few pages; the cap keeps .docx/PDF rendering fast (PDF time grows with length).
REPORT_BODY_MAX_CHARS = 20_000


class IncidentReport(models.Model):
    """A report of an incident: 首报 (one), numbered 续报 (续报一, 续报二…), 终报 (one, closes the incident).

    ``title``/``body`` are the current text (generated from the structured record,
    editable while a draft); every save adds an ``IncidentReportVersion``. Sending
    freezes it: ``sent_version`` is the version sent, ``sent_levels`` the receiving
    levels (1 州, 2 自治区, 3 部), which meet the escalation deadlines.
    """

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("类型"), max_length=16, choices=ReportKind.choices)
    sequence = models.PositiveSmallIntegerField(_("续报序号"), default=0)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    facts = models.JSONField(_("事实快照"), default=dict)
    version = models.PositiveIntegerField(_("版本"), default=1)
    status = models.CharField(_("状态"), max_length=16, choices=ReportStatus.choices, default="draft")
    sent_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    sent_levels = models.JSONField(_("报送层级"), default=list, blank=True)
    sent_version = models.PositiveIntegerField(_("报送版本"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    restrict_division_field = "incident__division"
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("事件报告")
        verbose_name_plural = _("事件报告")
        ordering = ["incident", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "kind", "sequence"], name="report_kind_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.label} · {self.title}"

    @property
    def label(self) -> str:
        """首报 / 续报一 / 续报二 … / 终报."""
        if self.kind == ReportKind.UPDATE:
            return f"续报{chinese_number(self.sequence)}"
        return str(ReportKind(self.kind).label)

    @property
    def is_draft(self) -> bool:
        return self.status == ReportStatus.DRAFT


class IncidentReportVersion(models.Model):
    """One saved version of a report's text (append-only; the report points at the newest)."""

    report = models.ForeignKey("incidents.IncidentReport", on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("版本"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    facts = models.JSONField(_("事实快照"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    restrict_division_field = "report__incident__division"
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("报告版本")
        verbose_name_plural = _("报告版本")
        ordering = ["report", "version"]
        constraints = [models.UniqueConstraint(fields=["report", "version"], name="report_version_unique")]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.version}"
