"""Reads of import jobs, always through the per-user restriction.

Jobs are county-wide records (``core.view_importjob``); on top of that, a user who is
not unrestricted (admin at county level) sees only the jobs they uploaded, since a
file may hold data of any township.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from yingji.apps.core.imports.models import ImportJob
from yingji.apps.core.imports.services import VIEW_PERMISSION


def jobs_for(user: Any) -> QuerySet[ImportJob]:
    """Import jobs ``user`` may see, newest first (uploader and importer preloaded)."""
    qs = ImportJob.objects.restrict(user, "view").select_related("created_by", "imported_by")
    scopes_of = getattr(user, "permission_scopes", None)
    if scopes_of is not None and scopes_of(VIEW_PERMISSION) is not None:
        qs = qs.filter(created_by=user)
    return qs


def get_job_for(user: Any, pk: int) -> ImportJob:
    """One job visible to ``user`` with its preview; ``Http404`` otherwise."""
    return get_object_or_404(jobs_for(user).select_related("preview"), pk=pk)
