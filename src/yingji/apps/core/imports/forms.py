"""Forms of the import pages: upload, override."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.imports.registry import NoImportTarget, UnknownImportKind, get_import_kind, kinds_for

CRS_CHOICES = [
    ("", _("WGS84(默认)或按文件中的坐标系列")),
    ("gcj02", _("GCJ-02(高德、腾讯)")),
    ("bd09", _("BD-09(百度)")),
    ("wgs84", _("WGS84 / CGCS2000")),
]


class UploadForm(forms.Form):
    """Kind, file and reading options of an upload; the kinds offered are those ``user`` is
    shown (:func:`~yingji.apps.core.imports.registry.kinds_for`)."""

    kind = forms.ChoiceField(label=_("导入类型"), choices=())
    file = forms.FileField(label=_("文件"), help_text=_(".xlsx、.xls、CSV 或 TSV(编码自动识别)"))
    crs = forms.ChoiceField(label=_("坐标系"), choices=CRS_CHOICES, required=False)
    context_year = forms.IntegerField(
        label=_("报表年度"),
        required=False,
        min_value=1900,
        max_value=2199,
        help_text=_("日期只写月日时使用;留空则取标题中的年份"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [
            (k["kind"], k["label"] if k["registered"] else f"{k['label']}({_('尚无导入目标')})")
            for k in kinds_for(user)
        ]

    def clean_kind(self) -> str:
        """Only kinds with a registered target can be uploaded."""
        kind = str(self.cleaned_data["kind"])
        try:
            get_import_kind(kind)
        except (UnknownImportKind, NoImportTarget) as exc:
            raise forms.ValidationError(str(exc)) from exc
        return kind


class OverrideForm(forms.Form):
    """Accept one overridable rejection with a reason."""

    row = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    column = forms.CharField(max_length=64, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("理由"), max_length=500)
