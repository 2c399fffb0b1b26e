"""Prevention pages: enterprises and their hazardous-chemical inventories."""

from __future__ import annotations

from typing import Any

from django.views.generic import ListView

from yingji.apps.core.views import DeclaredPermissionMixin
from yingji.apps.risk import selectors


class EnterpriseInventoryListView(DeclaredPermissionMixin, ListView):
    required_permission = "risk.view_chemicalinventory"
    template_name = "risk/enterprise_list.html"
    context_object_name = "enterprises"

    def get_queryset(self) -> Any:
        return selectors.enterprises_with_inventory_for(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["inventories"] = selectors.inventories_for(self.request.user)
        return ctx
