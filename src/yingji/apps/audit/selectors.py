"""Reads of the audit trail, always through the per-user restriction."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from yingji.apps.audit.models import ChangeRecord


def change_records_for(
    user: Any, *, app_label: str = "", model_name: str = "", object_id: str = ""
) -> QuerySet:
    """Change records ``user`` may read, newest first, optionally filtered."""
    qs = ChangeRecord.objects.restrict(user, "view").select_related("actor")
    if app_label:
        qs = qs.filter(app_label=app_label)
    if model_name:
        qs = qs.filter(model_name=model_name)
    if object_id:
        qs = qs.filter(object_id=object_id)
    return qs


def get_change_record_for(user: Any, pk: int) -> ChangeRecord:
    """One change record ``user`` may read; raises ``Http404`` otherwise."""
    return get_object_or_404(change_records_for(user), pk=pk)
