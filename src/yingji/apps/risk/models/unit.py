"""Production and storage units (生产单元/储存单元) with their GB 18218-2018 assessment."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.dates import past_date_error
from yingji.apps.core.querysets import RestrictedManager

# Map colour of a major-hazard level (一级 most severe), the platform's four colours.
LEVEL_COLOURS = {1: "红", 2: "橙", 3: "黄", 4: "蓝"}
COLOUR_CSS = {"红": "#d32f2f", "橙": "#f57c00", "黄": "#fbc02d", "蓝": "#1976d2"}


class UnitKind(models.TextChoices):
    PRODUCTION = "production", _("生产单元")
    STORAGE = "storage", _("储存单元")


class ProductionUnit(models.Model):
    """One production or storage unit of an enterprise (GB 18218-2018 3.5/3.6).

    The assessment fields are written only by ``services.recompute_unit`` (called in the
    same transaction as every inventory change): ``identification_s`` = S (4.2.1),
    ``grading_r`` = R (4.3.2), ``major_hazard_level`` 1..4 (Table 6; 1 = 一级) or None,
    ``assessment`` = the engine's ``HazardAssessment.to_dict()`` (terms, explanation).
    ``exposed_population`` (persons within 500 m, Table 5) is entered by the enterprise
    with its source and date.
    """

    enterprise = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        related_name="production_units",
        verbose_name=_("企业"),
    )
    name = models.CharField(_("单元名称"), max_length=64)
    kind = models.CharField(_("单元类型"), max_length=16, choices=UnitKind.choices, default=UnitKind.STORAGE)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    exposed_population = models.PositiveIntegerField(_("500 m 内暴露人数"), default=0)
    exposed_population_source = models.CharField(_("暴露人数来源"), max_length=120, blank=True)
    exposed_population_date = models.DateField(_("暴露人数统计日期"), null=True, blank=True)
    is_major_hazard = models.BooleanField(_("构成重大危险源"), default=False, db_index=True)
    identification_s = models.DecimalField(
        _("辨识指标 S"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    grading_r = models.DecimalField(_("分级指标 R"), max_digits=20, decimal_places=6, null=True, blank=True)
    major_hazard_level = models.PositiveSmallIntegerField(
        _("重大危险源级别"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    assessment = models.JSONField(_("辨识分级说明"), default=dict, blank=True)
    assessment_error = models.CharField(_("辨识错误"), max_length=300, blank=True)
    assessed_at = models.DateTimeField(_("辨识时间"), null=True, blank=True)
    is_demo = models.BooleanField(_("示例数据"), default=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    restrict_division_field = "enterprise__division"
    restrict_organization_field = "enterprise"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("生产储存单元")
        verbose_name_plural = _("生产储存单元")
        ordering = ["enterprise", "name"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "name"], name="unit_unique_name"),
            models.CheckConstraint(
                condition=models.Q(major_hazard_level__isnull=True)
                | models.Q(major_hazard_level__gte=1, major_hazard_level__lte=4),
                name="unit_level_1_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.name}"

    def clean(self) -> None:
        """The exposed-population count date lies between 2000 and today.

        Raises:
            ValidationError: ``{"exposed_population_date": ...}``.
        """
        if error := past_date_error(self.exposed_population_date):
            raise ValidationError({"exposed_population_date": error})

    @property
    def level_zh(self) -> str:
        """``"一级"`` .. ``"四级"`` or ``""``."""
        return {1: "一级", 2: "二级", 3: "三级", 4: "四级"}.get(self.major_hazard_level or 0, "")

    @property
    def colour(self) -> str | None:
        """Map colour of the level (一级 红 .. 四级 蓝), None when not graded."""
        return LEVEL_COLOURS.get(self.major_hazard_level or 0)

    @property
    def monitoring_priority(self) -> int | None:
        """Monitoring priority 1 (highest) .. 4 = the major-hazard level; 5 for an ungraded
        major hazard (R unknown); None when not a major hazard."""
        if not self.is_major_hazard:
            return None
        return self.major_hazard_level or 5
