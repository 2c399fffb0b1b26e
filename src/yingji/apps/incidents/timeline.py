"""Appending to and verifying the hash-chained incident timeline.

``append_entry`` is called by the services inside their transaction, after locking the
incident row, so ``seq`` and ``prev_hash`` are taken from a stable tail.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from yingji.apps.incidents.models import Incident, IncidentLogEntry
from yingji.apps.incidents.models.timeline import GENESIS_HASH


def _json_safe(payload: Any) -> Any:
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False))


def actor_label(actor: Any) -> str:
    """``username`` of an authenticated actor, else ``system``."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        return str(actor.get_username())
    return "system"


def append_entry(
    incident: Incident,
    *,
    kind: str,
    summary: str,
    actor: Any = None,
    at: datetime | None = None,
    payload: dict[str, Any] | None = None,
) -> IncidentLogEntry:
    """Append one entry to ``incident``'s timeline (call inside the service's transaction).

    Args:
        incident: the (locked) incident.
        kind: a ``LogKind`` value.
        summary: one line (≤ 500 characters, cut).
        actor: the acting user, or None for the system (timers).
        at: when it happened (default now).
        payload: JSON-able details (dates/decimals become strings).

    Returns:
        The saved entry, chained to the previous one by ``prev_hash``.
    """
    last = (
        IncidentLogEntry.objects.filter(incident=incident).order_by("-seq").values_list("seq", "hash").first()
    )
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    entry = IncidentLogEntry(
        incident=incident,
        seq=seq,
        kind=kind,
        at=at or now,
        recorded_at=now,
        actor=user,
        actor_label=actor_label(actor),
        summary=summary[:500],
        payload=_json_safe(payload or {}),
        prev_hash=prev,
    )
    entry.hash = entry.compute_hash()
    entry.save()
    return entry


@dataclass(frozen=True)
class ChainCheck:
    """Result of ``verify_chain``: ``ok``, entries checked, and the first broken ``seq`` with why."""

    ok: bool
    checked: int
    broken_seq: int | None = None
    problem: str = ""


def verify_chain(entries: list[IncidentLogEntry]) -> ChainCheck:
    """Check an incident's entries (ordered by ``seq``): each hash recomputes, each links to the previous.

    Detects an edited row (hash mismatch), a removed or reordered row (``prev_hash`` or
    ``seq`` gap). Appending a forged tail with correct hashes is not detected (no
    external anchor); see docs/apps/incidents.md.
    """
    prev = GENESIS_HASH
    expected_seq = 1
    for entry in entries:
        if entry.seq != expected_seq:
            return ChainCheck(False, expected_seq - 1, entry.seq, f"sequence gap: expected {expected_seq}")
        if entry.prev_hash != prev:
            return ChainCheck(False, expected_seq - 1, entry.seq, "previous hash does not match")
        if entry.compute_hash() != entry.hash:
            return ChainCheck(False, expected_seq - 1, entry.seq, "content does not match its hash")
        prev = entry.hash
        expected_seq += 1
    return ChainCheck(True, expected_seq - 1)
