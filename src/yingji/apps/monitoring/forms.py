"""Forms of the monitoring pages (validation messages in Chinese; services re-validate)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingji.apps.directory import selectors as directory_selectors
from yingji.apps.directory.models import OrganizationKind
from yingji.apps.monitoring.models import Device, Gateway, MaintenanceWindow, MonitoringPoint

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
    "device",
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
    """Create/edit a monitoring point; enterprises, devices and gateways limited to what the user sees."""

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
        device_field: Any = self.fields["device"]
        device_field.queryset = Device.objects.restrict(user, "view")


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


def _enterprises(user: Any) -> Any:
    return directory_selectors.organizations_for(user).filter(kind=OrganizationKind.ENTERPRISE)


def _reload_on_change(field: Any, purpose: str, target: str) -> None:
    """HTMX: choosing an enterprise reloads the options of ``target`` (its gateways/points)."""
    field.widget.attrs.update(
        {
            "hx-get": reverse("monitoring:registry-options") + f"?for={purpose}",
            "hx-trigger": "change",
            "hx-target": target,
            "hx-swap": "innerHTML",
        }
    )


class GatewayForm(forms.ModelForm):
    """Register a gateway (its token is issued by the service and shown once)."""

    class Meta:
        model = Gateway
        fields = ["code", "name", "organization"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field: Any = self.fields["organization"]
        org_field.queryset = _enterprises(user)


class GatewayEditForm(forms.ModelForm):
    """What may change on a registered gateway (``services.GATEWAY_EDITABLE``)."""

    class Meta:
        model = Gateway
        fields = ["name", "is_active"]
        help_texts = {"is_active": _("停用后该网关的令牌不再被接受(数据上报被拒绝)。")}


class DeviceForm(forms.ModelForm):
    """Register a field device; enterprises and gateways limited to what the user sees (the
    gateway must belong to the device's enterprise: checked by the model)."""

    class Meta:
        model = Device
        fields = ["code", "name", "organization", "gateway", "model_name", "serial_number"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field: Any = self.fields["organization"]
        org_field.queryset = _enterprises(user)
        gw_field: Any = self.fields["gateway"]
        gw_field.queryset = Gateway.objects.restrict(user, "view")
        _reload_on_change(org_field, "device", "#id_gateway")


class DeviceEditForm(forms.ModelForm):
    """What may change on a registered device (``services.DEVICE_EDITABLE``); gateways of the
    device's own enterprise only."""

    class Meta:
        model = Device
        fields = ["name", "gateway", "model_name", "serial_number"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        gw_field: Any = self.fields["gateway"]
        gw_field.queryset = Gateway.objects.restrict(user, "view").filter(
            organization_id=self.instance.organization_id
        )


class MaintenanceWindowForm(forms.ModelForm):
    """Plan a maintenance window for one point, one gateway's points, or a whole enterprise
    (site); it must end in the future. The model checks that the point/gateway belong to the
    enterprise."""

    class Meta:
        model = MaintenanceWindow
        fields = ["organization", "point", "gateway", "starts_at", "ends_at", "reason"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }
        help_texts = {
            "point": _("只选企业:全厂所有测点;选网关:该网关的所有测点;选测点:仅该测点。"),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field: Any = self.fields["organization"]
        org_field.queryset = _enterprises(user)
        point_field: Any = self.fields["point"]
        point_field.queryset = MonitoringPoint.objects.restrict(user, "view").order_by("code")
        gw_field: Any = self.fields["gateway"]
        gw_field.queryset = Gateway.objects.restrict(user, "view")
        _reload_on_change(org_field, "maintenance", "#id_point")

    def clean(self) -> dict[str, Any]:
        """One target at most; the window ends in the future."""
        data = super().clean() or {}
        if data.get("point") is not None and data.get("gateway") is not None:
            self.add_error("gateway", _("请只选测点或网关之一(都不选即全厂)。"))
        ends_at = data.get("ends_at")
        if ends_at is not None and ends_at <= timezone.now():
            self.add_error("ends_at", _("结束时间须晚于现在。"))
        return data
