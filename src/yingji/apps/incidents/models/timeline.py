"""The incident timeline (事件时间线): append-only, hash-chained log of everything that happened."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager


class LogKind(models.TextChoices):
    INTAKE = "intake", _("接报")
    UPDATE = "update", _("续报信息")
    MERGE = "merge", _("合并重复接报")
    GRADE_CHANGE = "grade_change", _("定级")
    REPORT_DRAFTED = "report_drafted", _("起草报告")
    REPORT_EDITED = "report_edited", _("修改报告")
    REPORT_SENT = "report_sent", _("报送报告")
    INSTRUCTION = "instruction", _("批示")
    CALL = "call", _("电话")
    DISPATCH = "dispatch", _("调度")
    NOTE = "note", _("备注")
    DEADLINE_MISSED = "deadline_missed", _("报告超时")
    ESCALATION = "escalation", _("超时提醒")
    CLOSED = "closed", _("办结")


#: Kinds an officer may add by hand (the others are written by the services).
MANUAL_KINDS = (LogKind.INSTRUCTION, LogKind.CALL, LogKind.DISPATCH, LogKind.NOTE)

GENESIS_HASH = "0" * 64


class TimelineTampered(Exception):
    """An append-only timeline row was about to be changed or deleted."""


def entry_hash(
    *,
    incident_id: int,
    seq: int,
    kind: str,
    at: datetime,
    recorded_at: datetime,
    actor_label: str,
    summary: str,
    payload: Any,
    prev_hash: str,
) -> str:
    """SHA-256 (hex) of the canonical JSON of an entry's content and the previous entry's hash.

    Times are normalised to UTC ISO 8601 so the hash survives a database round trip.
    """
    canonical = json.dumps(
        {
            "incident": incident_id,
            "seq": seq,
            "kind": kind,
            "at": at.astimezone(UTC).isoformat(),
            "recorded_at": recorded_at.astimezone(UTC).isoformat(),
            "actor": actor_label,
            "summary": summary,
            "payload": payload,
            "prev": prev_hash,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class IncidentLogEntry(models.Model):
    """One timeline entry: a report, update, grade change, instruction (批示), call or dispatch.

    Append-only: ``save`` refuses to change an existing row and ``delete`` refuses.
    ``hash`` covers the entry's content and ``prev_hash`` (the previous entry's hash,
    64 zeros for the first), so editing or removing a row in the database breaks the
    chain (``timeline.verify_chain``). ``at`` is when it happened, ``recorded_at`` when
    it was written.
    """

    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="timeline")
    seq = models.PositiveIntegerField(_("序号"))
    kind = models.CharField(_("类型"), max_length=24, choices=LogKind.choices)
    at = models.DateTimeField(_("时间"))
    recorded_at = models.DateTimeField(_("记录时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("操作人"), max_length=150)
    summary = models.CharField(_("摘要"), max_length=500)
    payload = models.JSONField(_("详情"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    restrict_division_field = "incident__division"
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("事件时间线")
        verbose_name_plural = _("事件时间线")
        ordering = ["incident", "seq"]
        constraints = [models.UniqueConstraint(fields=["incident", "seq"], name="timeline_incident_seq")]

    def __str__(self) -> str:
        return f"{self.incident_id}#{self.seq} {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only. Raises ``TimelineTampered`` for an existing row."""
        if not self._state.adding:
            raise TimelineTampered("timeline entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        """Always raises ``TimelineTampered``."""
        raise TimelineTampered("timeline entries are append-only")

    def compute_hash(self) -> str:
        """The hash this entry should carry given its content and ``prev_hash``."""
        return entry_hash(
            incident_id=self.incident_id,
            seq=self.seq,
            kind=self.kind,
            at=self.at,
            recorded_at=self.recorded_at,
            actor_label=self.actor_label,
            summary=self.summary,
            payload=self.payload,
            prev_hash=self.prev_hash,
        )
