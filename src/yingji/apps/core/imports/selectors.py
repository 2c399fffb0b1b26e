"""Reads of import jobs, always through the per-user restriction.

A job belongs to its uploader (``ImportJob.restrict_owner_field``): ``restrict`` gives a
user who is not unrestricted (admin at county level) only the jobs they uploaded,
whatever their grant's scope (county, township or one enterprise), since a file may
hold data of anyone.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from yingji.apps.core.imports.models import ImportJob


def jobs_for(user: Any) -> QuerySet[ImportJob]:
    """Import jobs ``user`` may see, newest first (uploader and importer preloaded)."""
    return ImportJob.objects.restrict(user, "view").select_related("created_by", "imported_by")


def get_job_for(user: Any, pk: int) -> ImportJob:
    """One job visible to ``user`` with its preview; ``Http404`` otherwise."""
    return get_object_or_404(jobs_for(user).select_related("preview"), pk=pk)
