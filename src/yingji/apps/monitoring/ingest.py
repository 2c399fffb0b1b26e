"""Ingest use case: readings → stored → alarm engine → alarm transitions, one transaction per batch.

Every path (MQTT subscriber, HTTP batch API, CSV upload, simulator, benchmark) calls
:func:`ingest_readings`. Built for batches of thousands of readings over thousands of points:
the points are read with one query and validated; within one transaction the batch's
``PointState`` rows are read (PostgreSQL: locked in id order, so concurrent batches never
deadlock; SQLite: the ``BEGIN IMMEDIATE`` write lock), the readings are inserted with
``INSERT ... ON CONFLICT (point, ts) DO NOTHING RETURNING`` (the unique constraint decides what
is new: a redelivered MQTT message or replayed file is a no-op), the pure engine
(``yingji.engines.monitoring.process_rows``) runs once over the new readings from the persisted
states, its events (if any) are applied to alarms (``transitions.Transitions``) and the new
engine states are written back. The caller acknowledges the readings (MQTT PUBACK, HTTP 2xx)
only after this returns, i.e. after commit. :func:`detect_offline` is the time-driven half (the
engine's ``advance``), run every minute by a task. See docs/apps/monitoring.md.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from yingji.apps.monitoring import transitions
from yingji.apps.monitoring.models import Gateway, MonitoringPoint, PointState, Reading
from yingji.apps.monitoring.models.registry import ALARM_CONFIG_FIELDS
from yingji.engines.monitoring import ConfigError, MonitorState, advance, process_rows
from yingji.engines.monitoring import PointState as EnginePointState
from yingji.engines.monitoring.model import LEVEL_NAMES, PointConfig, PointTuple, fresh_tuple

logger = logging.getLogger(__name__)

#: Readings stamped more than this many seconds after the server clock are refused.
MAX_FUTURE_S = 300.0
_CHUNK = 2000  # ids per IN (...) list
_INSERT_CHUNK = 500  # rows per multi-row INSERT (3 parameters each)


class RawReading(NamedTuple):
    """One incoming reading: point code, epoch seconds (UTC), value in the point's unit.

    A named tuple (immutable; built several times faster than a frozen dataclass, and ingest
    builds one per reading).
    """

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
    _tune_sqlite()
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


#: SQLite settings of a connection that ingests (see docs/apps/monitoring.md "Durability"):
#: fsync the WAL at every commit (an acknowledged reading survives power loss, not only a killed
#: process; one fsync per batch), a page cache that holds the hot leaf pages of the readings'
#: (point, ts) index (64 MiB instead of 2), and a WAL checkpoint every 64 MiB instead of 4 (a
#: page rewritten by many commits is copied back once).
_SQLITE_PRAGMAS = (
    "PRAGMA synchronous = FULL",
    "PRAGMA cache_size = -65536",
    "PRAGMA wal_autocheckpoint = 16384",
)


def _tune_sqlite() -> None:
    """Apply ``_SQLITE_PRAGMAS`` to the current SQLite connection unless done (checked each call:
    a reconnect starts from the settings' pragmas). Skipped inside an outer transaction, where
    SQLite refuses to change the safety level."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        if cursor.fetchone()[0] == 2:  # FULL
            return
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)


def _gateway_may_send(gateway: Gateway, point: _Point) -> bool:
    if point.gateway_id is not None:
        return point.gateway_id == gateway.pk
    return point.organization_id == gateway.organization_id


class _Point(NamedTuple):
    """What the hot path needs of a point (full model instances are loaded only for events)."""

    id: int
    code: str
    organization_id: int
    gateway_id: int | None
    config: PointConfig | None  # None: the point's alarm rules are inconsistent


#: (code, alarm-rule column values) → compiled engine configuration (None: ConfigError).
_CONFIGS: dict[tuple[Any, ...], PointConfig | None] = {}
#: point id → (engine-state JSON text last written or read, the engine state it encodes): a row
#: whose text is unchanged (no other writer since) is not decoded again.
_STATES: dict[int, tuple[str, EnginePointState]] = {}
_CACHE_LIMIT = 100_000


def _config(code: str, values: tuple[Any, ...]) -> PointConfig | None:
    key = (code, values)
    try:
        return _CONFIGS[key]
    except KeyError:
        pass
    raw = {k: float(v) for k, v in zip(ALARM_CONFIG_FIELDS, values, strict=True) if v is not None}
    try:
        cfg: PointConfig | None = PointConfig.from_dict(raw, where=code)
    except ConfigError:
        cfg = None
    if len(_CONFIGS) >= _CACHE_LIMIT:
        _CONFIGS.clear()
    _CONFIGS[key] = cfg
    return cfg


def _load_points(codes: set[str]) -> dict[str, _Point]:
    """The points named ``codes`` that exist (one raw query per 2,000 codes: the ORM's ``IN``
    lookup costs several µs per value, and this runs for every batch)."""
    out: dict[str, _Point] = {}
    names = sorted(codes)
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in ("id", "code", "organization_id", "gateway_id", *ALARM_CONFIG_FIELDS))
    table = qn(MonitoringPoint._meta.db_table)
    with connection.cursor() as cursor:
        for i in range(0, len(names), _CHUNK):
            chunk = names[i : i + _CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT {cols} FROM {table} WHERE {qn('code')} IN ({marks})", chunk)  # noqa: S608
            for row in cursor.fetchall():
                pid, code, org_id, gw_id, *cfg = row
                out[code] = _Point(pid, code, org_id, gw_id, _config(code, tuple(cfg)))
    return out


def _validate(
    readings: Sequence[RawReading], points: dict[str, _Point], gateway: Gateway | None, now: datetime
) -> tuple[list[tuple[_Point, float, float]], list[dict[str, Any]]]:
    limit = now.timestamp() + MAX_FUTURE_S
    valid: list[tuple[_Point, float, float]] = []
    rejected: list[dict[str, Any]] = []
    isfinite = math.isfinite
    for index, r in enumerate(readings):
        point = points.get(r.point)
        ts, value = r.ts, r.value
        reason = None
        if point is None:
            reason = "unknown point"
        elif gateway is not None and not _gateway_may_send(gateway, point):
            reason = "point is not bound to this gateway"
        elif not (isinstance(ts, int | float) and isinstance(value, int | float)):
            reason = "ts and value must be numbers"
        elif not (isfinite(ts) and isfinite(value)):
            reason = "ts and value must be finite"
        elif ts > limit:
            reason = "timestamp is in the future"
        elif ts < 0:
            reason = "timestamp before 1970"
        if reason is not None or point is None:
            rejected.append({"index": index, "point": r.point, "reason": reason})
            continue
        valid.append((point, float(ts), float(value)))
    return valid, rejected


#: whole UTC second → its ``YYYY-MM-DD HH:MM:SS`` text (readings of a batch share few seconds).
_SECONDS: dict[int, str] = {}


def sqlite_datetime_text(ts: float) -> str:
    """Epoch seconds → exactly ``str(datetime.fromtimestamp(ts, UTC).replace(tzinfo=None))``,
    the text Django stores in a SQLite ``DateTimeField`` (UTC, microseconds rounded half to
    even as ``fromtimestamp`` does, no fraction when it is 0), at a fraction of the cost.

    ``ts`` must be finite and >= 0.
    """
    sec = int(ts)
    us = round((ts - sec) * 1e6)
    if us >= 1_000_000:
        sec, us = sec + 1, us - 1_000_000
    prefix = _SECONDS.get(sec)
    if prefix is None:
        if len(_SECONDS) >= _CACHE_LIMIT:
            _SECONDS.clear()
        prefix = _SECONDS[sec] = str(datetime.fromtimestamp(sec, tz=UTC).replace(tzinfo=None))
    return f"{prefix}.{us:06d}" if us else prefix


def _db_datetime() -> Callable[[float], Any]:
    """Epoch seconds → the database parameter of a ``DateTimeField`` (as Django would write it).

    The SQLite fast path builds Django's text form directly (:func:`sqlite_datetime_text`).
    """
    if connection.vendor == "sqlite" and settings.USE_TZ and connection.timezone_name == "UTC":
        return sqlite_datetime_text
    adapt = connection.ops.adapt_datetimefield_value
    return lambda ts: adapt(transitions.epoch_to_dt(ts))


@lru_cache(maxsize=16)
def _insert_sql(vendor: str, rows: int) -> str:
    qn = connection.ops.quote_name
    values = ", ".join(["(%s, %s, %s)"] * rows)
    # SQLite gives back the stored text as written (no datetime converter); PostgreSQL the
    # timestamptz, equal to the aware datetime that was sent.
    ts = f"CAST({qn('ts')} AS TEXT)" if vendor == "sqlite" else qn("ts")
    return (
        f"INSERT INTO {qn(Reading._meta.db_table)} ({qn('point_id')}, {qn('ts')}, {qn('value')}) "  # noqa: S608
        f"VALUES {values} ON CONFLICT ({qn('point_id')}, {qn('ts')}) DO NOTHING "
        f"RETURNING {qn('point_id')}, {ts}"
    )


def _insert_new(valid: list[tuple[_Point, float, float]]) -> list[tuple[_Point, float, float, Any]]:
    """Insert the readings not stored yet; returns them, in arrival order, with the ``ts`` as sent
    to the database.

    One multi-row ``INSERT ... ON CONFLICT (point, ts) DO NOTHING RETURNING`` per chunk (SQLite
    >= 3.35 or PostgreSQL): the unique constraint decides what is new, so a redelivered message,
    a replayed file or a reading repeated inside the batch is stored once, and the database
    tells which rows it wrote.
    """
    to_db = _db_datetime()
    sql = _insert_sql(connection.vendor, _INSERT_CHUNK)
    keys: list[tuple[int, Any]] = []
    inserted: set[tuple[int, Any]] = set()
    with connection.cursor() as cursor:
        for i in range(0, len(valid), _INSERT_CHUNK):
            chunk = valid[i : i + _INSERT_CHUNK]
            params: list[Any] = []
            for p, ts, v in chunk:
                key = (p.id, to_db(ts))
                keys.append(key)
                params += (*key, v)
            if len(chunk) < _INSERT_CHUNK:
                sql = _insert_sql(connection.vendor, len(chunk))
            cursor.execute(sql, params)
            inserted.update(map(tuple, cursor.fetchall()))
    fresh = []
    for (p, ts, v), key in zip(valid, keys, strict=True):
        if key in inserted:
            inserted.discard(key)  # a repeat inside the batch is a duplicate
            fresh.append((p, ts, v, key[1]))
    return fresh


def _lock_states(point_ids: list[int]) -> dict[int, list[Any]]:
    """Lock (PostgreSQL: ``FOR UPDATE``, in id order; SQLite: the write transaction already
    serialises writers) and read the points' state rows.

    Returns:
        ``{point id: [engine_state JSON (text or decoded), suppressed, rejected]}``; a missing
        row (a point made outside the services) is created first.
    """
    qn = connection.ops.quote_name
    table = qn(PointState._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    states: dict[int, list[Any]] = {}
    with connection.cursor() as cursor:
        for i in range(0, len(point_ids), _CHUNK):
            chunk = point_ids[i : i + _CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT {qn('point_id')}, {qn('engine_state')}, {qn('suppressed')}, {qn('rejected')} "  # noqa: S608
                f"FROM {table} WHERE {qn('point_id')} IN ({marks}) ORDER BY {qn('point_id')}{lock}",
                chunk,
            )
            for pid, raw, suppressed, rejected in cursor.fetchall():
                states[pid] = [raw, suppressed, rejected]
    for pid in point_ids:
        if pid not in states:
            st = PointState.objects.get_or_create(point_id=pid)[0]
            st = PointState.objects.select_for_update().get(point_id=pid)
            states[pid] = [st.engine_state, st.suppressed, st.rejected]
    return states


def _engine_point_state(pid: int, raw: Any) -> EnginePointState | None:
    """The engine state of a persisted ``engine_state`` value (JSON text or decoded; None: never seen)."""
    if raw is None:
        return None
    if isinstance(raw, str):
        cached = _STATES.get(pid)
        if cached is not None and cached[0] == raw:
            return cached[1]
        decoded = json.loads(raw)
        if decoded is None:
            return None
        ps = EnginePointState.from_dict(decoded)
        _remember(pid, raw, ps)
        return ps
    return EnginePointState.from_dict(raw)


def _remember(pid: int, text: str, ps: EnginePointState) -> None:
    if len(_STATES) >= _CACHE_LIMIT:
        _STATES.clear()
    _STATES[pid] = (text, ps)


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
    points = _load_points({r.point for r in readings if isinstance(r.point, str)})
    valid, result.rejected = _validate(readings, points, gateway, now)
    with transaction.atomic():
        point_ids = sorted({p.id for p, _, _ in valid})
        states = _lock_states(point_ids)
        fresh = _insert_new(valid) if valid else []
        result.stored = len(fresh)
        result.duplicates = len(valid) - len(fresh)
        if evaluate and fresh:
            _evaluate(fresh, states, result, now=now)
        _touch_gateways(valid, gateway, now)
    return result


def _touch_gateways(valid: list[tuple[_Point, float, float]], gateway: Gateway | None, now: datetime) -> None:
    """Set ``last_seen_at = now`` on the gateways that reported in this batch: the authenticated
    one (HTTP) and the gateway of every accepted reading's point (MQTT, CSV, simulator carry no
    gateway identity of their own). One UPDATE per batch, whatever the number of readings."""
    ids = {p.gateway_id for p, _, _ in valid if p.gateway_id is not None}
    if gateway is not None:
        ids.add(gateway.pk)
    if ids:
        Gateway.objects.filter(pk__in=sorted(ids)).update(last_seen_at=now)


class _Runtime:
    """Per-point counters the alarm transitions read and update (see ``transitions.PointRuntime``)."""

    __slots__ = ("offline", "suppressed")

    def __init__(self, offline: bool, suppressed: int) -> None:
        self.offline = offline
        self.suppressed = suppressed


def _evaluate(
    fresh: list[tuple[_Point, float, float, Any]],
    states: dict[int, list[Any]],
    result: IngestResult,
    *,
    now: datetime,
) -> None:
    """Run the engine once over the batch's new readings (arrival order) from the persisted
    states, apply its events to alarms, and write back the states that changed."""
    configs: dict[str, PointConfig] = {}
    tuples: dict[str, PointTuple] = {}
    by_code: dict[str, _Point] = {}
    rows: list[tuple[float, str, float]] = []
    last_db: dict[str, tuple[float, Any]] = {}  # code → (ts, its database form) of the last reading
    for point, ts, value, db_ts in fresh:
        code = point.code
        last_db[code] = (ts, db_ts)
        if code not in by_code:
            by_code[code] = point
            cfg = point.config
            if cfg is None:
                logger.error(
                    "point %s has an invalid alarm configuration; readings stored, not evaluated", code
                )
                continue
            ps = _engine_point_state(point.id, states[point.id][0])
            configs[code] = cfg
            tuples[code] = fresh_tuple(cfg) if ps is None else ps.as_tuple(cfg)
        elif code not in configs:
            continue
        rows.append((ts, code, value))
    if not configs:
        return
    new, events = process_rows(MonitorState(configs, tuples, 0), rows)
    rejected_by_code: dict[str, int] = {}
    if new.rejected:  # rare (out-of-order readings): attribute them to their points
        per_point: dict[str, list[tuple[float, str, float]]] = {}
        for row in rows:
            per_point.setdefault(row[1], []).append(row)
        for code, point_rows in per_point.items():
            only = MonitorState({code: configs[code]}, {code: tuples[code]}, 0)
            n = process_rows(only, point_rows)[0].rejected
            if n:
                rejected_by_code[code] = n
        result.out_of_order += new.rejected
    if events:
        _apply_events(events, rows, by_code, states, result, now=now)
    _save_states(
        [(by_code[code], new.points[code], rejected_by_code.get(code, 0)) for code in configs],
        states,
        last_db,
        now=now,
    )


def _apply_events(
    events: list[Any],
    rows: list[tuple[float, str, float]],
    by_code: dict[str, _Point],
    states: dict[int, list[Any]],
    result: IngestResult,
    *,
    now: datetime,
) -> None:
    """Alarm transitions of the batch's engine events, in event order (full point rows loaded once)."""
    codes = {e.point for e in events}
    instances = MonitoringPoint.objects.select_related("organization__division").in_bulk(
        [by_code[c].id for c in codes]
    )
    values = {(code, ts): v for ts, code, v in rows if code in codes}
    batch = transitions.Transitions(
        instances.values(), now=now, since=transitions.epoch_to_dt(min(e.ts for e in events))
    )
    runtime: dict[str, _Runtime] = {}
    for event in events:
        point = by_code[event.point]
        rt = runtime.get(event.point)
        if rt is None:
            ps = _engine_point_state(point.id, states[point.id][0])
            rt = runtime[event.point] = _Runtime(bool(ps and ps.offline), states[point.id][1])
        outcome = batch.apply(instances[point.id], rt, event, value=values.get((event.point, event.ts)))
        result.alarms_opened += outcome == "opened"
    batch.finish()
    for code, rt in runtime.items():
        states[by_code[code].id][1] = rt.suppressed
    result.events += len(events)


def _save_states(
    changed: list[tuple[_Point, PointTuple, int]],
    states: dict[int, list[Any]],
    last_db: dict[str, tuple[float, Any]],
    *,
    now: datetime,
) -> None:
    """Write the engine-state columns of the evaluated points with one prepared UPDATE
    (``executemany``); Django's ``bulk_update`` builds a CASE expression per field and row.

    ``changed``: ``(point, new engine tuple, out-of-order readings to add)``; ``last_db``: the
    database form of each point's last reading ts, reused for ``last_ts`` when it is the same.
    """
    ops = connection.ops
    qn = ops.quote_name
    fields = [*_STATE_FIELDS, "updated_at"]
    columns = ", ".join(f"{qn(f)} = %s" for f in fields)  # field names are the column names
    sql = f"UPDATE {qn(PointState._meta.db_table)} SET {columns} WHERE {qn('point_id')} = %s"  # noqa: S608
    to_db = _db_datetime()
    stamp = ops.adapt_datetimefield_value(now)
    params = []
    for point, t, rejected in changed:
        last_ts = t[2]
        known = last_db.get(point.code)
        if last_ts is None:
            db_last = None
        elif known is not None and known[0] == last_ts:
            db_last = known[1]
        else:
            db_last = to_db(last_ts)
        ps = EnginePointState.from_tuple(t)
        text = json.dumps(ps.to_dict())
        _remember(point.id, text, ps)
        row = states[point.id]
        row[0], row[2] = text, row[2] + rejected
        params.append(
            [
                text,
                LEVEL_NAMES[t[1]],
                db_last,
                t[3],
                t[4],
                t[5],
                row[1],
                row[2],
                stamp,
                point.id,
            ]
        )
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


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
