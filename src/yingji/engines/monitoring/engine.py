"""Scalar alarm state machine: ``process(state, samples) -> (new_state, events)``.

Implements the rule contract of ``docs/engines/monitoring.md`` (limits HH/H/L/LL with
deadband, on/off delays, offline detection, out-of-order rejection, rate of change) one
sample at a time, in arrival order. The same per-sample step (:func:`step`) is used by the
vectorised path in :mod:`yingji.engines.monitoring.vectorised`, which only calls it on the
samples that can change the state, so both paths give identical events.

Source: the project's monitoring rule contract (alarm handling in the spirit of
ISA-18.2 / IEC 62682 "alarm deadband" and "on/off-delay"; the rules here are the contract,
not a transcription of those standards).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from yingji.engines.monitoring.model import (
    LEVEL_NAMES,
    ROC,
    AlarmEvent,
    MonitorState,
    PointConfig,
    PointTuple,
    Sample,
)
from yingji.engines.monitoring.pointmap import PointMap

_NAMES = LEVEL_NAMES
_INF = float("inf")


def _level_event(point: str, ts: float, old: int, new: int) -> AlarmEvent:
    if old == 0:
        kind = "raise"
    elif new == 0:
        kind = "clear"
    elif abs(new) > abs(old):
        kind = "escalate"
    else:
        kind = "deescalate"
    return AlarmEvent(point, ts, kind, _NAMES[old], _NAMES[new])  # type: ignore[arg-type]


def step(point: str, s: PointTuple, ts: float, v: float, out: list[AlarmEvent]) -> PointTuple | None:
    """Apply one sample to the state ``s`` of ``point``; append its events to ``out``.

    Args:
        point: point id (copied into events).
        s: the point's :data:`PointTuple` before the sample (carries its compiled config).
        ts: epoch seconds; v: value in the point's unit (both finite).
        out: list receiving the events, in the order offline, online, leave, enter, roc.

    Returns:
        The new :data:`PointTuple`, or ``None`` when the sample is rejected (older than the last
        accepted one, or, for a point declared offline by :func:`advance`, older than the end of
        the silence).
    """
    c, level, last, last_v, offline, roc_on, sH, sHH, sL, sLL, lH, lHH, lL, lLL = s
    hh, h, lo, ll, hh_lo, h_lo, l_hi, ll_hi, on, off, offline_s, roc, _q_lo, _q_hi = c
    fresh = False
    if last is not None:
        if ts < last:
            return None
        if offline:
            if ts - last < offline_s:
                return None
            offline = False
            out.append(AlarmEvent(point, ts, "online", None, None))
            fresh = True
        elif ts - last >= offline_s:
            out.append(AlarmEvent(point, last + offline_s, "offline", None, None))
            out.append(AlarmEvent(point, ts, "online", None, None))
            fresh = True
        if fresh:  # pending delay timers restart after an offline period
            sH = sHH = sL = sLL = lH = lHH = lL = lLL = None

    # Runs of "raw state at least as severe as X" and of "leave condition of X holds".
    sH = (ts if sH is None else sH) if v >= h else None
    sHH = (ts if sHH is None else sHH) if v >= hh else None
    sL = (ts if sL is None else sL) if v <= lo else None
    sLL = (ts if sLL is None else sLL) if v <= ll else None
    lH = (ts if lH is None else lH) if v < h_lo else None
    lHH = (ts if lHH is None else lHH) if v < hh_lo else None
    lL = (ts if lL is None else lL) if v > l_hi else None
    lLL = (ts if lLL is None else lLL) if v > ll_hi else None

    # Leave rule.
    if level != 0:
        start = lH if level == 1 else lHH if level == 2 else lL if level == -1 else lLL
        if start is not None and ts - start >= off:
            if level == 2:
                new = 1 if v >= h_lo else 0
            elif level == -2:
                new = -1 if v <= l_hi else 0
            else:
                new = 0
            out.append(_level_event(point, ts, level, new))
            level = new
    # Enter rule: most severe qualifying level; escalation within a side; no cross-side entry.
    new = level
    if v >= h or v >= hh:  # raw state on the high side
        if level >= 0:
            if level < 2 and sHH is not None and ts - sHH >= on:
                new = 2
            elif level == 0 and sH is not None and ts - sH >= on:
                new = 1
    elif (v <= lo or v <= ll) and level <= 0:  # raw state on the low side
        if level > -2 and sLL is not None and ts - sLL >= on:
            new = -2
        elif level == 0 and sL is not None and ts - sL >= on:
            new = -1
    if new != level:
        out.append(_level_event(point, ts, level, new))
        level = new

    # Rate of change (its own raise/clear, no delay): needs a previous sample, not across an
    # offline period, and a positive time step.
    if roc != _INF and not fresh and last is not None and ts > last:
        exceed = abs(v - last_v) / (ts - last) > roc  # type: ignore[operator]
        if exceed != roc_on:
            roc_on = exceed
            out.append(AlarmEvent(point, ts, "roc", "N" if exceed else ROC, ROC if exceed else "N"))
    return (c, level, ts, v, offline, roc_on, sH, sHH, sL, sLL, lH, lHH, lL, lLL)


def process_rows(
    state: MonitorState, rows: Iterable[tuple[float, str, float]]
) -> tuple[MonitorState, list[AlarmEvent]]:
    """Process ``(ts, point, value)`` rows in arrival order; see :func:`process`.

    Cost O(len(rows)), independent of the number of configured points: the new state's map is
    derived from ``state.points`` by :meth:`~yingji.engines.monitoring.pointmap.PointMap.evolve`.
    A reading of a point at level N whose value lies in the quiet zone (no raw alarm state,
    every leave condition met), not ending an offline period and not flipping the ROC verdict,
    takes an inlined fast path that builds exactly the tuple :func:`step` would build; every
    other reading goes through :func:`step`.

    Raises:
        KeyError: a row names a point absent from ``state.configs``.
        ValueError: a timestamp or value is not a finite number.
    """
    base = state.points
    if not isinstance(base, PointMap):  # pragma: no cover - MonitorState always stores a PointMap
        base = PointMap(base)
    changes: dict[str, PointTuple] = {}
    out: list[AlarmEvent] = []
    rejected = 0
    inf = _INF
    with base.reading() as data:
        for ts, point, v in rows:
            s = changes.get(point)
            if s is None:
                s = data.get(point)
                if s is None:
                    raise KeyError(f"unknown point {point!r}")
            if not (ts - ts == 0.0 and v - v == 0.0):  # NaN or infinity
                raise ValueError(f"point {point!r}: non-finite sample ts={ts!r} value={v!r}")
            c, level, last, last_v, offline, roc_on, _sH, _sHH, _sL, _sLL, lH, lHH, lL, lLL = s
            if (
                level == 0
                and not offline
                and last is not None
                and c[12] < v < c[13]
                and last <= ts
                and ts - last < c[10]
            ):
                # Quiet fast path (see docstring): same tuple as step(), no event.
                roc = c[11]
                if roc != inf and ts > last and (abs(v - last_v) / (ts - last) > roc) != roc_on:  # type: ignore[operator]
                    new = step(point, s, ts, v, out)
                else:
                    new = (
                        c,
                        0,
                        ts,
                        v,
                        False,
                        roc_on,
                        None,
                        None,
                        None,
                        None,
                        ts if lH is None else lH,
                        ts if lHH is None else lHH,
                        ts if lL is None else lL,
                        ts if lLL is None else lLL,
                    )
            else:
                new = step(point, s, ts, v, out)
            if new is None:
                rejected += 1
            else:
                changes[point] = new
    return MonitorState(state.configs, base.evolve(changes), state.rejected + rejected), out


def process(state: MonitorState, samples: Iterable[Sample]) -> tuple[MonitorState, list[AlarmEvent]]:
    """Run the alarm rules over ``samples`` (arrival order) starting from ``state``.

    Pure: ``state`` is not modified. Splitting a stream into several calls (passing the
    returned state, possibly through ``to_dict``/``from_dict``) gives the same events, in the
    same order, as one call.

    Args:
        state: engine state (configuration + per-point state), see :class:`MonitorState`.
        samples: readings; ``ts`` epoch seconds, ``value`` in the point's unit.

    Returns:
        ``(new_state, events)``; events in generation order (per sample: offline, online,
        leave, enter, roc). Rejected (out-of-order) samples are counted in
        ``new_state.rejected`` and produce no event.

    Raises:
        KeyError: unknown point. ValueError: non-finite ts or value.
    """
    return process_rows(state, ((s.ts, s.point, s.value) for s in samples))


def advance(state: MonitorState, until: float) -> tuple[MonitorState, list[AlarmEvent]]:
    """Declare offline every point silent for at least ``offline_s`` as of ``until`` (epoch s).

    A point whose last accepted sample is at ``t`` goes offline (event at ``t + offline_s``)
    when ``until - t >= offline_s``; points never seen, already offline, or without
    ``offline_s`` are left alone. Afterwards, samples of an offline point older than the end of
    its silence are rejected; the next accepted sample emits ``online``.

    Returns:
        ``(new_state, events)``, events in configuration order.
    """
    out: list[AlarmEvent] = []
    changes: dict[str, PointTuple] = {}
    base = state.points
    if not isinstance(base, PointMap):  # pragma: no cover - MonitorState always stores a PointMap
        base = PointMap(base)
    with base.reading() as points:
        for point, cfg in state.configs.items():
            ps = points[point]
            last = ps[2]
            if cfg.offline_s is None or last is None or ps[4]:
                continue
            if until - last >= cfg.offline_s:
                out.append(AlarmEvent(point, last + cfg.offline_s, "offline", None, None))
                changes[point] = (*ps[:4], True, *ps[5:])
    if not changes:
        return state, out
    return MonitorState(state.configs, base.evolve(changes), state.rejected), out


def sort_events(events: Iterable[AlarmEvent]) -> list[AlarmEvent]:
    """Events sorted by ts then point, stable (processing order kept for equal ts and point)."""
    return sorted(events, key=lambda e: (e.ts, e.point))


def configs_from_mapping(raw: Mapping[str, Any]) -> dict[str, PointConfig]:
    """Build point configurations from a ``POINTS.json``-style mapping ``{point: {...}}``.

    Raises:
        ConfigError: a configuration is invalid (message names the point).
    """
    from yingji.engines.monitoring.model import ConfigError

    if not isinstance(raw, Mapping):
        raise ConfigError(f"top level must be an object mapping point id to rules, got {type(raw).__name__}")
    return {str(p): PointConfig.from_dict(c, where=f"point {p!r}") for p, c in raw.items()}
