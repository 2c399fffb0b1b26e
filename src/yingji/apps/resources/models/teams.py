"""Rescue team members (队员) with skills and certificates."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager
from yingji.apps.resources.models.registry import normalized_phone
from yingji.engines.normalize.ids import citizen_id_facts, parse_citizen_id


class TeamMember(models.Model):
    """A member of a rescue team: identity, contact, position and skill tags (、-separated).

    ``id_number`` (GB 11643-1999) is unique when given; pages show it masked.
    """

    class Sex(models.TextChoices):
        MALE = "男", _("男")
        FEMALE = "女", _("女")

    team = models.ForeignKey(
        "resources.RescueTeam", on_delete=models.CASCADE, related_name="members", verbose_name=_("所属队伍")
    )
    name = models.CharField(_("姓名"), max_length=64)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    sex = models.CharField(_("性别"), max_length=2, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    position = models.CharField(_("职务"), max_length=32, blank=True)
    skills = models.CharField(_("专业技能"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("示例数据"), default=False, db_index=True)

    restrict_division_field = "team__division"
    restrict_organization_field = "team__organization"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("队员")
        verbose_name_plural = _("队员")
        ordering = ["team_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"], condition=~Q(id_number=""), name="teammember_id_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Normalise and check the ID number (GB 11643-1999: length, birth date, check
        character; 15 digits upgraded to 18) and the phone number; a blank sex or birth
        date is taken from the ID, a differing one is an error. Raises ``ValidationError``
        on ``id_number``/``sex``/``birth_date``/``phone``."""
        super().clean()
        errors: dict[str, Any] = {}
        self.phone, phone_error = normalized_phone(self.phone)
        if phone_error:
            errors["phone"] = phone_error
        if (self.id_number or "").strip():
            res = parse_citizen_id(self.id_number)
            if not res.valid or res.value is None:
                errors["id_number"] = res.error or str(_("身份证号无效。"))
            else:
                self.id_number = res.value
                errors.update(self._id_agreement(res.value))
        else:
            self.id_number = ""
        if errors:
            raise ValidationError(errors)

    def _id_agreement(self, id18: str) -> dict[str, Any]:
        """Fill a blank sex/birth date from the ID; errors where they differ from it."""
        facts = citizen_id_facts(id18)
        errors: dict[str, Any] = {}
        if not self.sex:
            self.sex = facts.sex
        elif self.sex != facts.sex:
            errors["sex"] = _("性别与身份证号(%(sex)s)不一致。") % {"sex": facts.sex}
        birth = self.birth_date
        if birth is None:
            self.birth_date = facts.birth_date
        elif isinstance(birth, date) and birth != facts.birth_date:
            errors["birth_date"] = _("出生日期与身份证号中的%(date)s不一致。") % {
                "date": facts.birth_date.isoformat()
            }
        return errors

    @property
    def masked_id(self) -> str:
        """ID number with the birth date and sequence hidden (first 6 + last 2)."""
        n = self.id_number
        return f"{n[:6]}**********{n[-2:]}" if len(n) == 18 else ""


class Certificate(models.Model):
    """A certificate (资格证书) a member holds, with its validity."""

    member = models.ForeignKey(
        TeamMember, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("队员")
    )
    name = models.CharField(_("证书名称"), max_length=128)
    number = models.CharField(_("证书编号"), max_length=64, blank=True)
    issued_by = models.CharField(_("发证机关"), max_length=128, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)

    restrict_division_field = "member__team__division"
    restrict_organization_field = "member__team__organization"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("资格证书")
        verbose_name_plural = _("资格证书")
        ordering = ["member_id", "name"]

    def __str__(self) -> str:
        return self.name
