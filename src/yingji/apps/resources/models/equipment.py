"""Equipment (应急装备): vehicles, pumps, generators, UAVs, satellite phones."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.resources.models.registry import _Located


class Equipment(_Located):
    """An equipment item (or a set of identical ones: ``quantity``), kept by a team or a depot."""

    class Kind(models.TextChoices):
        VEHICLE = "vehicle", _("车辆")
        PUMP = "pump", _("排水泵")
        GENERATOR = "generator", _("发电机")
        UAV = "uav", _("无人机")
        SATELLITE_PHONE = "satellite_phone", _("卫星电话")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        READY = "ready", _("完好")
        IN_USE = "in_use", _("使用中")
        MAINTENANCE = "maintenance", _("维修中")
        RETIRED = "retired", _("报废")

    code = models.CharField(_("编号"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    model_spec = models.CharField(_("型号规格"), max_length=128, blank=True)
    quantity = models.PositiveIntegerField(_("数量"), default=1, validators=[MinValueValidator(1)])
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.READY)
    team = models.ForeignKey(
        "resources.RescueTeam",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="equipment",
        verbose_name=_("所属队伍"),
    )
    depot = models.ForeignKey(
        "resources.Depot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="equipment",
        verbose_name=_("存放储备库"),
    )

    class Meta:
        verbose_name = _("应急装备")
        verbose_name_plural = _("应急装备")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name
