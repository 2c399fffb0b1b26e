"""Hidden hazards (事故隐患) and their rectification (整改), photos and timeline."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager


class HazardStatus(models.TextChoices):
    REPORTED = "reported", _("已上报")
    GRADED = "graded", _("已定级")
    ASSIGNED = "assigned", _("已交办")
    RECTIFYING = "rectifying", _("整改中")
    RECTIFIED = "rectified", _("待验收")
    VERIFIED = "verified", _("已验收")
    CLOSED = "closed", _("已销号")


class HazardGrade(models.TextChoices):
    GENERAL = "general", _("一般事故隐患")
    MAJOR = "major", _("重大事故隐患")


class HazardSource(models.TextChoices):
    INSPECTION = "inspection", _("执法检查")
    SELF_CHECK = "self_check", _("企业自查")
    PUBLIC_REPORT = "public_report", _("群众举报")


class HazardCategory(models.TextChoices):
    EQUIPMENT = "equipment", _("设备设施")
    ENVIRONMENT = "environment", _("作业环境")
    BEHAVIOUR = "behaviour", _("人员行为")
    MANAGEMENT = "management", _("安全管理")
    OTHER = "other", _("其他")


class HiddenHazard(models.Model):
    """One hidden hazard of an enterprise through its lifecycle (原安监总局令第16号).

    reported → graded (一般/重大; the 20-item chemical checklist, 安监总管三〔2017〕121号,
    proposes 重大) → assigned (responsible person, deadline, funding in CNY) → rectifying
    → rectified → verified (by someone other than ``rectified_by``) → closed (销号).
    ``supervision_level`` > 0 means listed for supervision (挂牌督办): 1 on listing (major or
    overdue), +1 each ``RiskSettings.escalate_after_days`` past the deadline, capped at 3.
    State changes happen only in ``services``; each writes a ``HiddenHazardEvent``.
    """

    enterprise = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        related_name="hidden_hazards",
        verbose_name=_("企业"),
    )
    unit = models.ForeignKey(
        "risk.ProductionUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hidden_hazards",
        verbose_name=_("所在单元"),
    )
    title = models.CharField(_("隐患名称"), max_length=120)
    description = models.TextField(_("隐患描述"), blank=True)
    category = models.CharField(_("隐患类别"), max_length=16, choices=HazardCategory.choices)
    source = models.CharField(_("发现途径"), max_length=16, choices=HazardSource.choices)
    reporter_name = models.CharField(_("举报人/发现人"), max_length=32, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=HazardStatus.choices, default=HazardStatus.REPORTED, db_index=True
    )
    grade = models.CharField(_("隐患等级"), max_length=8, choices=HazardGrade.choices, blank=True)
    checklist_items = models.JSONField(_("重大隐患判定条目"), default=list, blank=True)
    proposed_grade = models.CharField(_("建议等级"), max_length=8, choices=HazardGrade.choices, blank=True)
    responsible_person = models.CharField(_("整改责任人"), max_length=32, blank=True)
    deadline = models.DateField(_("整改期限"), null=True, blank=True, db_index=True)
    funding_cny = models.DecimalField(
        _("整改资金(元)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    measures = models.TextField(_("整改措施"), blank=True)
    progress = models.TextField(_("整改进展"), blank=True)
    verification_note = models.TextField(_("验收意见"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(_("上报时间"), db_index=True)
    graded_at = models.DateTimeField(_("定级时间"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    rectified_at = models.DateTimeField(_("整改完成时间"), null=True, blank=True)
    verified_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    supervision_level = models.PositiveSmallIntegerField(_("挂牌督办级别"), default=0)
    listed_at = models.DateTimeField(_("挂牌时间"), null=True, blank=True)
    listed_reason = models.CharField(_("挂牌原因"), max_length=120, blank=True)
    is_demo = models.BooleanField(_("示例数据"), default=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    restrict_division_field = "enterprise__division"
    restrict_organization_field = "enterprise"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("事故隐患")
        verbose_name_plural = _("事故隐患")
        ordering = ["-reported_at"]
        permissions = [
            ("grade_hiddenhazard", _("可将隐患定为重大事故隐患")),
            ("verify_hiddenhazard", _("可验收、销号隐患")),
            ("supervise_hiddenhazard", _("可挂牌督办隐患")),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.title}"

    @property
    def is_open(self) -> bool:
        """Not yet closed (销号)."""
        return self.status != HazardStatus.CLOSED


class PhotoStage(models.TextChoices):
    BEFORE = "before", _("整改前")
    AFTER = "after", _("整改后")


class HiddenHazardPhoto(models.Model):
    """A photo before or after rectification (JPEG/PNG/GIF/WebP, size-limited), under MEDIA_ROOT.

    Served only through ``risk:hazard-photo`` (restricted like the hazard).
    """

    hazard = models.ForeignKey(HiddenHazard, on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(_("阶段"), max_length=8, choices=PhotoStage.choices)
    image = models.FileField(_("照片"), upload_to="risk/hazards/%Y/%m/")
    content_type = models.CharField(max_length=32)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    restrict_division_field = "hazard__enterprise__division"
    restrict_organization_field = "hazard__enterprise"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("隐患照片")
        verbose_name_plural = _("隐患照片")
        ordering = ["hazard", "stage", "uploaded_at"]

    def __str__(self) -> str:
        return f"{self.hazard_id} · {self.get_stage_display()}"


class HiddenHazardEvent(models.Model):
    """Timeline entry of a hidden hazard: one per lifecycle step (domain history)."""

    hazard = models.ForeignKey(HiddenHazard, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=24)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    restrict_division_field = "hazard__enterprise__division"
    restrict_organization_field = "hazard__enterprise"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("隐患处理记录")
        verbose_name_plural = _("隐患处理记录")
        ordering = ["hazard", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.hazard_id} · {self.action}"
