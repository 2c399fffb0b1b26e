"""Page forms of the resources app (validation of shapes only; rules live in services)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yingji.apps.resources.models import Depot, ReserveQuota, Shelter, SupplyItem


def qty_field(label: Any, **kwargs: Any) -> forms.DecimalField:
    """A quantity form field: exact decimal, 18 digits, 4 decimal places, at most 10^9 units."""
    kwargs.setdefault("max_value", Decimal("1000000000"))
    return forms.DecimalField(label=label, max_digits=18, decimal_places=4, **kwargs)


class ReceiveForm(forms.Form):
    """Receive stock into a depot."""

    item = forms.ModelChoiceField(queryset=SupplyItem.objects.all(), label=_("物资"))
    quantity = qty_field(_("数量"))
    batch = forms.CharField(label=_("批次"), max_length=64, required=False)
    production_date = forms.DateField(
        label=_("生产日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expiry_date = forms.DateField(
        label=_("有效期至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    location = forms.CharField(label=_("库位"), max_length=64, required=False)
    reference = forms.CharField(label=_("单据号"), max_length=64, required=False)


class LotMovementForm(forms.Form):
    """Issue, count, write off or transfer a lot (``operation`` picks which)."""

    OPERATIONS = [
        ("issue", _("出库")),
        ("count", _("盘点")),
        ("write_off", _("报废核销")),
        ("transfer", _("调拨至其他库")),
    ]
    operation = forms.ChoiceField(choices=OPERATIONS, label=_("操作"))
    quantity = qty_field(_("数量(盘点时为实盘数)"))
    to_depot = forms.ModelChoiceField(queryset=Depot.objects.all(), required=False, label=_("调入库"))
    note = forms.CharField(label=_("备注/原因"), max_length=200, required=False)


class DispatchRequestForm(forms.Form):
    """A dispatch request with up to five item lines."""

    LINES = 5

    division: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label=_("目的区划"))
    destination = forms.CharField(label=_("目的地"), max_length=200)
    destination_depot = forms.ModelChoiceField(
        queryset=Depot.objects.all(), required=False, label=_("调入储备库")
    )
    purpose = forms.CharField(label=_("用途"), max_length=200, required=False)

    def __init__(self, *args: Any, divisions: Any, items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = divisions  # type: ignore[attr-defined]
        for i in range(self.LINES):
            self.fields[f"item_{i}"] = forms.ModelChoiceField(queryset=items, required=False, label=_("物资"))
            self.fields[f"quantity_{i}"] = qty_field(_("数量"), required=False)

    def lines(self) -> list[tuple[SupplyItem, Any]]:
        """``(item, quantity)`` of the filled lines."""
        out = []
        for i in range(self.LINES):
            item, qty = self.cleaned_data.get(f"item_{i}"), self.cleaned_data.get(f"quantity_{i}")
            if item is not None or qty is not None:
                if item is None or qty is None:
                    self.add_error(f"item_{i}", _("物资与数量须同时填写"))
                    continue
                out.append((item, qty))
        return out

    def line_fields(self) -> list[tuple[Any, Any]]:
        """Bound (item, quantity) field pairs for the template."""
        return [(self[f"item_{i}"], self[f"quantity_{i}"]) for i in range(self.LINES)]


class QuotaForm(forms.Form):
    """Set a reserve quota."""

    division: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label=_("区划"))
    item = forms.ModelChoiceField(queryset=SupplyItem.objects.all(), label=_("物资"))
    hazard = forms.ChoiceField(choices=ReserveQuota.Hazard.choices, required=False, label=_("灾种"))
    basis = forms.ChoiceField(choices=ReserveQuota.Basis.choices, label=_("定额基准"))
    quantity = qty_field(_("定额数量"), min_value=0)
    note = forms.CharField(label=_("依据"), max_length=200, required=False)

    def __init__(self, *args: Any, divisions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = divisions  # type: ignore[attr-defined]


class ShelterStatusForm(forms.Form):
    """Open/close a shelter and record occupancy."""

    status = forms.ChoiceField(
        choices=[c for c in Shelter.Status.choices if c[0] != Shelter.Status.FULL], label=_("状态")
    )
    occupancy = forms.IntegerField(min_value=0, label=_("当前人数"))


class ReachForm(forms.Form):
    """What can reach township X."""

    division: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label=_("乡镇"))
    item = forms.ModelChoiceField(queryset=SupplyItem.objects.all(), required=False, label=_("物资"))
    min_quantity = qty_field(_("最少数量"), required=False, min_value=0)
    skill = forms.CharField(required=False, max_length=64, label=_("队伍技能"))
    min_free = forms.IntegerField(required=False, min_value=1, label=_("避难场所最少空位"))

    def __init__(self, *args: Any, divisions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = divisions  # type: ignore[attr-defined]
