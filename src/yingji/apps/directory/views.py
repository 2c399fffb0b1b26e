"""Pages: division list/detail, organisation list/detail."""

from __future__ import annotations

from typing import Any

from django.views.generic import DetailView, ListView

from yingji.apps.core.views import DeclaredPermissionMixin
from yingji.apps.directory import selectors
from yingji.apps.directory.models import DivisionLevel, OrganizationKind


class DivisionListView(DeclaredPermissionMixin, ListView):
    required_permission = "directory.view_administrativedivision"
    template_name = "directory/division_list.html"
    context_object_name = "divisions"

    def get_queryset(self) -> Any:
        level = self.request.GET.get("level")
        return selectors.divisions_for(
            self.request.user, level=level if level in DivisionLevel.values else None
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["levels"] = DivisionLevel.choices
        ctx["current_level"] = self.request.GET.get("level", "")
        return ctx


class DivisionDetailView(DeclaredPermissionMixin, DetailView):
    required_permission = "directory.view_administrativedivision"
    template_name = "directory/division_detail.html"
    context_object_name = "division"

    def get_object(self, queryset: Any = None) -> Any:
        return selectors.get_division_for(self.request.user, self.kwargs["code"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["children"] = selectors.divisions_for(self.request.user).filter(parent=self.object)
        ctx["organizations"] = selectors.organizations_for(self.request.user).filter(division=self.object)
        return ctx


class OrganizationListView(DeclaredPermissionMixin, ListView):
    required_permission = "directory.view_organization"
    template_name = "directory/organization_list.html"
    context_object_name = "organizations"
    paginate_by = 100

    def get_queryset(self) -> Any:
        qs = selectors.organizations_for(self.request.user)
        kind = self.request.GET.get("kind")
        return qs.filter(kind=kind) if kind in OrganizationKind.values else qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["kinds"] = OrganizationKind.choices
        ctx["current_kind"] = self.request.GET.get("kind", "")
        return ctx


class OrganizationDetailView(DeclaredPermissionMixin, DetailView):
    required_permission = "directory.view_organization"
    template_name = "directory/organization_detail.html"
    context_object_name = "organization"

    def get_object(self, queryset: Any = None) -> Any:
        return selectors.get_organization_for(self.request.user, self.kwargs["pk"])
