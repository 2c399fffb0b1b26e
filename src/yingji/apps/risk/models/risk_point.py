"""Risk points (安全风险分级管控) and the county's grading settings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager
from yingji.engines.risk.lec import BOUNDARY_RULES, DEFAULT_BOUNDARY_RULE
from yingji.engines.risk.ls_matrix import DEFAULT_VARIANT, VARIANTS


class RiskSettings(models.Model):
    """County settings where published sources disagree (one row, pk=1, edited in admin).

    ``lec_boundary_rule``: whether D = 70 falls into the lower (``upper-inclusive``,
    default, the published 加油站 example) or upper LEC band; ``ls_variant``: the LS
    threshold scheme A (default), B or C (docs/engines/risk.md). Every evaluation stores
    the rule it used. ``escalate_after_days``: days past the deadline before a listed
    hidden hazard is escalated one more level.
    """

    lec_boundary_rule = models.CharField(
        _("LEC 边界规则"),
        max_length=20,
        choices=[(r, r) for r in BOUNDARY_RULES],
        default=DEFAULT_BOUNDARY_RULE,
    )
    ls_variant = models.CharField(
        _("LS 矩阵方案"), max_length=1, choices=[(v, v) for v in VARIANTS], default=DEFAULT_VARIANT
    )
    escalate_after_days = models.PositiveSmallIntegerField(_("逾期升级天数"), default=30)
    updated_at = models.DateTimeField(auto_now=True)

    restrict_division_field = None
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("风险分级设置")
        verbose_name_plural = _("风险分级设置")

    def __str__(self) -> str:
        return f"LEC {self.lec_boundary_rule} · LS {self.ls_variant}"

    @classmethod
    def load(cls) -> RiskSettings:
        """The settings row (defaults when none was saved; never writes)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class RiskMethod(models.TextChoices):
    LEC = "lec", _("LEC 作业条件危险性评价法")
    LS = "ls", _("LS 风险矩阵")


class RiskPoint(models.Model):
    """A risk point of an enterprise with its hazards, controls and grading.

    ``inputs``/``residual_inputs`` hold the factors as decimal text (``{"L": "3", "E": "6",
    "C": "15"}`` or ``{"L": "4", "S": "5"}``); ``result``/``residual_result`` the engine's
    result (value, grade 1..4 with 1 = 红 重大风险, colour, rule/variant used, explanation).
    ``grade``/``colour`` copy the inherent result for queries; residual is after controls.
    """

    enterprise = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="risk_points", verbose_name=_("企业")
    )
    unit = models.ForeignKey(
        "risk.ProductionUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="risk_points",
        verbose_name=_("所在单元"),
    )
    name = models.CharField(_("风险点名称"), max_length=64)
    hazards = models.TextField(_("危险有害因素"), blank=True)
    controls = models.TextField(_("管控措施"), blank=True)
    responsible_person = models.CharField(_("责任人"), max_length=32)
    method = models.CharField(_("评价方法"), max_length=4, choices=RiskMethod.choices)
    inputs = models.JSONField(_("评价因子"), default=dict)
    result = models.JSONField(_("评价结果"), default=dict)
    grade = models.PositiveSmallIntegerField(_("风险等级"), db_index=True)
    colour = models.CharField(_("颜色"), max_length=2)
    residual_inputs = models.JSONField(_("残余风险因子"), default=dict, blank=True)
    residual_result = models.JSONField(_("残余风险结果"), default=dict, blank=True)
    residual_grade = models.PositiveSmallIntegerField(_("残余风险等级"), null=True, blank=True)
    residual_colour = models.CharField(_("残余风险颜色"), max_length=2, blank=True)
    is_demo = models.BooleanField(_("示例数据"), default=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    restrict_division_field = "enterprise__division"
    restrict_organization_field = "enterprise"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("风险点")
        verbose_name_plural = _("风险点")
        ordering = ["enterprise", "grade", "name"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "name"], name="risk_point_unique_name"),
            models.CheckConstraint(condition=models.Q(grade__gte=1, grade__lte=4), name="risk_point_grade"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.name} ({self.colour})"
