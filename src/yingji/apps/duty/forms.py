"""Page forms of duty (validation of shapes; the rules live in ``services``)."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yingji.apps.duty.models import DutyRoster, LogKind, SwapKind
from yingji.engines.duty import CoverageMode, HolidayPolicy, RotationUnit, ShiftSlot

_NOBODY = get_user_model().objects.none()  # replaced per form instance
DT_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def apply_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ``ValidationError`` onto ``form`` (unknown fields become non-field errors)."""
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class LogEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=LogKind.choices)
    occurred_at = forms.DateTimeField(
        label=_("时间"), required=False, widget=DT_WIDGET, help_text=_("留空为当前时间")
    )
    caller_name = forms.CharField(label=_("来电/去电方"), max_length=64, required=False)
    caller_number = forms.CharField(label=_("电话号码"), max_length=32, required=False)
    instructed_by = forms.CharField(label=_("指示人"), max_length=64, required=False)
    summary = forms.CharField(label=_("内容摘要"), widget=forms.Textarea(attrs={"rows": 2}))


class RosterForm(forms.ModelForm):
    class Meta:
        model = DutyRoster
        fields = ["name", "division", "officers_required", "description"]


class ShiftForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DT_WIDGET)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DT_WIDGET)
    label = forms.CharField(label=_("班次名称"), max_length=40, required=False)
    leader = forms.ModelChoiceField(label=_("带班领导"), queryset=_NOBODY, required=False)
    officers = PeopleChoiceField(label=_("值班员"), queryset=_NOBODY, required=False)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = people  # type: ignore[attr-defined]
        self.fields["officers"].queryset = people  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("结束时间须晚于开始时间。"))
        return data


PATTERNS = {
    "24h": (ShiftSlot(time(8), timedelta(hours=24), "全天"),),
    "12h": (
        ShiftSlot(time(8), timedelta(hours=12), "白班"),
        ShiftSlot(time(20), timedelta(hours=12), "夜班"),
    ),
}
WEEKDAYS = [
    (0, _("周一")),
    (1, _("周二")),
    (2, _("周三")),
    (3, _("周四")),
    (4, _("周五")),
    (5, _("周六")),
    (6, _("周日")),
]


class GenerateForm(forms.Form):
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE_WIDGET)
    pattern = forms.ChoiceField(
        label=_("班制"), choices=[("24h", _("24小时班 (08:00起)")), ("12h", _("白班/夜班 (08:00/20:00)"))]
    )
    leaders = PeopleChoiceField(label=_("带班领导"), queryset=_NOBODY)
    officers = PeopleChoiceField(label=_("值班员"), queryset=_NOBODY)
    officers_per_shift = forms.IntegerField(
        label=_("每班值班员人数"), min_value=0, max_value=20, required=False
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("值班日"),
        choices=WEEKDAYS,
        coerce=int,
        initial=list(range(7)),
        widget=forms.CheckboxSelectMultiple,
    )
    holiday_policy = forms.ChoiceField(
        label=_("节假日"),
        choices=[
            (HolidayPolicy.SAME.value, _("照常排班")),
            (HolidayPolicy.SKIP.value, _("不排班")),
            (HolidayPolicy.SPECIAL.value, _("节假日白班/夜班")),
        ],
    )
    leader_rotation = forms.ChoiceField(
        label=_("带班领导轮换"),
        choices=[
            (RotationUnit.SHIFT.value, _("每班")),
            (RotationUnit.DAY.value, _("每天")),
            (RotationUnit.WEEK.value, _("每周")),
        ],
    )
    officer_rotation = forms.ChoiceField(
        label=_("值班员轮换"),
        choices=[
            (RotationUnit.SHIFT.value, _("每班")),
            (RotationUnit.DAY.value, _("每天")),
            (RotationUnit.WEEK.value, _("每周")),
        ],
    )
    coverage = forms.ChoiceField(
        label=_("空档计算"),
        choices=[
            (CoverageMode.CONTINUOUS.value, _("全天候 (24小时)")),
            (CoverageMode.SCHEDULED.value, _("仅排班时段")),
        ],
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leaders"].queryset = people  # type: ignore[attr-defined]
        self.fields["officers"].queryset = people  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("结束日期早于开始日期。"))
        return data


class SwapRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=SwapKind.choices)
    original_person = forms.ModelChoiceField(label=_("原值班人"), queryset=_NOBODY)
    replacement = forms.ModelChoiceField(label=_("替换人"), queryset=_NOBODY)
    counterpart_shift = forms.IntegerField(label=_("对调班次编号"), required=False, help_text=_("调班时填写"))
    reason = forms.CharField(label=_("事由"), max_length=300, required=False)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["original_person"].queryset = people  # type: ignore[attr-defined]
        self.fields["replacement"].queryset = people  # type: ignore[attr-defined]


class HandoverForm(forms.Form):
    incoming_officer = forms.ModelChoiceField(label=_("接班人"), queryset=_NOBODY)
    summary = forms.CharField(label=_("交班摘要"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["incoming_officer"].queryset = people  # type: ignore[attr-defined]
