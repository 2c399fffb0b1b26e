"""Message lineage: Updates supersede, Cancels withdraw, expired messages drop out.

Source: CAP 1.2 §3.2.1 (``msgType`` Update "supersedes the earlier message(s)
identified in <references>", Cancel "cancels the earlier message(s)"; ``references``
triples ``sender,identifier,sent``) and §3.2.2 (``expires``).

Messages are keyed by ``(sender, identifier)``. The ``sent`` of a reference triple
is **not** used for matching: Chinese CMA messages (GB/T 35965.1 profile) put the
new message's own ``sent`` in the triple, so a mismatch is only noted. Applying the
same message twice changes nothing; a reference to a message not yet seen is
remembered, so out-of-order arrival gives the same result.

Pure, in memory: ``AlertStore`` (incremental) and ``resolve_lineage`` (one shot).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from .model import Alert, parse_cap_datetime

Key = tuple[str, str]


@dataclass(frozen=True)
class Retirement:
    """``key`` was withdrawn (``how`` = ``"superseded"`` or ``"cancelled"``) by message ``by``."""

    key: Key
    by: Key
    how: str
    at: datetime | None


@dataclass(frozen=True)
class LineageSnapshot:
    """State as of a time: active messages (sent order), retirements, and notes on quirks."""

    active: tuple[Alert, ...]
    retired: tuple[Retirement, ...]
    expired: tuple[Alert, ...]
    notes: tuple[str, ...]

    @property
    def active_keys(self) -> list[Key]:
        """(sender, identifier) of the active messages."""
        return [a.key for a in self.active]


def expires_at(alert: Alert) -> datetime | None:
    """When the whole message expires: the latest ``info/expires``.

    Returns ``None`` (no expiry) when there is no info or any info lacks a valid ``expires``.
    """
    times = [parse_cap_datetime(i.expires) for i in alert.infos]
    if not times or any(t is None for t in times):
        return None
    return max(t for t in times if t is not None)


class AlertStore:
    """In-memory lineage of CAP messages. ``apply`` is idempotent.

    Only ``Alert`` and ``Update`` messages can be active; ``Cancel``, ``Ack`` and
    ``Error`` are kept but never listed as active.
    """

    def __init__(self) -> None:
        self._messages: dict[Key, Alert] = {}
        self._order: list[Key] = []
        self._retired: dict[Key, Retirement] = {}
        self._notes: list[str] = []

    def __len__(self) -> int:
        return len(self._messages)

    def __contains__(self, key: object) -> bool:
        return key in self._messages

    def get(self, key: Key) -> Alert | None:
        """The stored message with this (sender, identifier), if any."""
        return self._messages.get(key)

    def apply(self, alert: Alert) -> bool:
        """Add one message and apply its Update/Cancel effects.

        Returns:
            ``True`` if the store changed; ``False`` when a message with the same
            (sender, identifier) was already applied (the second copy is ignored).
        """
        key = alert.key
        if key in self._messages:
            if self._messages[key] != alert:
                self._notes.append(f"{key[0]},{key[1]}: a different message with the same key was ignored")
            return False
        self._messages[key] = alert
        self._order.append(key)
        msg_type = alert.msg_type.strip()
        if msg_type not in ("Update", "Cancel"):
            return True
        how = "superseded" if msg_type == "Update" else "cancelled"
        for ref in alert.references:
            if ref.key == key:
                self._notes.append(f"{key[0]},{key[1]} references itself; ignored")
                continue
            earlier = self._retired.get(ref.key)
            if earlier is None or (how == "cancelled" and earlier.how != "cancelled"):
                self._retired[ref.key] = Retirement(ref.key, key, how, alert.sent_at)
            target = self._messages.get(ref.key)
            if target is not None and target.sent.strip() != ref.sent:
                self._notes.append(
                    f"{key[1]} references {ref.identifier} with sent {ref.sent}, "
                    f"but that message was sent {target.sent.strip()}; matched on sender and identifier"
                )
        # A message referenced before it arrived is retired as soon as it arrives (handled by lookup).
        return True

    def extend(self, alerts: Iterable[Alert]) -> int:
        """Apply several messages in the given order; returns how many changed the store."""
        return sum(self.apply(a) for a in alerts)

    def snapshot(self, as_of: datetime | None = None) -> LineageSnapshot:
        """The state as of ``as_of`` (aware datetime; ``None``: everything applied, no expiry check).

        Messages sent after ``as_of`` are ignored, and so are retirements made by them.
        A message is expired when its latest ``expires`` is at or before ``as_of``.
        """

        def visible(a: Alert) -> bool:
            sent = a.sent_at
            return as_of is None or sent is None or sent <= as_of

        active: list[Alert] = []
        expired: list[Alert] = []
        retired: list[Retirement] = []
        for key in self._order:
            alert = self._messages[key]
            if not visible(alert):
                continue
            ret = self._retired.get(key)
            if ret is not None:
                by = self._messages.get(ret.by)
                if by is not None and visible(by):
                    retired.append(ret)
                    continue
            if alert.msg_type.strip() not in ("Alert", "Update"):
                continue
            end = expires_at(alert)
            if as_of is not None and end is not None and end <= as_of:
                expired.append(alert)
                continue
            active.append(alert)
        active.sort(key=lambda a: (a.sent_at is None, a.sent_at or datetime.min, a.key))
        return LineageSnapshot(tuple(active), tuple(retired), tuple(expired), tuple(self._notes))

    def active(self, as_of: datetime | None = None) -> tuple[Alert, ...]:
        """Shortcut for ``snapshot(as_of).active``."""
        return self.snapshot(as_of).active


def resolve_lineage(alerts: Iterable[Alert], as_of: datetime | None = None) -> LineageSnapshot:
    """Apply a list of parsed messages (any order) and return the state as of ``as_of``.

    Args:
        alerts: parsed messages; duplicates are ignored.
        as_of: aware datetime, or ``None`` for "after everything, ignoring expiry".

    Returns:
        ``LineageSnapshot`` (active messages, retirements, expired messages, notes).
    """
    store = AlertStore()
    store.extend(alerts)
    return store.snapshot(as_of)
