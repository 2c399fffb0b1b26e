"""Shifts (班次): one period of duty with a duty leader and duty officers."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.dates import planned_date_error
from yingji.apps.core.querysets import RestrictedManager

#: Longest shift accepted (same bound as the rotation engine).
MAX_SHIFT = timedelta(hours=48)


class Shift(models.Model):
    """One shift of a roster: ``[starts_at, ends_at)`` with a leader (带班领导) and officers (值班员).

    ``version`` is bumped on every change; an update names the version it read
    and is refused when someone changed the shift in between (optimistic
    locking). A person may not be on two overlapping shifts (checked by the
    services, which see the officers). Restricted through the roster's division.
    """

    roster = models.ForeignKey(
        "duty.DutyRoster", on_delete=models.PROTECT, related_name="shifts", verbose_name=_("排班表")
    )
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"), db_index=True)
    label = models.CharField(_("班次名称"), max_length=40, blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_shifts",
        verbose_name=_("带班领导"),
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="duty_shifts", verbose_name=_("值班员")
    )
    note = models.CharField(_("备注"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    is_demo = models.BooleanField(_("示例数据"), default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    restrict_division_field = "roster__division"
    restrict_organization_field = "roster__organization"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("班次")
        verbose_name_plural = _("班次")
        ordering = ["starts_at", "roster_id"]
        indexes = [models.Index(fields=["roster", "starts_at"], name="duty_shift_roster_start")]

    def __str__(self) -> str:
        start = self.starts_at.strftime("%Y-%m-%d %H:%M") if self.starts_at else "?"
        return f"{self.roster} {start} {self.label}".strip()

    def clean(self) -> None:
        """End after start; at most 48 hours; starts between 2000 and 5 years ahead (``core.dates``).

        Raises:
            ValidationError: ``ends_at`` not after ``starts_at`` or over 48 h; an implausible
                ``starts_at`` (year 1, a typo decades ahead).
        """
        if error := planned_date_error(self.starts_at):
            raise ValidationError({"starts_at": error})
        if self.starts_at and self.ends_at:
            if self.ends_at <= self.starts_at:
                raise ValidationError({"ends_at": _("结束时间须晚于开始时间。")})
            if self.ends_at - self.starts_at > MAX_SHIFT:
                raise ValidationError({"ends_at": _("一个班次不能超过48小时。")})

    @property
    def duration_hours(self) -> float:
        """Length in hours."""
        return (self.ends_at - self.starts_at).total_seconds() / 3600
