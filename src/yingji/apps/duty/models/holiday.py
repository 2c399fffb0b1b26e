"""Holiday calendar (节假日安排), maintained by administrators from the official notice."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.dates import planned_date_error
from yingji.apps.core.querysets import RestrictedManager


class HolidayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("调休上班")


class Holiday(models.Model):
    """One date of the public-holiday arrangement: a day off (放假) or a make-up workday (调休上班).

    The platform ships no dates: an administrator enters each year's dates from
    the State Council General Office notice (国务院办公厅关于XXXX年部分节假日安排的通知)
    and names it in ``source``. Rotation generation reads these rows.
    County-wide reference data.
    """

    day = models.DateField(_("日期"), unique=True)
    name = models.CharField(_("名称"), max_length=40)
    kind = models.CharField(
        _("类型"), max_length=10, choices=HolidayKind.choices, default=HolidayKind.HOLIDAY
    )
    source = models.CharField(_("依据"), max_length=200, help_text=_("发布文件名称与文号"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    restrict_division_field = None
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ["day"]
        permissions = [("manage_holiday", "可维护节假日安排")]

    def __str__(self) -> str:
        return f"{self.day} {self.name} ({self.get_kind_display()})"

    def clean(self) -> None:
        """The date lies between 2000 and 5 years ahead (``core.dates``: catches year 1 and typos).

        Raises:
            ValidationError: ``{"day": ...}``.
        """
        if error := planned_date_error(self.day):
            raise ValidationError({"day": error})
