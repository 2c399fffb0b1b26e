"""Page forms of the prevention app (they validate input shapes; services validate the rest)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yingji.apps.risk.models import (
    HazardCategory,
    HazardGrade,
    HazardSource,
    Licence,
    PhotoStage,
    ProductionUnit,
    RiskMethod,
    SafetyManager,
    SpecialEquipment,
    UnitKind,
)
from yingji.engines.risk import checklist

DATE = forms.DateInput(attrs={"type": "date"})


def checklist_choices() -> list[tuple[int, str]]:
    """The 20 items of the chemical major hidden-hazard criteria (安监总管三〔2017〕121号)."""
    return [(item.id, f"{item.id}. {item.text_zh}") for item in checklist()]


class UnitChoiceMixin:
    """Limits a ``unit`` field to the enterprise's units."""

    def limit_units(self, enterprise: Any) -> None:
        field = self.fields.get("unit")  # type: ignore[attr-defined]
        if field is not None:
            field.queryset = ProductionUnit.objects.filter(enterprise=enterprise)


class ProfileForm(forms.Form):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=30, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    lon = forms.FloatField(label=_("经度(WGS84)"), required=False)
    lat = forms.FloatField(label=_("纬度(WGS84)"), required=False)
    industry_code = forms.CharField(label=_("行业代码(GB/T 4754)"), max_length=5, required=False)
    industry_name = forms.CharField(label=_("行业名称"), max_length=64, required=False)
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=32, required=False)
    legal_representative_phone = forms.CharField(label=_("法定代表人电话"), max_length=32, required=False)
    employees = forms.IntegerField(label=_("从业人员数"), min_value=0, required=False)


class UnitForm(forms.Form):
    name = forms.CharField(label=_("单元名称"), max_length=64)
    kind = forms.ChoiceField(label=_("单元类型"), choices=UnitKind.choices, initial=UnitKind.STORAGE)
    description = forms.CharField(label=_("说明"), max_length=200, required=False)
    exposed_population = forms.IntegerField(label=_("500 m 内暴露人数"), min_value=0, initial=0)
    exposed_population_source = forms.CharField(label=_("暴露人数来源"), max_length=120, required=False)
    exposed_population_date = forms.DateField(label=_("统计日期"), required=False, widget=DATE)


class InventoryForm(UnitChoiceMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("单元"), queryset=ProductionUnit.objects.none(), required=False)
    unit_name = forms.CharField(label=_("或新单元名称"), max_length=64, required=False)
    substance_name = forms.CharField(label=_("危险化学品"), max_length=64)
    cas = forms.CharField(label=_("CAS号"), max_length=16, required=False)
    hazard_class = forms.CharField(label=_("危险性类别(表2符号)"), max_length=16, required=False)
    quantity_t = forms.DecimalField(label=_("最大存量(t)"), min_value=0, max_digits=14, decimal_places=4)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("unit") and not (data.get("unit_name") or "").strip():
            raise forms.ValidationError(_("请选择单元或填写新单元名称。"))
        return data


class RiskPointForm(UnitChoiceMixin, forms.Form):
    name = forms.CharField(label=_("风险点名称"), max_length=64)
    unit = forms.ModelChoiceField(label=_("所在单元"), queryset=ProductionUnit.objects.none(), required=False)
    hazards = forms.CharField(
        label=_("危险有害因素"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    controls = forms.CharField(label=_("管控措施"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    responsible_person = forms.CharField(label=_("责任人"), max_length=32)
    method = forms.ChoiceField(label=_("评价方法"), choices=RiskMethod.choices)
    L = forms.DecimalField(label="L", required=False, max_digits=6, decimal_places=2)
    E = forms.DecimalField(label="E", required=False, max_digits=6, decimal_places=2)
    C = forms.DecimalField(label="C", required=False, max_digits=6, decimal_places=2)
    S = forms.DecimalField(label="S", required=False, max_digits=6, decimal_places=2)
    residual_L = forms.DecimalField(label=_("残余 L"), required=False, max_digits=6, decimal_places=2)
    residual_E = forms.DecimalField(label=_("残余 E"), required=False, max_digits=6, decimal_places=2)
    residual_C = forms.DecimalField(label=_("残余 C"), required=False, max_digits=6, decimal_places=2)
    residual_S = forms.DecimalField(label=_("残余 S"), required=False, max_digits=6, decimal_places=2)


class HazardReportForm(UnitChoiceMixin, forms.Form):
    title = forms.CharField(label=_("隐患名称"), max_length=120)
    category = forms.ChoiceField(label=_("隐患类别"), choices=HazardCategory.choices)
    source = forms.ChoiceField(label=_("发现途径"), choices=HazardSource.choices)
    unit = forms.ModelChoiceField(label=_("所在单元"), queryset=ProductionUnit.objects.none(), required=False)
    description = forms.CharField(
        label=_("隐患描述"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    reporter_name = forms.CharField(label=_("发现人/举报人"), max_length=32, required=False)
    checklist_items = forms.TypedMultipleChoiceField(
        label=_("重大事故隐患判定标准(化工,20条)"),
        choices=checklist_choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class GradeForm(forms.Form):
    grade = forms.ChoiceField(label=_("隐患等级"), choices=HazardGrade.choices)
    checklist_items = forms.TypedMultipleChoiceField(
        label=_("重大事故隐患判定标准(化工,20条)"),
        choices=checklist_choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class AssignForm(forms.Form):
    responsible_person = forms.CharField(label=_("整改责任人"), max_length=32)
    deadline = forms.DateField(label=_("整改期限"), widget=DATE)
    funding_cny = forms.DecimalField(
        label=_("整改资金(元)"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    measures = forms.CharField(label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ProgressForm(forms.Form):
    progress = forms.CharField(label=_("整改进展"), widget=forms.Textarea(attrs={"rows": 2}))


class PhotoForm(forms.Form):
    stage = forms.ChoiceField(label=_("阶段"), choices=PhotoStage.choices)
    image = forms.FileField(label=_("照片"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class VerifyForm(NoteForm):
    passed = forms.TypedChoiceField(
        label=_("验收结论"),
        choices=[("1", _("验收通过")), ("0", _("不通过,退回整改"))],
        coerce=lambda v: v == "1",
    )


class SuperviseForm(forms.Form):
    reason = forms.CharField(label=_("挂牌原因"), max_length=120, required=False)


class SafetyManagerForm(forms.ModelForm):
    class Meta:
        model = SafetyManager
        fields = ["name", "post", "phone", "certificate_no"]


class LicenceForm(forms.ModelForm):
    class Meta:
        model = Licence
        fields = ["kind", "number", "issuer", "issued_on", "valid_until"]
        widgets = {"issued_on": DATE, "valid_until": DATE}


class SpecialEquipmentForm(UnitChoiceMixin, forms.ModelForm):
    class Meta:
        model = SpecialEquipment
        fields = ["kind", "name", "unit", "registration_no", "next_inspection_due"]
        widgets = {"next_inspection_due": DATE}
