"""Enterprise safety ledger (企业安全基础电子台账): what directory's ``Organization`` does not hold.

The enterprise itself (name, USCC, address, location, division) is a ``directory.Organization``
with ``kind="enterprise"``; these records hang off it. Every model is restricted by the
enterprise's division and, for enterprise safety managers, by the enterprise itself.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.dates import past_date_error, planned_date_error
from yingji.apps.core.querysets import RestrictedManager

#: How far ahead a licence's expiry or an equipment's next inspection may plausibly lie (years).
LEDGER_YEARS_AHEAD = 10

# GB/T 4754-2017 code: section letter A..T, optionally division (2 digits), group (3), class (4).
INDUSTRY_CODE_VALIDATOR = RegexValidator(
    r"^[A-T](\d{2}(\d{1,2})?)?$", _("行业代码须为 GB/T 4754 门类字母加 2~4 位数字,如 C2614")
)


class EnterpriseProfile(models.Model):
    """Ledger header of one enterprise: industry (GB/T 4754-2017), legal representative, staff.

    One-to-one with the ``Organization``; created on first edit of the ledger.
    """

    enterprise = models.OneToOneField(
        "directory.Organization",
        on_delete=models.CASCADE,
        related_name="risk_profile",
        verbose_name=_("企业"),
    )
    industry_code = models.CharField(
        _("行业代码(GB/T 4754)"), max_length=5, blank=True, validators=[INDUSTRY_CODE_VALIDATOR]
    )
    industry_name = models.CharField(_("行业名称"), max_length=64, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=32, blank=True)
    legal_representative_phone = models.CharField(_("法定代表人电话"), max_length=32, blank=True)
    employees = models.PositiveIntegerField(_("从业人员数"), null=True, blank=True)
    is_demo = models.BooleanField(_("示例数据"), default=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    restrict_division_field = "enterprise__division"
    restrict_organization_field = "enterprise"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("企业安全台账")
        verbose_name_plural = _("企业安全台账")
        ordering = ["enterprise"]

    def __str__(self) -> str:
        return f"{self.enterprise} · {_('安全台账')}"


class SafetyManager(models.Model):
    """A safety manager (安全管理人员) of an enterprise with contact details.

    Contact details are shown only to users holding ``risk.contact_safetymanager`` or
    able to change this record (the enterprise itself); see ``selectors.can_see_contacts``.
    """

    enterprise = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        related_name="safety_managers",
        verbose_name=_("企业"),
    )
    name = models.CharField(_("姓名"), max_length=32)
    post = models.CharField(_("职务"), max_length=64, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)
    certificate_no = models.CharField(_("安全管理资格证号"), max_length=64, blank=True)
    is_demo = models.BooleanField(_("示例数据"), default=False, db_index=True)

    restrict_division_field = "enterprise__division"
    restrict_organization_field = "enterprise"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("安全管理人员")
        verbose_name_plural = _("安全管理人员")
        ordering = ["enterprise", "name"]
        permissions = [("contact_safetymanager", _("可查看安全管理人员联系方式"))]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.name}"


class LicenceKind(models.TextChoices):
    SAFETY_PRODUCTION = "safety_production", _("安全生产许可证")
    HAZCHEM_OPERATION = "hazchem_operation", _("危险化学品经营许可证")
    HAZCHEM_USE = "hazchem_use", _("危险化学品安全使用许可证")
    HAZCHEM_REGISTRATION = "hazchem_registration", _("危险化学品登记证")
    OTHER = "other", _("其他")


class Licence(models.Model):
    """A licence or certificate of an enterprise with its validity (expiry date inclusive)."""

    enterprise = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="licences", verbose_name=_("企业")
    )
    kind = models.CharField(_("证照类型"), max_length=24, choices=LicenceKind.choices)
    number = models.CharField(_("证号"), max_length=64)
    issuer = models.CharField(_("发证机关"), max_length=64, blank=True)
    issued_on = models.DateField(_("发证日期"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"))
    is_demo = models.BooleanField(_("示例数据"), default=False, db_index=True)

    restrict_division_field = "enterprise__division"
    restrict_organization_field = "enterprise"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("证照")
        verbose_name_plural = _("证照")
        ordering = ["enterprise", "valid_until"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "kind", "number"], name="licence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def clean(self) -> None:
        """Plausible dates: issued between 2000 and today; valid until after issue, at most 10 years ahead.

        Raises:
            ValidationError: ``issued_on`` / ``valid_until`` errors (``core.dates`` wording).
        """
        errors: dict[str, str] = {}
        if error := past_date_error(self.issued_on):
            errors["issued_on"] = error
        if error := planned_date_error(self.valid_until, years=LEDGER_YEARS_AHEAD):
            errors["valid_until"] = error
        elif self.issued_on and self.valid_until and self.valid_until < self.issued_on:
            errors["valid_until"] = str(_("有效期至不能早于发证日期 (expires before it was issued)"))
        if errors:
            raise ValidationError(errors)

    def status(self, today: datetime.date | None = None) -> str:
        """``"expired"`` (past ``valid_until``), ``"expiring"`` (within 90 days) or ``"valid"``."""
        day = today or timezone.localdate()
        if self.valid_until < day:
            return "expired"
        if (self.valid_until - day).days <= 90:
            return "expiring"
        return "valid"


class EquipmentKind(models.TextChoices):
    BOILER = "boiler", _("锅炉")
    PRESSURE_VESSEL = "pressure_vessel", _("压力容器")
    PRESSURE_PIPING = "pressure_piping", _("压力管道")
    LIFTING = "lifting", _("起重机械")
    ELEVATOR = "elevator", _("电梯")
    VEHICLE = "vehicle", _("场(厂)内专用机动车辆")
    OTHER = "other", _("其他")


class SpecialEquipment(models.Model):
    """Special equipment (特种设备) of an enterprise, optionally in one unit, with its next inspection."""

    enterprise = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        related_name="special_equipment",
        verbose_name=_("企业"),
    )
    unit = models.ForeignKey(
        "risk.ProductionUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="special_equipment",
        verbose_name=_("所在单元"),
    )
    kind = models.CharField(_("设备类别"), max_length=24, choices=EquipmentKind.choices)
    name = models.CharField(_("名称"), max_length=64)
    registration_no = models.CharField(_("使用登记证号"), max_length=64, blank=True)
    next_inspection_due = models.DateField(_("下次检验日期"), null=True, blank=True)
    is_demo = models.BooleanField(_("示例数据"), default=False, db_index=True)

    restrict_division_field = "enterprise__division"
    restrict_organization_field = "enterprise"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("特种设备")
        verbose_name_plural = _("特种设备")
        ordering = ["enterprise", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    def clean(self) -> None:
        """The next inspection lies between 2000 and 10 years ahead (past dates are overdue, not typos).

        Raises:
            ValidationError: ``{"next_inspection_due": ...}``.
        """
        if error := planned_date_error(self.next_inspection_due, years=LEDGER_YEARS_AHEAD):
            raise ValidationError({"next_inspection_due": error})
