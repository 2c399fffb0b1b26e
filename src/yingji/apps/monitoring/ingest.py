"""Ingest use case: readings → stored → alarm engine → alarm transitions, one transaction per batch.

Every path (MQTT subscriber, HTTP batch API, CSV upload, simulator, benchmark) calls
:func:`ingest_readings`. Within one transaction it locks the ``PointState`` rows of the
batch's points (ordered by id, so concurrent batches never deadlock), drops readings already
stored (unique ``(point, ts)``: a redelivered MQTT message or replayed file is a no-op), stores
the new ones, runs the pure engine (``yingji.engines.monitoring.process_rows``) from the
persisted state, applies the resulting events to alarms (``transitions``) and saves the new
engine state. The caller acknowledges the readings (MQTT PUBACK, HTTP 2xx) only after this
returns, i.e. after commit. :func:`detect_offline` is the time-driven half (the engine's
``advance``), run every minute by a task.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from yingji.apps.monitoring import transitions
from yingji.apps.monitoring.models import Gateway, MonitoringPoint, PointState, Reading
from yingji.engines.monitoring import ConfigError, MonitorState, advance, process_rows
from yingji.engines.monitoring import PointState as EnginePointState
from yingji.engines.monitoring.model import LEVEL_NAMES, PointConfig, PointTuple, fresh_tuple

logger = logging.getLogger(__name__)

#: Readings stamped more than this many seconds after the server clock are refused.
MAX_FUTURE_S = 300.0
_CHUNK = 400


@dataclass(frozen=True, slots=True)
class RawReading:
    """One incoming reading: point code, epoch seconds (UTC), value in the point's unit."""

    point: str
    ts: float
    value: float


@dataclass
class IngestResult:
    """What one batch did.

    Attributes:
        received: readings in the batch.
        stored: new readings written.
        duplicates: readings already stored (or repeated in the batch), skipped.
        rejected: ``[{"index", "point", "reason"}]`` readings refused (unknown point, point
            of another gateway, non-finite number, too far in the future); not stored.
        out_of_order: stored readings the engine did not evaluate (older than the point's last).
        events: engine events produced. alarms_opened: new ``Alarm`` rows.
    """

    received: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    out_of_order: int = 0
    events: int = 0
    alarms_opened: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of the counters."""
        return asdict(self)


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "locked" in text or "deadlock" in text or "could not serialize" in text


def ingest_readings(
    readings: Sequence[RawReading],
    *,
    gateway: Gateway | None = None,
    evaluate: bool = True,
    now: datetime | None = None,
    attempts: int = 8,
) -> IngestResult:
    """Store a batch of readings and run the alarm rules, all in one transaction.

    Args:
        readings: in arrival order (the engine's order for each point).
        gateway: the authenticated gateway (HTTP API); its points only. None for MQTT (the
            broker's ACL authenticates publishers), CSV upload and the simulator.
        evaluate: False stores history without running the engine (CSV backfill).
        now: wall-clock time for timers and the future check (default: now).
        attempts: retries when the database reports a lock conflict or a concurrent
            transaction opened the same alarm first (constraint violation).

    Returns:
        :class:`IngestResult`.

    Raises:
        OperationalError / IntegrityError: still failing after ``attempts`` tries (nothing
            of the batch is stored; the caller must not acknowledge it).
    """
    for attempt in range(attempts):
        try:
            return _ingest_once(readings, gateway=gateway, evaluate=evaluate, now=now or timezone.now())
        except OperationalError as exc:
            if not _is_lock_error(exc) or attempt == attempts - 1:
                raise
            logger.info("ingest: lock conflict, retrying (%s)", exc)
        except IntegrityError:
            if attempt == attempts - 1:
                raise
            logger.info("ingest: concurrent write of the same point, retrying")
        time.sleep(0.02 * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


def _gateway_may_send(gateway: Gateway, point: MonitoringPoint) -> bool:
    if point.gateway_id is not None:
        return point.gateway_id == gateway.pk
    return point.organization_id == gateway.organization_id


def _validate(
    readings: Sequence[RawReading], points: dict[str, MonitoringPoint], gateway: Gateway | None, now: datetime
) -> tuple[list[tuple[MonitoringPoint, datetime, float]], list[dict[str, Any]]]:
    limit = now.timestamp() + MAX_FUTURE_S
    valid: list[tuple[MonitoringPoint, datetime, float]] = []
    rejected: list[dict[str, Any]] = []
    for index, r in enumerate(readings):
        point = points.get(r.point)
        reason = None
        if point is None:
            reason = "unknown point"
        elif gateway is not None and not _gateway_may_send(gateway, point):
            reason = "point is not bound to this gateway"
        elif not (isinstance(r.ts, int | float) and isinstance(r.value, int | float)):
            reason = "ts and value must be numbers"
        elif not (math.isfinite(r.ts) and math.isfinite(r.value)):
            reason = "ts and value must be finite"
        elif r.ts > limit:
            reason = "timestamp is in the future"
        elif r.ts < 0:
            reason = "timestamp before 1970"
        if reason is not None or point is None:
            rejected.append({"index": index, "point": r.point, "reason": reason})
            continue
        valid.append((point, transitions.epoch_to_dt(float(r.ts)), float(r.value)))
    return valid, rejected


def _existing(valid: list[tuple[MonitoringPoint, datetime, float]]) -> set[tuple[int, datetime]]:
    ids = sorted({p.pk for p, _, _ in valid})
    stamps = sorted({ts for _, ts, _ in valid})
    found: set[tuple[int, datetime]] = set()
    for i in range(0, len(stamps), _CHUNK):
        chunk = stamps[i : i + _CHUNK]
        found.update(Reading.objects.filter(point_id__in=ids, ts__in=chunk).values_list("point_id", "ts"))
    return found


def _lock_states(point_ids: list[int]) -> dict[int, PointState]:
    states = {
        s.point_id: s
        for s in PointState.objects.select_for_update().filter(point_id__in=point_ids).order_by("point_id")
    }
    for pid in point_ids:
        if pid not in states:  # created with the point; this covers points made outside the services
            PointState.objects.get_or_create(point_id=pid)
            states[pid] = PointState.objects.select_for_update().get(point_id=pid)
    return states


def engine_tuple(state: PointState, cfg: PointConfig) -> PointTuple:
    """The engine's runtime tuple of a point from its persisted state (fresh if none)."""
    if not state.engine_state:
        return fresh_tuple(cfg)
    return EnginePointState.from_dict(state.engine_state).as_tuple(cfg)


def store_engine_state(state: PointState, ps: EnginePointState) -> None:
    """Copy the engine's point state into the row (JSON plus the mirrored columns); not saved."""
    state.engine_state = ps.to_dict()
    state.level = LEVEL_NAMES[ps.level]
    state.last_ts = None if ps.last_ts is None else transitions.epoch_to_dt(ps.last_ts)
    state.last_value = ps.last_value
    state.offline = ps.offline
    state.roc_active = ps.roc_active


_STATE_FIELDS = [
    "engine_state",
    "level",
    "last_ts",
    "last_value",
    "offline",
    "roc_active",
    "suppressed",
    "rejected",
]


def _ingest_once(
    readings: Sequence[RawReading], *, gateway: Gateway | None, evaluate: bool, now: datetime
) -> IngestResult:
    result = IngestResult(received=len(readings))
    codes = {r.point for r in readings if isinstance(r.point, str)}
    points = {
        p.code: p for p in MonitoringPoint.objects.filter(code__in=codes).select_related("organization")
    }
    valid, result.rejected = _validate(readings, points, gateway, now)
    with transaction.atomic():
        point_ids = sorted({p.pk for p, _, _ in valid})
        states = _lock_states(point_ids)
        existing = _existing(valid) if valid else set()
        fresh: list[tuple[MonitoringPoint, datetime, float]] = []
        for point, ts, value in valid:
            key = (point.pk, ts)
            if key in existing:
                result.duplicates += 1
                continue
            existing.add(key)
            fresh.append((point, ts, value))
        Reading.objects.bulk_create([Reading(point=p, ts=ts, value=v) for p, ts, v in fresh], batch_size=1000)
        result.stored = len(fresh)
        if evaluate and fresh:
            _evaluate(fresh, states, result, now=now)
            _save_states([states[pid] for pid in point_ids], now=now)
        if gateway is not None:
            Gateway.objects.filter(pk=gateway.pk).update(last_seen_at=now)
    return result


def _save_states(states: list[PointState], *, now: datetime) -> None:
    """Write the engine-state columns of ``states`` with one prepared UPDATE (``executemany``).

    Django's ``bulk_update`` builds a CASE expression per field and row, which costs ~10 ms per
    row here; this is the hot path of every batch.
    """
    ops = connection.ops
    table = PointState._meta.db_table
    fields = [*_STATE_FIELDS, "updated_at"]
    columns = ", ".join(f"{ops.quote_name(f)} = %s" for f in fields)  # field names are the column names
    sql = f"UPDATE {ops.quote_name(table)} SET {columns} WHERE {ops.quote_name('point_id')} = %s"  # noqa: S608
    rows = []
    for st in states:
        st.updated_at = now
        rows.append(
            [
                json.dumps(st.engine_state) if st.engine_state is not None else None,
                st.level,
                ops.adapt_datetimefield_value(st.last_ts),
                st.last_value,
                st.offline,
                st.roc_active,
                st.suppressed,
                st.rejected,
                ops.adapt_datetimefield_value(now),
                st.point_id,
            ]
        )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _evaluate(
    fresh: list[tuple[MonitoringPoint, datetime, float]],
    states: dict[int, PointState],
    result: IngestResult,
    *,
    now: datetime,
) -> None:
    by_point: dict[int, list[tuple[float, float]]] = {}
    point_of: dict[int, MonitoringPoint] = {}
    for point, ts, value in fresh:
        by_point.setdefault(point.pk, []).append((ts.timestamp(), value))
        point_of[point.pk] = point
    for pid, rows in by_point.items():
        point, state = point_of[pid], states[pid]
        try:
            cfg = point.engine_config()
        except ConfigError:
            logger.error(
                "point %s has an invalid alarm configuration; readings stored, not evaluated", point.code
            )
            continue
        mstate = MonitorState({point.code: cfg}, {point.code: engine_tuple(state, cfg)}, 0)
        new, events = process_rows(mstate, ((t, point.code, v) for t, v in rows))
        values = dict(rows)
        for event in events:
            outcome = transitions.apply_event(point, state, event, value=values.get(event.ts), now=now)
            result.alarms_opened += outcome == "opened"
        result.events += len(events)
        result.out_of_order += new.rejected
        state.rejected += new.rejected
        store_engine_state(state, new.point_state(point.code))


def detect_offline(*, now: datetime | None = None) -> int:
    """Declare offline every point silent for at least its ``offline_s`` (engine ``advance``).

    One short transaction per point, under its ``PointState`` lock; a point that received a
    reading meanwhile is left alone (re-checked under the lock). Idempotent.

    Returns:
        Number of points declared offline.
    """
    now = now or timezone.now()
    until = now.timestamp()
    candidates = [
        pid
        for pid, last_ts, offline_s in PointState.objects.filter(
            offline=False, last_ts__isnull=False, point__offline_s__isnull=False
        ).values_list("point_id", "last_ts", "point__offline_s")
        if until - last_ts.timestamp() >= offline_s
    ]
    count = 0
    for pid in candidates:
        with transaction.atomic():
            state = (
                PointState.objects.select_for_update(of=("self",))
                .select_related("point__organization__division")
                .get(point_id=pid)
            )
            point = state.point
            try:
                cfg = point.engine_config()
            except ConfigError:
                continue
            mstate = MonitorState({point.code: cfg}, {point.code: engine_tuple(state, cfg)}, 0)
            new, events = advance(mstate, until)
            if not events:
                continue
            for event in events:
                transitions.apply_event(point, state, event, value=None, now=now)
            store_engine_state(state, new.point_state(point.code))
            state.save(update_fields=[*_STATE_FIELDS, "updated_at"])
            count += 1
    return count
