"""Prevention pages: hub, enterprise ledger, units, hidden hazards, four-colour map, statistics, export.

Every write posts to an action page (``ServiceFormView``): GET shows the form, POST calls one
service; on a validation error the form page is shown again with field errors (status 400).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from yingji.apps.core.views import DeclaredPermissionMixin
from yingji.apps.directory.models import AdministrativeDivision
from yingji.apps.risk import exports, forms, hazard_services, selectors, services
from yingji.apps.risk.models import (
    ChemicalInventory,
    HazardCategory,
    HazardGrade,
    HazardStatus,
    Licence,
    ProductionUnit,
    RiskSettings,
    SafetyManager,
    SpecialEquipment,
)


class EnterpriseListView(DeclaredPermissionMixin, TemplateView):
    """风险防控 hub: visible enterprises with their worst colour, major units and open hazards."""

    required_permission = "risk.view_chemicalinventory"
    template_name = "risk/enterprise_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["enterprises"] = selectors.enterprises_with_inventory_for(user)
        hazards = selectors.hidden_hazards_for(user)
        ctx["open_hazards"] = hazards.exclude(status=HazardStatus.CLOSED).count()
        ctx["major_open"] = (
            hazards.exclude(status=HazardStatus.CLOSED).filter(grade=HazardGrade.MAJOR).count()
        )
        ctx["listed"] = hazards.exclude(status=HazardStatus.CLOSED).filter(supervision_level__gt=0).count()
        ctx["major_units"] = selectors.units_for(user).filter(is_major_hazard=True).count()
        return ctx


class EnterpriseDetailView(DeclaredPermissionMixin, TemplateView):
    """One enterprise's safety ledger with entry forms (managers: their own enterprise only)."""

    required_permission = "risk.view_productionunit"
    template_name = "risk/enterprise_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ent = selectors.get_enterprise_for(user, self.kwargs["pk"])
        ctx.update(
            enterprise=ent,
            profile=selectors.profile_for(user, ent),
            contacts_visible=selectors.can_see_contacts(user, ent),
            managers=selectors.safety_managers_for(user).filter(enterprise=ent),
            licences=selectors.licences_for(user).filter(enterprise=ent),
            equipment=selectors.special_equipment_for(user).filter(enterprise=ent),
            units=selectors.units_for(user).filter(enterprise=ent),
            inventories=selectors.inventories_for(user).filter(enterprise=ent),
            risk_points=selectors.risk_points_for(user).filter(enterprise=ent),
            hazards=selectors.hidden_hazards_for(user).filter(enterprise=ent),
            can_edit=selectors.scope_covers(user, ProductionUnit, "add", ent),
            # the inventory register as Excel (kind enterprise-inventory): managers import their own
            can_import=user.has_perm("core.add_importjob")
            and selectors.scope_covers(user, ChemicalInventory, "add", ent),
            today=timezone.localdate(),
        )
        inventory_form = forms.InventoryForm()
        inventory_form.limit_units(ent)
        hazard_form = forms.HazardReportForm()
        hazard_form.limit_units(ent)
        ctx.update(inventory_form=inventory_form, hazard_form=hazard_form)
        return ctx


class UnitDetailView(DeclaredPermissionMixin, TemplateView):
    """A unit's GB 18218-2018 assessment with the engine's explanation."""

    required_permission = "risk.view_productionunit"
    template_name = "risk/unit_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        unit = selectors.get_unit_for(self.request.user, self.kwargs["pk"])
        ctx.update(unit=unit, inventories=selectors.inventories_for(self.request.user).filter(unit=unit))
        return ctx


class ServiceFormView(DeclaredPermissionMixin, View):
    """GET: the form; POST: validate, call ``perform``, redirect to ``success_url``; errors → 400 page."""

    form_class: Any = None
    title = ""
    multipart = False

    def get_target(self) -> Any:
        raise NotImplementedError

    def perform(self, target: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def success_url(self, target: Any, result: Any) -> str:
        raise NotImplementedError

    def make_form(self, target: Any, *args: Any) -> Any:
        form = self.form_class(*args)
        if hasattr(form, "limit_units"):
            form.limit_units(getattr(target, "enterprise", target))
        return form

    def render_form(self, target: Any, form: Any, status: int = 200) -> HttpResponse:
        ctx = {"form": form, "title": self.title, "target": target, "multipart": self.multipart}
        return render(self.request, "risk/form_page.html", ctx, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        target = self.get_target()
        return self.render_form(target, self.make_form(target))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        target = self.get_target()
        form = self.make_form(target, request.POST, request.FILES)
        if form.is_valid():
            try:
                result = self.perform(target, form.cleaned_data)
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or _("无权执行此操作。"))
                return self.render_form(target, form, status=403)
            else:
                messages.success(request, _("已保存。"))
                return redirect(self.success_url(target, result))
        return self.render_form(target, form, status=400)


class _EnterpriseAction(ServiceFormView):
    def get_target(self) -> Any:
        return selectors.get_enterprise_for(self.request.user, self.kwargs["pk"])

    def success_url(self, target: Any, result: Any) -> str:
        return reverse("risk:enterprise-detail", args=[target.pk])


class ProfileEditView(_EnterpriseAction):
    required_permission = "risk.change_enterpriseprofile"
    form_class = forms.ProfileForm
    title = "编辑企业台账"

    def make_form(self, target: Any, *args: Any) -> Any:
        if args:
            return forms.ProfileForm(*args)
        profile = selectors.profile_for(self.request.user, target)
        initial = {k: getattr(target, k) for k in ("uscc", "address", "lon", "lat")}
        if profile is not None:
            initial.update(
                {k: getattr(profile, k) for k in forms.ProfileForm.base_fields if hasattr(profile, k)}
            )
        return forms.ProfileForm(initial=initial)

    def perform(self, target: Any, data: dict[str, Any]) -> Any:
        data["uscc"] = data.get("uscc") or ""
        return services.save_enterprise_ledger(actor=self.request.user, enterprise=target, **data)


class UnitCreateView(_EnterpriseAction):
    required_permission = "risk.add_productionunit"
    form_class = forms.UnitForm
    title = "新增生产/储存单元"

    def perform(self, target: Any, data: dict[str, Any]) -> Any:
        return services.create_unit(actor=self.request.user, enterprise=target, **data)


class InventoryCreateView(_EnterpriseAction):
    required_permission = "risk.add_chemicalinventory"
    form_class = forms.InventoryForm
    title = "新增危险化学品存量"

    def perform(self, target: Any, data: dict[str, Any]) -> Any:
        return services.record_inventory(
            actor=self.request.user,
            enterprise=target,
            unit=data["unit"],
            unit_name=data.get("unit_name") or "",
            substance_name=data["substance_name"],
            cas=data.get("cas") or "",
            hazard_class=data.get("hazard_class") or "",
            quantity_t=data["quantity_t"],
        )


class RiskPointCreateView(_EnterpriseAction):
    required_permission = "risk.add_riskpoint"
    form_class = forms.RiskPointForm
    title = "新增风险点"

    def perform(self, target: Any, data: dict[str, Any]) -> Any:
        factors = {k: data.pop(k) for k in ("L", "E", "C", "S")}
        residual = {k[9:]: data.pop(k) for k in ("residual_L", "residual_E", "residual_C", "residual_S")}
        return services.create_risk_point(
            actor=self.request.user, enterprise=target, factors=factors, residual=residual, **data
        )


class HazardReportView(_EnterpriseAction):
    required_permission = "risk.add_hiddenhazard"
    form_class = forms.HazardReportForm
    title = "登记事故隐患"

    def perform(self, target: Any, data: dict[str, Any]) -> Any:
        return hazard_services.report_hidden_hazard(actor=self.request.user, enterprise=target, **data)

    def success_url(self, target: Any, result: Any) -> str:
        return reverse("risk:hazard-detail", args=[result.pk])


_LEDGER_FORMS = {
    "safety-manager": (SafetyManager, forms.SafetyManagerForm, "新增安全管理人员"),
    "licence": (Licence, forms.LicenceForm, "新增证照"),
    "equipment": (SpecialEquipment, forms.SpecialEquipmentForm, "新增特种设备"),
}


class LedgerRecordCreateView(_EnterpriseAction):
    """Add a safety manager, licence or special-equipment record (``kind`` in the URL)."""

    required_permission = "risk.view_enterpriseprofile"  # plus risk.add_<model>, checked in dispatch

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        entry = _LEDGER_FORMS.get(kwargs["kind"])
        if entry is None:
            raise Http404
        self.model, self.form_class, self.title = entry
        if request.user.is_authenticated and not request.user.has_perm(
            f"risk.add_{self.model._meta.model_name}"
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def perform(self, target: Any, data: dict[str, Any]) -> Any:
        return services.create_ledger_record(self.model, actor=self.request.user, enterprise=target, **data)


class UnitEditView(ServiceFormView):
    required_permission = "risk.change_productionunit"
    form_class = forms.UnitForm
    title = "修改单元(暴露人数)"

    def get_target(self) -> Any:
        return selectors.get_unit_for(self.request.user, self.kwargs["pk"])

    def make_form(self, target: Any, *args: Any) -> Any:
        if args:
            return forms.UnitForm(*args)
        return forms.UnitForm(initial={k: getattr(target, k) for k in forms.UnitForm.base_fields})

    def perform(self, target: Any, data: dict[str, Any]) -> Any:
        return services.update_unit(target, actor=self.request.user, **data)

    def success_url(self, target: Any, result: Any) -> str:
        return reverse("risk:unit-detail", args=[target.pk])


# --------------------------------------------------------------------------- hidden hazards


class HazardListView(DeclaredPermissionMixin, TemplateView):
    """Hidden hazards visible to the user, filterable by status, grade and listed supervision."""

    required_permission = "risk.view_hiddenhazard"
    template_name = "risk/hazard_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        qs = selectors.hidden_hazards_for(self.request.user)
        status, grade = self.request.GET.get("status"), self.request.GET.get("grade")
        if status in HazardStatus.values:
            qs = qs.filter(status=status)
        if grade in HazardGrade.values:
            qs = qs.filter(grade=grade)
        if self.request.GET.get("listed"):
            qs = qs.filter(supervision_level__gt=0).exclude(status=HazardStatus.CLOSED)
        ctx.update(hazards=qs[:500], statuses=HazardStatus.choices, today=timezone.localdate())
        return ctx


class HazardDetailView(DeclaredPermissionMixin, TemplateView):
    """One hidden hazard with its timeline, photos and the forms of the next steps."""

    required_permission = "risk.view_hiddenhazard"
    template_name = "risk/hazard_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        hazard = selectors.get_hidden_hazard_for(user, self.kwargs["pk"])
        grade_form = forms.GradeForm(
            initial={
                "grade": hazard.grade or hazard.proposed_grade,
                "checklist_items": hazard.checklist_items,
            }
        )
        ctx.update(
            hazard=hazard,
            events=selectors.events_for(user).filter(hazard=hazard),
            photos=selectors.photos_for(user).filter(hazard=hazard),
            grade_form=grade_form,
            assign_form=forms.AssignForm(
                initial={"responsible_person": hazard.responsible_person, "deadline": hazard.deadline}
            ),
            progress_form=forms.ProgressForm(),
            photo_form=forms.PhotoForm(),
            complete_form=forms.NoteForm(),
            verify_form=forms.VerifyForm(),
            close_form=forms.NoteForm(),
            can_change=selectors.scope_covers(user, type(hazard), "change", hazard.enterprise),
            can_verify=user.has_perm("risk.verify_hiddenhazard"),
            can_grade_major=user.has_perm("risk.grade_hiddenhazard"),
            today=timezone.localdate(),
        )
        return ctx


_HAZARD_STEPS: dict[str, tuple[str, Any, Any, str, bool]] = {
    "grade": (
        "risk.change_hiddenhazard",
        forms.GradeForm,
        hazard_services.grade_hidden_hazard,
        "隐患定级",
        False,
    ),
    "assign": (
        "risk.change_hiddenhazard",
        forms.AssignForm,
        hazard_services.assign_hidden_hazard,
        "交办整改",
        False,
    ),
    "progress": (
        "risk.change_hiddenhazard",
        forms.ProgressForm,
        hazard_services.record_rectification_progress,
        "整改进展",
        False,
    ),
    "photo": (
        "risk.change_hiddenhazard",
        forms.PhotoForm,
        hazard_services.add_hidden_hazard_photo,
        "上传照片",
        True,
    ),
    "complete": (
        "risk.change_hiddenhazard",
        forms.NoteForm,
        hazard_services.complete_rectification,
        "整改完成",
        False,
    ),
    "verify": (
        "risk.verify_hiddenhazard",
        forms.VerifyForm,
        hazard_services.verify_hidden_hazard,
        "验收",
        False,
    ),
    "close": ("risk.verify_hiddenhazard", forms.NoteForm, hazard_services.close_hidden_hazard, "销号", False),
    "supervise": (
        "risk.supervise_hiddenhazard",
        forms.SuperviseForm,
        hazard_services.list_for_supervision,
        "挂牌督办",
        False,
    ),
}


class HazardStepView(ServiceFormView):
    """One lifecycle step of a hidden hazard (``step`` in the URL; permission per step)."""

    required_permission = "risk.view_hiddenhazard"  # plus the step's permission, checked in dispatch

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        entry = _HAZARD_STEPS.get(kwargs["step"])
        if entry is None:
            raise Http404
        perm, self.form_class, self.service, self.title, self.multipart = entry
        if request.user.is_authenticated and not request.user.has_perm(perm):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_target(self) -> Any:
        return selectors.get_hidden_hazard_for(self.request.user, self.kwargs["pk"])

    def perform(self, target: Any, data: dict[str, Any]) -> Any:
        if self.kwargs["step"] == "photo":
            return self.service(target, actor=self.request.user, stage=data["stage"], image=data["image"])
        return self.service(target, actor=self.request.user, **data)

    def success_url(self, target: Any, result: Any) -> str:
        return reverse("risk:hazard-detail", args=[target.pk])


class HazardPhotoView(DeclaredPermissionMixin, View):
    """Serves one photo (restricted like its hazard)."""

    required_permission = "risk.view_hiddenhazard"

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        photo = get_object_or_404(selectors.photos_for(request.user), pk=pk)
        return FileResponse(photo.image.open("rb"), content_type=photo.content_type)


# --------------------------------------------------------------------------- map, statistics, export


class RiskMapView(DeclaredPermissionMixin, TemplateView):
    """Four-colour risk map (Leaflet): enterprise points coloured by their worst level, per township."""

    required_permission = "risk.view_riskpoint"
    template_name = "risk/risk_map.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        township = self.request.GET.get("township", "")
        points = selectors.enterprise_map_points(self.request.user, township or None)
        ctx.update(
            township=township,
            townships=AdministrativeDivision.objects.filter(level="township").order_by("code"),
            summary=selectors.township_colour_counts(points),
            settings=RiskSettings.load(),
            tile_url=getattr(settings, "YINGJI_MAP_TILE_URL", ""),
            boundary=getattr(services.county_division(), "boundary", None),
        )
        return ctx


class RiskMapPointsView(DeclaredPermissionMixin, View):
    """``GET /risk/map/points.json?township=<code>`` → GeoJSON FeatureCollection of enterprise points."""

    required_permission = "risk.view_riskpoint"

    def get(self, request: HttpRequest) -> JsonResponse:
        points = selectors.enterprise_map_points(request.user, request.GET.get("township") or None)
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                "properties": {k: v for k, v in p.items() if k not in ("lon", "lat")}
                | {"url": reverse("risk:enterprise-detail", args=[p["id"]])},
            }
            for p in points
        ]
        return JsonResponse(
            {"type": "FeatureCollection", "features": features}, json_dumps_params={"ensure_ascii": False}
        )


class StatisticsView(DeclaredPermissionMixin, TemplateView):
    """Quarterly/annual hidden-hazard statistics per township and per enterprise."""

    required_permission = "risk.view_hiddenhazard"
    template_name = "risk/statistics.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        try:
            year = int(self.request.GET.get("year") or today.year)
            quarter = int(self.request.GET["quarter"]) if self.request.GET.get("quarter") else None
            by_township = selectors.hidden_hazard_statistics(self.request.user, year=year, quarter=quarter)
        except ValueError as exc:
            raise Http404 from exc
        ctx.update(
            year=year,
            quarter=quarter,
            years=list(range(today.year - 4, today.year + 1)),
            by_township=by_township,
            by_enterprise=selectors.hidden_hazard_statistics(
                self.request.user, year=year, quarter=quarter, by="enterprise"
            ),
            categories=HazardCategory.choices,
        )
        return ctx


class ExportView(DeclaredPermissionMixin, View):
    """Excel download of the visible ledgers."""

    required_permission = "risk.view_chemicalinventory"

    def get(self, request: HttpRequest) -> HttpResponse:
        return exports.ledger_workbook_response(request.user)
