"""Resource registries: depots (储备库), rescue teams, experts (专家库), shelters (避难场所).

Every record sits in a division (restriction scope) and may belong to an
organisation. Coordinates are WGS84. ``is_demo`` marks generated 示例 data.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager
from yingji.apps.directory.geo import coordinate_errors
from yingji.engines.normalize.phone import parse_phone


def split_tags(text: str) -> list[str]:
    """Tags of a ``、``/``,``/``，``/``;``-separated text field, stripped, empty ones dropped."""
    for sep in ("，", ",", ";", "；", "/"):
        text = text.replace(sep, "、")
    return [t.strip() for t in text.split("、") if t.strip()]


def normalized_phone(value: str) -> tuple[str, str | None]:
    """``(stored form, error)`` of a phone cell/field: a mobile as 11 digits, a landline as
    ``area-number[-ext]`` (《电信网编号计划》, see ``engines.normalize.phone.parse_phone``);
    blank stays blank. ``error`` is None when the number is valid."""
    if not (value or "").strip():
        return "", None
    res = parse_phone(value)
    if not res.valid or res.value is None:
        return value, res.error or str(_("无法识别的电话号码。"))
    return res.value, None


class _Located(models.Model):
    """Common fields of located registry records (division scope, owner, WGS84 point, contact)."""

    division = models.ForeignKey(
        "directory.AdministrativeDivision",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所在区划"),
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所属单位"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lon = models.FloatField(_("经度(WGS84)"), null=True, blank=True)
    lat = models.FloatField(_("纬度(WGS84)"), null=True, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    is_demo = models.BooleanField(_("示例数据"), default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    restrict_division_field = "division"
    restrict_organization_field = "organization"

    objects = RestrictedManager()

    class Meta:
        abstract = True

    def clean(self) -> None:
        """Check the point (both or neither, in range, inside the county) and normalise the
        phone number; raises ``ValidationError`` with messages on ``lon``/``lat``/``phone``."""
        super().clean()
        errors = coordinate_errors(self.lon, self.lat)
        self.phone, phone_error = normalized_phone(self.phone)
        if phone_error:
            errors["phone"] = phone_error
        if errors:
            raise ValidationError(errors)


class Depot(_Located):
    """A reserve depot (储备库) of any owner."""

    class OwnerKind(models.TextChoices):
        BUREAU = "bureau", _("应急管理局")
        DEPARTMENT = "department", _("部门")
        TOWNSHIP = "township", _("乡镇")
        ENTERPRISE = "enterprise", _("企业")
        AGREEMENT = "agreement", _("协议储备")

    code = models.CharField(_("编号"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    owner_kind = models.CharField(_("储备主体"), max_length=16, choices=OwnerKind.choices)
    floor_area_m2 = models.DecimalField(
        _("面积(m²)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("储备库")
        verbose_name_plural = _("储备库")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class RescueTeam(_Located):
    """A rescue team (应急救援队伍)."""

    class Kind(models.TextChoices):
        COMPREHENSIVE = "comprehensive", _("综合性")
        SPECIALISED = "specialised", _("专业")
        VOLUNTEER = "volunteer", _("社会")

    class Readiness(models.TextChoices):
        READY = "ready", _("待命")
        DEPLOYED = "deployed", _("出动")
        UNAVAILABLE = "unavailable", _("不可用")

    name = models.CharField(_("名称"), max_length=128)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    specialty = models.CharField(_("专业方向"), max_length=64, blank=True)
    member_count = models.PositiveIntegerField(_("人数"), default=0)
    readiness = models.CharField(_("状态"), max_length=16, choices=Readiness.choices, default=Readiness.READY)
    skills = models.CharField(
        _("技能标签"), max_length=300, blank=True, help_text=_("以顿号或逗号分隔，如：搜救、破拆")
    )
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("救援队伍")
        verbose_name_plural = _("救援队伍")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Expert(_Located):
    """An expert in the expert roster (专家库)."""

    name = models.CharField(_("姓名"), max_length=64)
    specialty = models.CharField(_("专业"), max_length=64)
    title = models.CharField(_("职称"), max_length=64, blank=True)
    available = models.BooleanField(_("可调用"), default=True)
    availability_note = models.CharField(_("可调用说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("专家")
        verbose_name_plural = _("专家")
        ordering = ["specialty", "name"]

    def __str__(self) -> str:
        return self.name


class Shelter(_Located):
    """An emergency shelter (应急避难场所); capacity in persons."""

    class Kind(models.TextChoices):
        OUTDOOR = "outdoor", _("室外场地")
        INDOOR = "indoor", _("室内场所")

    class Status(models.TextChoices):
        OPEN = "open", _("开放")
        CLOSED = "closed", _("关闭")
        FULL = "full", _("已满")

    code = models.CharField(_("编号"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    capacity_persons = models.PositiveIntegerField(_("容纳人数"))
    area_m2 = models.DecimalField(
        _("面积(m²)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.CLOSED)
    occupancy = models.PositiveIntegerField(_("当前人数"), default=0)
    facilities = models.CharField(
        _("设施"), max_length=300, blank=True, help_text=_("以顿号分隔，如：供水、供电、厕所、医疗点")
    )
    accessibility = models.CharField(_("无障碍与通达"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("避难场所")
        verbose_name_plural = _("避难场所")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(occupancy__lte=models.F("capacity_persons")),
                name="shelter_occupancy_within_capacity",
            )
        ]

    def __str__(self) -> str:
        return self.name
