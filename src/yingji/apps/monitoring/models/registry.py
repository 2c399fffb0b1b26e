"""Registry of the monitoring network: gateways, devices, monitoring points, maintenance windows."""

from __future__ import annotations

import hashlib
import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.dates import planned_date_error
from yingji.apps.core.querysets import RestrictedManager
from yingji.apps.directory.geo import coordinate_errors
from yingji.engines.monitoring import ConfigError, PointConfig
from yingji.engines.normalize.kinds.monitoring import config_error_zh

#: The engine's alarm-rule fields (``PointConfig``), stored one column each on the point.
ALARM_CONFIG_FIELDS: tuple[str, ...] = (
    "hh",
    "h",
    "l",
    "ll",
    "deadband",
    "on_delay_s",
    "off_delay_s",
    "offline_s",
    "roc_per_s",
)


def _config_error_field(message: str) -> str:
    """The configuration field a ``ConfigError`` message is about (``"__all__"`` if none)."""
    match = re.search(r">= (\w+)=", message) or re.search(r"(?:^|: )(\w+) must", message)
    if match and match.group(1) in ALARM_CONFIG_FIELDS:
        return match.group(1)
    return "__all__"


def hash_token(token: str) -> str:
    """SHA-256 hex digest of a gateway API token (only the digest is stored)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Gateway(models.Model):
    """A data-acquisition gateway (数据采集网关) of an enterprise that sends readings.

    Authenticates to the HTTP batch API with its own token (``Authorization: Gateway
    <token>``); only the SHA-256 of the token is stored, the plain token is shown once
    when it is issued. Restricted by its enterprise's division and, for enterprise
    safety managers, by the enterprise.
    """

    code = models.CharField(_("网关编码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    token_hash = models.CharField(_("令牌摘要"), max_length=64, blank=True, db_index=True, editable=False)
    token_prefix = models.CharField(_("令牌前缀"), max_length=12, blank=True, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    last_seen_at = models.DateTimeField(_("最近上报"), null=True, blank=True)
    is_demo = models.BooleanField(_("示例数据"), default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    restrict_division_field = "organization__division"
    restrict_organization_field = "organization"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("采集网关")
        verbose_name_plural = _("采集网关")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Device(models.Model):
    """A field instrument (传感器/探测器) that carries one or more monitoring points (channels)."""

    code = models.CharField(_("设备编码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    gateway = models.ForeignKey(
        Gateway,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="devices",
        verbose_name=_("网关"),
    )
    model_name = models.CharField(_("型号"), max_length=64, blank=True)
    serial_number = models.CharField(_("出厂编号"), max_length=64, blank=True)
    is_demo = models.BooleanField(_("示例数据"), default=False, db_index=True)

    restrict_division_field = "organization__division"
    restrict_organization_field = "organization"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("监测设备")
        verbose_name_plural = _("监测设备")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        """The gateway belongs to the device's enterprise."""
        super().clean()
        if (
            self.gateway is not None
            and self.organization_id
            and self.gateway.organization_id != self.organization_id
        ):
            raise ValidationError({"gateway": _("网关必须属于同一企业。")})


class Quantity(models.TextChoices):
    """What a point measures."""

    TEMPERATURE = "temperature", _("温度")
    PRESSURE = "pressure", _("压力")
    LEVEL = "level", _("液位")
    FLAMMABLE_GAS = "flammable_gas", _("可燃气体浓度")
    TOXIC_GAS = "toxic_gas", _("有毒气体浓度")
    FLOW = "flow", _("流量")
    PHREATIC_LINE = "phreatic_line", _("浸润线埋深")
    DISPLACEMENT = "displacement", _("位移")
    RAINFALL = "rainfall", _("降雨量")
    WATER_LEVEL = "water_level", _("库水位")
    DRY_BEACH = "dry_beach", _("干滩长度")
    FIRE = "fire", _("火灾报警")
    OTHER = "other", _("其他")


class SiteKind(models.TextChoices):
    """Where inside the enterprise a point sits."""

    INSTALLATION = "installation", _("生产装置/储存设施")
    DAM = "dam", _("尾矿库/坝体")
    BUILDING = "building", _("建筑物")
    OTHER = "other", _("其他")


class MonitoringPoint(models.Model):
    """A monitoring point (监测点/测点): one measured quantity of one place, with its alarm rules.

    ``code`` is the point id used by gateways (MQTT topic suffix, HTTP batch ``point``) and by
    the alarm engine. The alarm configuration columns are the engine's ``PointConfig``
    fields (``docs/engines/monitoring.md``); ``engine_config()`` builds it and ``clean``
    rejects what the engine would reject. ``installation_ref`` is an optional integer id of a
    ``risk.ProductionUnit`` (not a foreign key while that app is being extended; the label
    ``site_name`` is what is shown). ``major_hazard_level`` (GB 18218-2018 一级..四级) marks
    points at a major hazard installation (red/HH alarms there offer incident intake).
    ``out_of_service`` is ISA-18.2 "out of service": readings are stored, no alarm is raised.
    Restricted by the enterprise's division and, for enterprise safety managers, the enterprise.
    """

    code = models.CharField(_("测点编码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="monitoring_points",
        verbose_name=_("企业"),
    )
    site_kind = models.CharField(
        _("部位类型"), max_length=16, choices=SiteKind.choices, default=SiteKind.INSTALLATION
    )
    site_name = models.CharField(_("装置/库坝/建筑"), max_length=128, blank=True)
    installation_ref = models.PositiveIntegerField(_("生产单元ID"), null=True, blank=True)
    major_hazard_level = models.PositiveSmallIntegerField(
        _("重大危险源等级"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    quantity = models.CharField(_("监测量"), max_length=24, choices=Quantity.choices)
    unit = models.CharField(_("单位"), max_length=16, blank=True)
    sampling_period_s = models.PositiveIntegerField(_("采样周期(秒)"), default=10)
    device = models.ForeignKey(
        Device,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="points",
        verbose_name=_("设备"),
    )
    gateway = models.ForeignKey(
        Gateway,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="points",
        verbose_name=_("网关"),
    )
    hh = models.FloatField(_("高高限"), null=True, blank=True)
    h = models.FloatField(_("高限"), null=True, blank=True)
    l = models.FloatField(_("低限"), null=True, blank=True)  # noqa: E741 - the limit's conventional name
    ll = models.FloatField(_("低低限"), null=True, blank=True)
    deadband = models.FloatField(_("死区"), default=0.0)
    on_delay_s = models.FloatField(_("报警延时(秒)"), default=0.0)
    off_delay_s = models.FloatField(_("消警延时(秒)"), default=0.0)
    offline_s = models.FloatField(_("离线判定(秒)"), null=True, blank=True)
    roc_per_s = models.FloatField(_("变化率限(每秒)"), null=True, blank=True)
    out_of_service = models.BooleanField(_("停用(检修)"), default=False)
    out_of_service_reason = models.CharField(_("停用原因"), max_length=200, blank=True)
    lon = models.FloatField(_("经度(WGS84)"), null=True, blank=True)
    lat = models.FloatField(_("纬度(WGS84)"), null=True, blank=True)
    is_demo = models.BooleanField(_("示例数据"), default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    restrict_division_field = "organization__division"
    restrict_organization_field = "organization"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("监测点")
        verbose_name_plural = _("监测点")
        ordering = ["organization_id", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_fire(self) -> bool:
        """Whether this is a fire-alarm point (its alarms go straight to the duty desks)."""
        return self.quantity == Quantity.FIRE

    def config_dict(self) -> dict[str, float]:
        """The alarm configuration as the engine's ``POINTS.json`` mapping (absent keys left out)."""
        out: dict[str, float] = {}
        for key in ALARM_CONFIG_FIELDS:
            value = getattr(self, key)
            if value is not None:
                out[key] = float(value)
        return out

    def engine_config(self) -> PointConfig:
        """The engine ``PointConfig``. Raises ``ConfigError`` when the rules are inconsistent."""
        return PointConfig.from_dict(self.config_dict(), where=self.code)

    def clean(self) -> None:
        """Validate the place and the alarm rules; errors name the offending field.

        Coordinates (WGS84) come in pairs, within range and inside the county boundary
        (:func:`yingji.apps.directory.geo.point_outside_county`); the alarm rules must pass the
        engine's ``PointConfig``; gateway and device belong to the point's enterprise.
        """
        super().clean()
        if errors := coordinate_errors(self.lon, self.lat):
            raise ValidationError(errors)
        try:
            self.engine_config()
        except ConfigError as exc:
            text = str(exc)
            present = [k for k in ("ll", "l", "h", "hh") if getattr(self, k) is not None]
            raise ValidationError({_config_error_field(text): config_error_zh(text, present)}) from None
        if (
            self.gateway is not None
            and self.organization_id
            and self.gateway.organization_id != self.organization_id
        ):
            raise ValidationError({"gateway": _("网关必须属于同一企业。")})
        if (
            self.device is not None
            and self.organization_id
            and self.device.organization_id != self.organization_id
        ):
            raise ValidationError({"device": _("设备必须属于同一企业。")})


class MaintenanceWindow(models.Model):
    """A planned maintenance period: no alarm is raised for the covered points while it lasts.

    Covers one point when ``point`` is set, every point of ``gateway`` when that is set,
    else every point of the enterprise. Readings keep being stored.
    """

    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="+", verbose_name=_("企业")
    )
    point = models.ForeignKey(
        MonitoringPoint,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="maintenance_windows",
        verbose_name=_("监测点"),
    )
    gateway = models.ForeignKey(
        Gateway, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("网关")
    )
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    reason = models.CharField(_("原因"), max_length=200)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    restrict_division_field = "organization__division"
    restrict_organization_field = "organization"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("维护窗口")
        verbose_name_plural = _("维护窗口")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="maint_window_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M} {self.reason}"

    def clean(self) -> None:
        """Plausible times (``core.dates.planned_date_error``: not before 2000, not more than
        5 years ahead, so a typed year 0001 or 2062 never silences alarms for decades); end
        after start; point/gateway belong to the enterprise."""
        super().clean()
        implausible = {
            name: error
            for name in ("starts_at", "ends_at")
            if (error := planned_date_error(getattr(self, name)))
        }
        if implausible:
            raise ValidationError(implausible)
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("结束时间须晚于开始时间。")})
        if self.point is not None and self.point.organization_id != self.organization_id:
            raise ValidationError({"point": _("监测点必须属于该企业。")})
        if self.gateway is not None and self.gateway.organization_id != self.organization_id:
            raise ValidationError({"gateway": _("网关必须属于该企业。")})
