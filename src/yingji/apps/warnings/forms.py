"""Forms of the warning pages (authoring, rejection, upload)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from yingji.apps.directory.models import AdministrativeDivision
from yingji.apps.warnings.models import Channel, Warning, WarningTemplate


class WarningForm(forms.ModelForm):
    """Authoring form: texts in zh-CN and a second language, areas from divisions or a drawn polygon."""

    areas = forms.ModelMultipleChoiceField(
        label=_("预警区域"),
        queryset=AdministrativeDivision.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    blocked_channels = forms.MultipleChoiceField(
        label=_("不使用的渠道"), choices=Channel.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    onset = forms.DateTimeField(
        label=_("开始时间"),
        required=False,
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
    )
    expires = forms.DateTimeField(
        label=_("失效时间"),
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
    )

    class Meta:
        model = Warning
        fields = [
            "template",
            "status",
            "category",
            "event",
            "event_en",
            "severity",
            "urgency",
            "certainty",
            "response_type",
            "onset",
            "expires",
            "headline",
            "description",
            "instruction",
            "second_language",
            "headline_2",
            "description_2",
            "instruction_2",
            "polygon",
            "sms_text",
            "broadcast_text",
            "loudspeaker_text",
            "blocked_channels",
            "note",
        ]
        widgets = {
            "polygon": forms.HiddenInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "instruction": forms.Textarea(attrs={"rows": 3}),
            "description_2": forms.Textarea(attrs={"rows": 3}),
            "instruction_2": forms.Textarea(attrs={"rows": 3}),
            "broadcast_text": forms.Textarea(attrs={"rows": 2}),
            "loudspeaker_text": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, area_queryset: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = cast(forms.ModelMultipleChoiceField, self.fields["areas"])
        areas.queryset = area_queryset if area_queryset is not None else AdministrativeDivision.objects.none()
        areas.label_from_instance = lambda obj: f"{obj.name}"  # type: ignore[method-assign]
        template = cast(forms.ModelChoiceField, self.fields["template"])
        template.queryset = WarningTemplate.objects.all()
        template.required = False
        formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
        cast(forms.DateTimeField, self.fields["expires"]).input_formats = formats
        cast(forms.DateTimeField, self.fields["onset"]).input_formats = formats

    def service_fields(self) -> dict[str, Any]:
        """Cleaned values as keyword arguments for ``services.create_warning``/``edit_warning``."""
        data = dict(self.cleaned_data)
        data.pop("areas", None)
        data["blocked_channels"] = list(data.get("blocked_channels") or [])
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CAP 文件"))
