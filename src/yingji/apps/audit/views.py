"""Read-only audit pages."""

from __future__ import annotations

from typing import Any

from django.views.generic import DetailView, ListView

from yingji.apps.audit import selectors
from yingji.apps.core.views import DeclaredPermissionMixin


class ChangeRecordListView(DeclaredPermissionMixin, ListView):
    required_permission = "audit.view_changerecord"
    template_name = "audit/change_list.html"
    context_object_name = "records"
    paginate_by = 50

    def get_queryset(self) -> Any:
        g = self.request.GET
        return selectors.change_records_for(
            self.request.user,
            app_label=g.get("app", ""),
            model_name=g.get("model", ""),
            object_id=g.get("object", ""),
        )


class ChangeRecordDetailView(DeclaredPermissionMixin, DetailView):
    required_permission = "audit.view_changerecord"
    template_name = "audit/change_detail.html"
    context_object_name = "record"

    def get_object(self, queryset: Any = None) -> Any:
        return selectors.get_change_record_for(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        rec = self.object
        before, after = rec.before or {}, rec.after or {}
        ctx["diff"] = [
            {
                "field": k,
                "before": before.get(k),
                "after": after.get(k),
                "changed": before.get(k) != after.get(k),
            }
            for k in sorted(set(before) | set(after))
        ]
        return ctx
