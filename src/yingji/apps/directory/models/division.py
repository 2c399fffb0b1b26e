"""Administrative divisions (统计用区划代码)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager


class DivisionLevel(models.TextChoices):
    """Levels this platform keeps: the county and below (GLOSSARY)."""

    COUNTY = "county", _("县")
    TOWNSHIP = "township", _("乡镇")
    VILLAGE = "village", _("村(社区)")


class AdministrativeDivision(models.Model):
    """A county, township or village with its 12-digit NBS statistical code.

    Source: 统计用区划代码 (National Bureau of Statistics), edition in
    ``edition_year``. Geometry is WGS84 GeoJSON only: ``point_lon``/``point_lat``
    for a seat point where the sources have one, ``boundary`` for a polygon.
    Villages have no coordinates in the sources and are shown by township;
    no location is ever invented. County-wide reference data: every holder of
    ``directory.view_administrativedivision`` may read all of it.
    """

    code = models.CharField(
        _("区划代码"), max_length=12, validators=[RegexValidator(r"^\d{12}$", _("区划代码须为12位数字"))]
    )
    edition_year = models.PositiveSmallIntegerField(_("代码版本年份"))
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("级别"), max_length=16, choices=DivisionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级"),
    )
    parent_code = models.CharField(_("上级代码"), max_length=12, blank=True)
    urban_rural_code = models.CharField(_("城乡分类代码"), max_length=3, blank=True)
    population = models.PositiveIntegerField(_("人口"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("人口年份"), null=True, blank=True)
    population_source = models.CharField(_("人口来源"), max_length=200, blank=True)
    point_lon = models.FloatField(_("驻地经度(WGS84)"), null=True, blank=True)
    point_lat = models.FloatField(_("驻地纬度(WGS84)"), null=True, blank=True)
    point_source = models.CharField(_("驻地坐标来源"), max_length=200, blank=True)
    boundary = models.JSONField(_("边界(GeoJSON, WGS84)"), null=True, blank=True)
    boundary_source = models.CharField(_("边界来源"), max_length=300, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    restrict_division_field = None
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["code", "edition_year"], name="division_code_edition")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def scope_prefix(self) -> str:
        """Code prefix shared by this division and everything inside it (6/9/12 digits)."""
        return {"county": self.code[:6], "township": self.code[:9]}.get(self.level, self.code)

    @property
    def has_point(self) -> bool:
        """Whether the sources give a seat point."""
        return self.point_lon is not None and self.point_lat is not None
