"""Resource registry pages (read-only lists; editing arrives with the resources issue)."""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from yingji.apps.core.views import DeclaredPermissionMixin
from yingji.apps.resources import selectors


class ResourceIndexView(DeclaredPermissionMixin, TemplateView):
    required_permission = "resources.view_depot"
    template_name = "resources/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["depots"] = selectors.depots_for(user)
        ctx["teams"] = selectors.rescue_teams_for(user)
        ctx["experts"] = selectors.experts_for(user)
        ctx["shelters"] = selectors.shelters_for(user)
        return ctx
