"""Report pages: quotas and the shortfall report, expiry warnings and rotation, the reach search,
and the resources map (GeoJSON with filters)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from yingji.apps.core.views import DeclaredPermissionMixin
from yingji.apps.resources import selectors, services
from yingji.apps.resources.forms import QuotaForm, ReachForm
from yingji.apps.resources.models import RescueTeam, Shelter
from yingji.apps.resources.views import service_errors

DEFAULT_HORIZONS = (30, 90, 180)


def _horizons(raw: str | None) -> tuple[int, ...]:
    try:
        values = tuple(sorted({int(x) for x in (raw or "").split(",") if x.strip()}))
    except ValueError:
        return DEFAULT_HORIZONS
    return values if values and min(values) > 0 else DEFAULT_HORIZONS


class QuotaView(DeclaredPermissionMixin, TemplateView):
    """Reserve quotas and the township shortfall report (filter by division); POST sets a quota."""

    required_permission = "resources.view_reservequota"
    template_name = "resources/quotas.html"

    def _form(self, data: Any = None) -> QuotaForm:
        form = QuotaForm(data, divisions=selectors.township_choices(self.request.user))
        form.fields["item"].queryset = selectors.supply_items_for(self.request.user)  # type: ignore[attr-defined]
        return form

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        divisions = selectors.township_choices(user)
        code = self.request.GET.get("division", "")
        division = divisions.filter(code=code).order_by("-edition_year").first() if code else None
        ctx.update(
            divisions=divisions,
            division=division,
            rows=selectors.shortfall(user, division=division),
            quotas=selectors.quotas_for(user),
            can_change=user.has_perm("resources.add_reservequota"),
        )
        ctx.setdefault("form", self._form())
        return ctx

    def post(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("resources.add_reservequota"):
            return HttpResponse(status=403)
        form = self._form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.set_reserve_quota(
                    actor=request.user,
                    division=data["division"],
                    item=data["item"],
                    hazard=data["hazard"] or "",
                    basis=data["basis"],
                    quantity=data["quantity"],
                    note=data["note"],
                )
            except ValidationError as exc:
                for msg in service_errors(exc):
                    form.add_error(None, msg)
            else:
                messages.success(request, _("储备定额已保存"))
                return HttpResponseRedirect(reverse("resources:quotas"))
        return self.render_to_response(self.get_context_data(form=form))


class ExpiryView(DeclaredPermissionMixin, TemplateView):
    """Lots expiring within configurable horizons (``?horizons=30,90,180``) and rotation suggestions."""

    required_permission = "resources.view_stocklot"
    template_name = "resources/expiry.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        horizons = _horizons(self.request.GET.get("horizons"))
        user = self.request.user
        ctx.update(
            horizons=horizons,
            horizons_text=",".join(str(h) for h in horizons),
            lines=selectors.expiry_report(user, horizons=horizons),
            rotation=selectors.rotation_for(user, horizon_days=max(horizons), min_remaining_fraction=0.2),
        )
        return ctx


class ReachView(DeclaredPermissionMixin, TemplateView):
    """What can reach township X: nearest depots with an item, teams with a skill, open shelters."""

    required_permission = "resources.view_depot"
    template_name = "resources/reach.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        form = ReachForm(
            self.request.GET or None, divisions=selectors.township_choices(user).filter(level="township")
        )
        form.fields["item"].queryset = selectors.supply_items_for(user)  # type: ignore[attr-defined]
        ctx["form"] = form
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            ctx["division"] = data["division"]
            ctx["reach"] = selectors.reach_from(
                user,
                data["division"],
                item=data["item"],
                min_quantity=data["min_quantity"] or Decimal("0"),
                skill=data["skill"] or None,
                min_free=data["min_free"] or 1,
                limit=10,
            )
        return ctx


class ResourceMapView(DeclaredPermissionMixin, TemplateView):
    """All resources on a Leaflet map with layer and attribute filters."""

    required_permission = "resources.view_depot"
    template_name = "resources/map.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            items=selectors.supply_items_for(self.request.user),
            readiness=RescueTeam.Readiness.choices,
            shelter_status=Shelter.Status.choices,
        )
        return ctx


def _feature(layer: str, obj: Any, props: dict[str, Any]) -> dict[str, Any] | None:
    if obj.lon is None or obj.lat is None:
        return None
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [obj.lon, obj.lat]},
        "properties": {"layer": layer, "id": obj.pk, "name": obj.name, "is_demo": obj.is_demo, **props},
    }


class ResourceMapDataView(DeclaredPermissionMixin, View):
    """GeoJSON FeatureCollection of depots, teams, shelters, equipment (WGS84).

    Filters: ``item`` (depots holding it), ``readiness`` (teams), ``skill`` (teams),
    ``status`` (shelters), ``layers`` (comma list).
    """

    required_permission = "resources.view_depot"

    def get(self, request: HttpRequest) -> JsonResponse:
        user, params = request.user, request.GET
        layers = set((params.get("layers") or "depot,team,shelter,equipment").split(","))
        features: list[dict[str, Any] | None] = []
        if "depot" in layers:
            depots = selectors.depots_for(user)
            held: dict[int, Decimal] = {}
            if params.get("item"):
                for b in selectors.stock_balances(user):
                    if b.item_code == params["item"] and b.available > 0:
                        held[b.depot_id] = b.available
                depots = depots.filter(pk__in=held)
            features += [
                _feature(
                    "depot",
                    d,
                    {
                        "code": d.code,
                        "owner": d.get_owner_kind_display(),
                        "available": str(held[d.pk]) if d.pk in held else None,
                        "url": reverse("resources:depot-detail", args=[d.pk]),
                    },
                )
                for d in depots
            ]
        if "team" in layers:
            teams = selectors.rescue_teams_for(user).prefetch_related("members")
            if params.get("readiness") in RescueTeam.Readiness.values:
                teams = teams.filter(readiness=params["readiness"])
            skill = (params.get("skill") or "").strip()
            for t in teams:
                skills = selectors.team_skills(t)
                if skill and not any(skill in s for s in skills):
                    continue
                features.append(
                    _feature(
                        "team",
                        t,
                        {
                            "kind": t.get_kind_display(),
                            "readiness": t.get_readiness_display(),
                            "skills": "、".join(sorted(skills)),
                            "url": reverse("resources:team-detail", args=[t.pk]),
                        },
                    )
                )
        if "shelter" in layers:
            shelters = selectors.shelters_for(user)
            if params.get("status") in Shelter.Status.values:
                shelters = shelters.filter(status=params["status"])
            features += [
                _feature(
                    "shelter",
                    s,
                    {
                        "status": s.get_status_display(),
                        "capacity": s.capacity_persons,
                        "free": max(s.capacity_persons - s.occupancy, 0),
                        "url": reverse("resources:shelter-detail", args=[s.pk]),
                    },
                )
                for s in shelters
            ]
        if "equipment" in layers:
            features += [
                _feature("equipment", e, {"kind": e.get_kind_display(), "status": e.get_status_display()})
                for e in selectors.equipment_for(user)
            ]
        return JsonResponse({"type": "FeatureCollection", "features": [f for f in features if f]})
