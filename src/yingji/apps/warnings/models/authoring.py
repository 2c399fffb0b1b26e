"""Authoring aids: templates per hazard and the rules that propose county warnings (触发规则)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager


class Severity(models.TextChoices):
    """CAP 1.2 severity with the Chinese colour/level (GB/T 35965.1; engine ``colour``)."""

    EXTREME = "Extreme", _("红色 Ⅰ级 特别严重")
    SEVERE = "Severe", _("橙色 Ⅱ级 严重")
    MODERATE = "Moderate", _("黄色 Ⅲ级 较重")
    MINOR = "Minor", _("蓝色 Ⅳ级 一般")


SEVERITY_RANK = {"Minor": 1, "Moderate": 2, "Severe": 3, "Extreme": 4}
"""Order of severities (higher = graver); ``Unknown`` and others rank 0."""


class Category(models.TextChoices):
    """CAP 1.2 ``category`` values used by county warnings."""

    MET = "Met", _("气象")
    GEO = "Geo", _("地质")
    SAFETY = "Safety", _("安全生产")
    FIRE = "Fire", _("火灾")
    HEALTH = "Health", _("卫生")
    ENV = "Env", _("环境")
    INFRA = "Infra", _("基础设施")
    OTHER = "Other", _("其他")


class WarningTemplate(models.Model):
    """Ready-made wording for one hazard (大风, 暴雨, 地震...), bilingual, with channel texts.

    Placeholders ``{colour}`` (黄色...), ``{level}`` (Ⅲ级...), ``{county}`` and ``{areas}`` are
    filled when a draft is created from the template. ``expires_hours`` is the default validity.
    """

    key = models.SlugField(_("代号"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    category = models.CharField(_("类别"), max_length=10, choices=Category.choices, default=Category.MET)
    event_zh = models.CharField(_("事件(中文)"), max_length=60)
    event_en = models.CharField(_("事件(第二语言)"), max_length=60)
    default_severity = models.CharField(
        _("默认级别"), max_length=10, choices=Severity.choices, default=Severity.MODERATE
    )
    headline_zh = models.CharField(_("标题模板(中文)"), max_length=200)
    headline_en = models.CharField(_("标题模板(第二语言)"), max_length=200)
    description_zh = models.TextField(_("描述模板(中文)"))
    description_en = models.TextField(_("描述模板(第二语言)"))
    instruction_zh = models.TextField(_("防御指南(中文)"))
    instruction_en = models.TextField(_("防御指南(第二语言)"))
    loudspeaker_zh = models.TextField(_("大喇叭文本模板"), blank=True)
    expires_hours = models.PositiveSmallIntegerField(
        _("默认有效时长(小时)"), default=24, validators=[MinValueValidator(1), MaxValueValidator(720)]
    )
    is_demo = models.BooleanField(_("示例数据"), default=False)

    restrict_division_field = None
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("预警模板")
        verbose_name_plural = _("预警模板")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name


class TriggerKind(models.TextChoices):
    """What a trigger rule listens to."""

    UPSTREAM = "upstream", _("上游预警")
    ALARM = "alarm", _("监测报警")
    INCIDENT = "incident", _("突发事件")


class TriggerRule(models.Model):
    """Editable rule: when an upstream warning / alarm / incident of ``event_contains`` at
    ``min_severity`` or graver touches the county, propose a county draft from ``template``.

    ``event_contains`` is matched case-insensitively against the event, headline or title
    (empty matches everything). Proposals are drafts: nothing is released without approval.
    """

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("触发来源"), max_length=10, choices=TriggerKind.choices)
    event_contains = models.CharField(_("事件包含"), max_length=60, blank=True)
    min_severity = models.CharField(
        _("最低级别"), max_length=10, choices=Severity.choices, default=Severity.MODERATE
    )
    template = models.ForeignKey(
        WarningTemplate, on_delete=models.PROTECT, related_name="rules", verbose_name=_("预警模板")
    )
    enabled = models.BooleanField(_("启用"), default=True)
    is_demo = models.BooleanField(_("示例数据"), default=False)

    restrict_division_field = None
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("触发规则")
        verbose_name_plural = _("触发规则")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def matches(self, text: str, severity: str) -> bool:
        """Whether ``text`` (event/headline) and CAP ``severity`` satisfy this rule."""
        if not self.enabled:
            return False
        if SEVERITY_RANK.get(severity, 0) < SEVERITY_RANK[self.min_severity]:
            return False
        return not self.event_contains or self.event_contains.lower() in text.lower()
