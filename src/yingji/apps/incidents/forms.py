"""Forms of the incident pages (intake, 续报, timeline entry, report edit/send)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yingji.apps.directory.models import AdministrativeDivision
from yingji.apps.incidents.models import FACT_FIELDS, Incident, IncidentSource, IncidentType, SendLevel
from yingji.apps.incidents.models.incident import MAX_LOSS_CNY
from yingji.apps.incidents.models.report import REPORT_BODY_MAX_CHARS
from yingji.apps.incidents.models.timeline import MANUAL_KINDS, LogKind

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class TypeChoiceField(forms.ModelChoiceField):
    """Incident types indented by level in the select box."""

    def label_from_instance(self, obj: Any) -> str:
        return ("　" * (obj.level - 1)) + obj.name_zh


class IntakeForm(forms.ModelForm):
    """接报 form: the caller's facts; grade, clocks and number are computed."""

    incident_type = TypeChoiceField(
        label=_("事件类型"), queryset=IncidentType.objects.none(), empty_label=_("— 请选择 —")
    )
    division = forms.ModelChoiceField(label=_("发生地区划"), queryset=AdministrativeDivision.objects.none())
    occurred_at = forms.DateTimeField(label=_("发生时间"), widget=DATETIME_INPUT, input_formats=DT_FORMATS)
    reported_at = forms.DateTimeField(
        label=_("接报时间"), widget=DATETIME_INPUT, input_formats=DT_FORMATS, required=False
    )
    allow_duplicate = forms.BooleanField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Incident
        fields = [
            "title",
            "incident_type",
            "source",
            "occurred_at",
            "reported_at",
            "division",
            "address",
            "lon",
            "lat",
            "description",
            "deaths",
            "missing",
            "serious_injuries",
            "injured",
            "trapped",
            "direct_loss_cny",
            "hazmat_involved",
            "hazmat_description",
            "reporter_name",
            "reporter_phone",
            "reporter_org",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, types: Any, divisions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        type_field = self.fields["incident_type"]
        assert isinstance(type_field, forms.ModelChoiceField)
        type_field.queryset = types
        division_field = self.fields["division"]
        assert isinstance(division_field, forms.ModelChoiceField)
        division_field.queryset = divisions
        for name in ("deaths", "missing", "serious_injuries", "injured", "trapped"):
            self.fields[name].widget.attrs["min"] = 0

    def _post_clean(self) -> None:
        """Model validation happens in the service (``create_incident``), not here."""


class UpdateForm(forms.Form):
    """续报 form: new values of the facts, with the version the officer started from."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    received_at = forms.DateTimeField(
        label=_("获悉时间"), widget=DATETIME_INPUT, input_formats=DT_FORMATS, required=False
    )
    deaths = forms.IntegerField(label=_("死亡(人)"), min_value=0)
    missing = forms.IntegerField(label=_("失踪(人)"), min_value=0)
    serious_injuries = forms.IntegerField(label=_("重伤(人)"), min_value=0)
    injured = forms.IntegerField(label=_("轻伤(人)"), min_value=0)
    trapped = forms.IntegerField(label=_("被困(人)"), min_value=0)
    direct_loss_cny = forms.DecimalField(
        label=_("直接经济损失(元)"), min_value=0, max_value=MAX_LOSS_CNY, max_digits=16, decimal_places=2
    )
    hazmat_involved = forms.BooleanField(label=_("涉及危险化学品"), required=False)
    hazmat_description = forms.CharField(label=_("危险化学品情况"), max_length=300, required=False)
    description = forms.CharField(
        label=_("事件描述"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    stabilized = forms.BooleanField(label=_("灾情已稳定（自然灾害）"), required=False)
    note = forms.CharField(label=_("续报说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    @classmethod
    def for_incident(cls, incident: Incident) -> UpdateForm:
        """An unbound form pre-filled with the incident's current facts and version."""
        initial = {name: getattr(incident, name) for name in FACT_FIELDS if name != "address"}
        initial["version"] = incident.version
        return cls(initial=initial)


class LogEntryForm(forms.Form):
    """A hand-written timeline entry: 批示, 电话, 调度, 备注."""

    kind = forms.ChoiceField(label=_("类型"), choices=[(k.value, k.label) for k in MANUAL_KINDS])
    summary = forms.CharField(label=_("内容"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    at = forms.DateTimeField(label=_("时间"), widget=DATETIME_INPUT, input_formats=DT_FORMATS, required=False)

    def clean_kind(self) -> str:
        return LogKind(self.cleaned_data["kind"]).value


class ReportDraftForm(forms.Form):
    kind = forms.ChoiceField(choices=[("initial", _("首报")), ("update", _("续报")), ("final", _("终报"))])


class ReportEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(
        label=_("正文"), max_length=REPORT_BODY_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 16})
    )


class ReportSendForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    levels = forms.TypedMultipleChoiceField(
        label=_("报送层级"),
        choices=SendLevel.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )


__all__ = [
    "IncidentSource",
    "IntakeForm",
    "LogEntryForm",
    "ReportDraftForm",
    "ReportEditForm",
    "ReportSendForm",
    "UpdateForm",
]
