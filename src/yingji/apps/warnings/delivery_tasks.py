"""Huey tasks of dissemination (imported by ``services`` to queue fan-out after a release)."""

from __future__ import annotations

from django.db import transaction
from huey.contrib.djhuey import db_task

from yingji.apps.warnings import dissemination
from yingji.apps.warnings.models import Dispatch, Warning, WarningState


@db_task()
def fan_out_warning_task(warning_id: int) -> dict[str, int]:
    """Queue the deliveries of a released warning, then queue sending per channel (idempotent)."""
    with transaction.atomic():
        warning = Warning.objects.select_for_update().filter(pk=warning_id).first()
        if warning is None or warning.state == WarningState.DRAFT or not warning.cap_xml:
            return {}
    counts = dissemination.fan_out(warning)
    for dispatch_id in Dispatch.objects.filter(warning_id=warning_id).values_list("id", flat=True):
        send_dispatch_task(dispatch_id)
    return counts


@db_task()
def send_dispatch_task(dispatch_id: int) -> dict[str, int]:
    """Send the queued deliveries of one dispatch (does nothing when none are queued)."""
    dispatch = Dispatch.objects.filter(pk=dispatch_id).first()
    if dispatch is None:
        return {}
    return dissemination.send_dispatch(dispatch)
