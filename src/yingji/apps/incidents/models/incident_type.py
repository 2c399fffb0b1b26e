"""Incident types (事件分类): the four categories, their subtypes, GB 6441-2025 accident types."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager


class IncidentCategory(models.TextChoices):
    """The four categories of 突发事件应对法 art.3 (keys as in ``yingji.engines.incidents.Category``)."""

    NATURAL_DISASTER = "natural_disaster", _("自然灾害")
    ACCIDENT = "accident", _("事故灾难")
    PUBLIC_HEALTH = "public_health", _("公共卫生事件")
    SOCIAL_SECURITY = "social_security", _("社会安全事件")


class IncidentType(models.Model):
    """One node of the incident type table (level 1 category, 2 subcategory, 3 sub-hazard / accident type).

    Loaded from ``data/standards/event_classification.csv`` (categories and
    subcategories per 国家突发公共事件总体应急预案 2006 and the 2020 disaster
    statistics system) plus ``incidents/data/incident_subtypes.csv`` (accident
    types of GB 6441-2025 under 工矿商贸 enterprise accidents, road traffic under
    transport). ``gb6441_code`` maps a type to its GB 6441-2025 accident type
    where one applies; ``deadline_subtype`` (``road_traffic``/``fire``/``drought``)
    selects the special report clocks (493 art.13: 7-day 补报; drought updates).
    County-wide reference data: readable by anyone holding the view permission.
    """

    code = models.CharField(_("代码"), max_length=64, unique=True)
    name_zh = models.CharField(_("名称"), max_length=64)
    category = models.CharField(_("类别"), max_length=24, choices=IncidentCategory.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级"),
    )
    level = models.PositiveSmallIntegerField(_("层级"))
    gb6441_code = models.CharField(_("GB 6441-2025 代码"), max_length=16, blank=True)
    gb6441_name = models.CharField(_("GB 6441-2025 事故类型"), max_length=64, blank=True)
    deadline_subtype = models.CharField(_("时限子类"), max_length=24, blank=True)
    source = models.CharField(_("来源"), max_length=120, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    restrict_division_field = None
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("事件类型")
        verbose_name_plural = _("事件类型")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.path_zh

    @property
    def path_zh(self) -> str:
        """``事故灾难 / 工矿商贸等企业的各类安全事故 / 火灾`` (uses cached parents)."""
        names = [self.name_zh]
        node = self.parent
        while node is not None:
            names.append(node.name_zh)
            node = node.parent
        return " / ".join(reversed(names))

    def effective_deadline_subtype(self) -> str:
        """This type's deadline subtype, else the nearest ancestor's, else ``""``."""
        node: IncidentType | None = self
        while node is not None:
            if node.deadline_subtype:
                return node.deadline_subtype
            node = node.parent
        return ""
