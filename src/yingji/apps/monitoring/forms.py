"""Forms of the monitoring pages (validation messages in Chinese; services re-validate)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yingji.apps.directory import selectors as directory_selectors
from yingji.apps.directory.models import OrganizationKind
from yingji.apps.monitoring.models import Gateway, MonitoringPoint

POINT_FIELDS = [
    "code",
    "name",
    "organization",
    "site_kind",
    "site_name",
    "installation_ref",
    "major_hazard_level",
    "quantity",
    "unit",
    "sampling_period_s",
    "gateway",
    "hh",
    "h",
    "l",
    "ll",
    "deadband",
    "on_delay_s",
    "off_delay_s",
    "offline_s",
    "roc_per_s",
    "lon",
    "lat",
]


class PointForm(forms.ModelForm):
    """Create/edit a monitoring point; enterprises and gateways limited to what the user sees."""

    class Meta:
        model = MonitoringPoint
        fields = POINT_FIELDS

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field: Any = self.fields["organization"]
        org_field.queryset = directory_selectors.organizations_for(user).filter(
            kind=OrganizationKind.ENTERPRISE
        )
        gw_field: Any = self.fields["gateway"]
        gw_field.queryset = Gateway.objects.restrict(user, "view")


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("处置说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RequiredNoteForm(forms.Form):
    note = forms.CharField(label=_("处置情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class TextForm(forms.Form):
    text = forms.CharField(label=_("处置记录"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ShelveForm(forms.Form):
    until = forms.DateTimeField(
        label=_("搁置至"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(label=_("原因"), max_length=2000)


class HistoryUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV 文件(ts,point,value)"))
    evaluate = forms.BooleanField(label=_("按报警规则评估(默认仅存档)"), required=False)


class GatewayForm(forms.ModelForm):
    class Meta:
        model = Gateway
        fields = ["code", "name", "organization"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field: Any = self.fields["organization"]
        org_field.queryset = directory_selectors.organizations_for(user).filter(
            kind=OrganizationKind.ENTERPRISE
        )
