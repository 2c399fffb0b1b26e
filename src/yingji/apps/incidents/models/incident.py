"""The incident (突发事件): intake record, current facts, grade and status."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.dates import past_time_error
from yingji.apps.core.querysets import RestrictedManager
from yingji.apps.directory.geo import coordinate_errors
from yingji.apps.incidents.models.incident_type import IncidentCategory

#: Clock skew tolerated before a time counts as "in the future".
FUTURE_TOLERANCE = timedelta(minutes=5)


# Largest direct economic loss accepted at intake (1 万亿元 = 10^12 CNY): far above any county event,
# and far from the storage column's limits.
MAX_LOSS_CNY = Decimal("1000000000000")


class IncidentSource(models.TextChoices):
    """Where the first report came from (接报来源)."""

    PHONE = "phone", _("电话")
    POLICE_110 = "110", _("110转警")
    FIRE_119 = "119", _("119转警")
    AMBULANCE_120 = "120", _("120转警")
    TOWNSHIP_OFFICER = "township_officer", _("乡镇干部")
    DISASTER_OFFICER = "disaster_officer", _("灾害信息员")
    MONITORING_ALARM = "monitoring_alarm", _("监测报警")
    UPPER_NOTICE = "upper_notice", _("上级通报")
    PUBLIC = "public", _("群众报告")


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("处置中")
    CLOSED = "closed", _("已终报")


GRADE_CHOICES = [(1, _("特别重大")), (2, _("重大")), (3, _("较大")), (4, _("一般"))]
GRADE_COLORS = {1: "#b71c1c", 2: "#e65100", 3: "#f9a825", 4: "#1565c0", None: "#757575"}

#: Fact fields a 续报 may change, with their Chinese labels (timeline and reports).
FACT_FIELDS: dict[str, str] = {
    "deaths": "死亡",
    "missing": "失踪",
    "serious_injuries": "重伤",
    "injured": "轻伤",
    "trapped": "被困",
    "direct_loss_cny": "直接经济损失(元)",
    "description": "事件描述",
    "hazmat_involved": "涉及危险化学品",
    "hazmat_description": "危险化学品情况",
    "address": "地址",
}
CASUALTY_FIELDS = ("deaths", "missing", "serious_injuries", "injured", "trapped")


class Incident(models.Model):
    """An incident taken in by the duty desk, with its current facts and grade.

    Facts (casualties in persons, ``direct_loss_cny`` in CNY 元) are the latest known;
    every change arrives as an ``IncidentUpdate`` (续报) and is re-graded
    (国务院令第493号 for accidents, county rule tables otherwise). ``version`` counts
    edits: a write must name the version it started from, so two officers editing at
    once get a conflict instead of a lost update. ``reported_at`` is when the county
    received the first report (the 493 art.9 unit-report clock). Scoped by ``division``.
    """

    number = models.CharField(_("编号"), max_length=24, unique=True, null=True, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    category = models.CharField(_("类别"), max_length=24, choices=IncidentCategory.choices)
    incident_type = models.ForeignKey(
        "incidents.IncidentType", on_delete=models.PROTECT, related_name="+", verbose_name=_("事件类型")
    )
    source = models.CharField(_("接报来源"), max_length=24, choices=IncidentSource.choices)
    occurred_at = models.DateTimeField(_("发生时间"))
    reported_at = models.DateTimeField(_("接报时间"))
    division = models.ForeignKey(
        "directory.AdministrativeDivision",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("发生地区划"),
    )
    lon = models.FloatField(_("经度(WGS84)"), null=True, blank=True)
    lat = models.FloatField(_("纬度(WGS84)"), null=True, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    description = models.TextField(_("事件描述"), blank=True)
    deaths = models.PositiveIntegerField(_("死亡(人)"), default=0)
    missing = models.PositiveIntegerField(_("失踪(人)"), default=0)
    serious_injuries = models.PositiveIntegerField(_("重伤(人)"), default=0)
    injured = models.PositiveIntegerField(_("轻伤(人)"), default=0)
    trapped = models.PositiveIntegerField(_("被困(人)"), default=0)
    direct_loss_cny = models.DecimalField(
        _("直接经济损失(元)"),
        max_digits=16,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    hazmat_involved = models.BooleanField(_("涉及危险化学品"), default=False)
    hazmat_description = models.CharField(_("危险化学品情况"), max_length=300, blank=True)
    reporter_name = models.CharField(_("报告人"), max_length=64, blank=True)
    reporter_phone = models.CharField(_("报告人电话"), max_length=32, blank=True)
    reporter_org = models.CharField(_("报告单位"), max_length=128, blank=True)
    grade = models.PositiveSmallIntegerField(_("等级"), null=True, blank=True, choices=GRADE_CHOICES)
    grade_reasons = models.JSONField(_("定级理由"), default=list, blank=True)
    grade_source = models.CharField(_("定级依据"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=IncidentStatus.choices, default=IncidentStatus.OPEN
    )
    stabilized_at = models.DateTimeField(_("灾情稳定时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    is_demo = models.BooleanField(_("示例数据"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    restrict_division_field = "division"
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("突发事件")
        verbose_name_plural = _("突发事件")
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-reported_at"], name="incident_status_reported"),
            models.Index(fields=["-reported_at"], name="incident_reported"),
            models.Index(fields=["incident_type", "occurred_at"], name="incident_type_time"),
        ]

    def __str__(self) -> str:
        return f"{self.number or '—'} {self.title}"

    @property
    def grade_color(self) -> str:
        """Map/badge colour of the grade (grey when ungraded)."""
        return GRADE_COLORS.get(self.grade, GRADE_COLORS[None])

    @property
    def is_open(self) -> bool:
        return self.status == IncidentStatus.OPEN

    def casualties(self) -> dict[str, int]:
        """``{deaths, missing, serious_injuries, injured, trapped}`` in persons."""
        return {name: int(getattr(self, name)) for name in CASUALTY_FIELDS}

    def clean(self) -> None:
        """Field checks beyond the column types: times, category/type, point inside the county.

        Raises:
            ValidationError: a time in the future (beyond ``FUTURE_TOLERANCE``) or before
                2000 (``core.dates.EARLIEST``), reported before it occurred, a type of
                another category, half a coordinate, a point outside the county boundary.
        """
        errors: dict[str, str] = {}
        limit = timezone.now() + FUTURE_TOLERANCE
        if self.occurred_at and self.occurred_at > limit:
            errors["occurred_at"] = str(_("发生时间不能晚于当前时间。"))
        elif early := past_time_error(self.occurred_at, skew=FUTURE_TOLERANCE):
            errors["occurred_at"] = early
        if self.reported_at and self.reported_at > limit:
            errors["reported_at"] = str(_("接报时间不能晚于当前时间。"))
        elif early := past_time_error(self.reported_at, skew=FUTURE_TOLERANCE):
            errors["reported_at"] = early
        if self.occurred_at and self.reported_at and self.reported_at < self.occurred_at:
            errors["reported_at"] = str(_("接报时间不能早于发生时间。"))
        if self.incident_type_id and self.category and self.incident_type.category != self.category:
            errors["incident_type"] = str(_("事件类型与类别不一致。"))
        errors.update({k: str(v) for k, v in coordinate_errors(self.lon, self.lat).items()})
        county = str(getattr(settings, "YINGJI_COUNTY_CODE", ""))[:6]
        if self.division_id and county and not self.division.code.startswith(county):
            errors["division"] = str(_("区划不在本县范围内。"))
        if errors:
            raise ValidationError(errors)
