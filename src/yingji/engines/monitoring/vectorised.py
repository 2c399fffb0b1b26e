"""Vectorised batch path (numpy) giving the same events as the scalar :func:`process`.

Idea: group the batch by point (stable, so arrival order is kept inside a point) and
compute in numpy, for every sample, everything the state machine reads from the value: the
"zone" (eight comparison bits against the limits and deadband-shifted limits), the time gap
to the previous accepted sample (offline detection) and the rate-of-change verdict. A sample
whose zone equals its predecessor's, that ends no offline period and does not flip the ROC
verdict cannot start or break any run, so it changes the state only if a pending delay timer
expires on it. The per-point walk therefore calls the scalar :func:`~.engine.step` only on
"forced" samples and on the first sample at which a pending timer expires (found by binary
search with the very same floating-point predicate ``ts - start >= delay``), and merely
advances ``last_ts``/``last_value`` over the rest. Events are finally ordered by the arrival
index of the sample that produced them, which is the scalar path's order.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

import numpy as np
import numpy.typing as npt

from yingji.engines.monitoring.engine import step
from yingji.engines.monitoring.model import AlarmEvent, MonitorState, PointTuple
from yingji.engines.monitoring.pointmap import PointMap

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _zone(v: FloatArray, th: FloatArray) -> IntArray:
    """Comparison bits of values ``v`` against per-sample thresholds ``th`` (n × 8)."""
    z = (v >= th[:, 0]).astype(np.int64)
    z |= (v >= th[:, 1]).astype(np.int64) << 1
    z |= (v <= th[:, 2]).astype(np.int64) << 2
    z |= (v <= th[:, 3]).astype(np.int64) << 3
    z |= (v < th[:, 4]).astype(np.int64) << 4
    z |= (v < th[:, 5]).astype(np.int64) << 5
    z |= (v > th[:, 6]).astype(np.int64) << 6
    z |= (v > th[:, 7]).astype(np.int64) << 7
    return z


_NAN = float("nan")


def _deadlines(st: PointTuple, on: float, off: float) -> list[tuple[float, float]]:
    """Pending timers of a point state as ``(start_ts, delay)`` pairs."""
    _c, level, _t, _v, _o, _r, sH, sHH, sL, sLL, lH, lHH, lL, lLL = st
    res: list[tuple[float, float]] = []
    if level == 0:
        for start in (sH, sHH, sL, sLL):
            if start is not None:
                res.append((start, on))
        return res
    if level == 1 and sHH is not None:
        res.append((sHH, on))
    elif level == -1 and sLL is not None:
        res.append((sLL, on))
    leave = lH if level == 1 else lHH if level == 2 else lL if level == -1 else lLL
    if leave is not None:
        res.append((leave, off))
    return res


def _first_expiry(ts: list[float], lo: int, hi: int, start: float, delay: float) -> int:
    """First index ``i`` in ``[lo, hi)`` with ``ts[i] - start >= delay`` (``ts`` sorted), else ``hi``.

    Uses the scalar step's exact floating-point predicate, so both paths agree to the bit.
    """
    while lo < hi:
        mid = (lo + hi) // 2
        if ts[mid] - start >= delay:
            hi = mid
        else:
            lo = mid + 1
    return lo


def process_coded(
    state: MonitorState,
    names: Sequence[str],
    codes: npt.ArrayLike,
    ts: npt.ArrayLike,
    values: npt.ArrayLike,
) -> tuple[MonitorState, list[AlarmEvent]]:
    """Vectorised equivalent of :func:`~yingji.engines.monitoring.engine.process`.

    Args:
        state: engine state.
        names: point ids; ``codes[i]`` indexes into it.
        codes: int array (n,), point of each sample.
        ts: float array (n,), epoch seconds, arrival order.
        values: float array (n,), values in the point's unit.

    Returns:
        ``(new_state, events)`` identical to the scalar path's result for the same samples.

    Raises:
        KeyError: a name is not a configured point. ValueError: shapes differ, a code is out
        of range, or a ts/value is not finite.
    """
    code_arr = np.asarray(codes, dtype=np.int64)
    t_all = np.asarray(ts, dtype=np.float64)
    v_all = np.asarray(values, dtype=np.float64)
    n = code_arr.shape[0]
    if t_all.shape != (n,) or v_all.shape != (n,) or code_arr.ndim != 1:
        raise ValueError("codes, ts and values must be 1-D arrays of the same length")
    if n == 0:
        return state, []
    if code_arr.min() < 0 or code_arr.max() >= len(names):
        raise ValueError("point code out of range")
    bad = ~(np.isfinite(t_all) & np.isfinite(v_all))
    if bad.any():
        i = int(np.argmax(bad))
        name = names[int(code_arr[i])]
        raise ValueError(f"point {name!r}: non-finite sample ts={t_all[i]!r} value={v_all[i]!r}")

    order = np.argsort(code_arr, kind="stable")
    c_sorted = code_arr[order]
    uniq, _first, counts = np.unique(c_sorted, return_index=True, return_counts=True)
    group_names = [names[u] for u in uniq.tolist()]
    configs = state.configs
    base = state.points
    if not isinstance(base, PointMap):  # pragma: no cover - MonitorState always stores a PointMap
        base = PointMap(base)
    try:
        with base.reading() as points:
            pstates = [points[name] for name in group_names]
    except KeyError as exc:
        raise KeyError(f"unknown point {exc.args[0]!r}") from None
    k = len(pstates)
    width = len(pstates[0][0])
    # np.fromiter over flattened tuples: several times faster than np.array(list of tuples).
    comp = np.fromiter(
        chain.from_iterable([p[0] for p in pstates]), dtype=np.float64, count=k * width
    ).reshape(k, width)
    # One pass over the point states: last_ts, last_value, offline, roc_active, timers pending.
    cols = np.fromiter(
        chain.from_iterable(
            [
                (
                    _NAN if p[2] is None else p[2],
                    _NAN if p[3] is None else p[3],
                    p[4],
                    p[5],
                    p[1] != 0 or p[6] is not None or p[7] is not None or p[8] is not None or p[9] is not None,
                )
                for p in pstates
            ]
        ),
        dtype=np.float64,
        count=k * 5,
    ).reshape(k, 5)
    last_ts = cols[:, 0]
    last_v = cols[:, 1]
    offl = cols[:, 2] != 0
    g_all = np.repeat(np.arange(len(uniq)), counts)
    t = t_all[order]
    v = v_all[order]

    # Acceptance: not older than the point's last accepted sample (state or earlier in batch);
    # for a point declared offline, not older than the end of its silence.
    _, rank = np.unique(t, return_inverse=True)
    key = g_all * (int(rank.max()) + 2) + rank.astype(np.int64)
    prior = np.empty_like(key)
    prior[0] = -1
    np.maximum.accumulate(key[:-1], out=prior[1:])
    lt_g = last_ts[g_all]
    has_last = ~np.isnan(lt_g)
    ok = key >= prior
    with np.errstate(invalid="ignore"):
        ok &= ~has_last | (t >= lt_g)
        ok &= ~(offl[g_all] & has_last & (t - lt_g < comp[g_all, 10]))
    n_ok = int(ok.sum())
    rejected = n - n_ok
    if n_ok == 0:
        return MonitorState(configs, base, state.rejected + rejected), []

    idx = order[ok]
    t = t[ok]
    v = v[ok]
    g = g_all[ok]
    m = t.shape[0]
    start = np.ones(m, dtype=bool)
    start[1:] = g[1:] != g[:-1]
    cg = comp[g]
    prev_t = np.empty(m)
    prev_v = np.empty(m)
    prev_t[1:] = t[:-1]
    prev_v[1:] = v[:-1]
    prev_t[start] = last_ts[g[start]]
    prev_v[start] = last_v[g[start]]
    has_prev = ~np.isnan(prev_t)

    zone = _zone(v, cg[:, :8])
    with np.errstate(invalid="ignore"):
        prev_zone = _zone(prev_v, cg[:, :8])
        gap = has_prev & (t - prev_t >= cg[:, 10])
    online = gap | (start & offl[g])
    forced = (zone != prev_zone) | ~has_prev | online

    # Rate of change verdicts, carried forward per point.
    roc_lim = cg[:, 11]
    defined = np.isfinite(roc_lim) & has_prev & ~online & (t > prev_t)
    with np.errstate(invalid="ignore", divide="ignore"):
        exceed = np.abs(v - prev_v) / (t - prev_t) > roc_lim
    exceed &= defined
    if defined.any():
        pos = np.where(defined, np.arange(m), -1)
        lastdef = np.maximum.accumulate(pos)
        prevdef = np.empty(m, dtype=np.int64)
        prevdef[0] = -1
        prevdef[1:] = lastdef[:-1]
        gstart = np.maximum.accumulate(np.where(start, np.arange(m), 0))
        inside = prevdef >= gstart
        roc_state = cols[:, 3] != 0
        before = np.where(inside, exceed[np.maximum(prevdef, 0)], roc_state[g])
        forced |= defined & (exceed != before)

    pending = cols[:, 4] != 0
    need_group = pending
    need_group[g[forced]] = True
    starts = np.flatnonzero(start)
    ends = np.r_[starts[1:] - 1, m - 1]
    g_present = g[starts]
    need = need_group[g_present]

    tagged: list[tuple[int, int, AlarmEvent]] = []
    new_points: dict[str, PointTuple] = {}  # changes, applied with PointMap.evolve (O(changes))
    t_list: list[float] = t.tolist()
    v_list: list[float] = v.tolist()
    # Points with nothing forced and no pending timer: only last_ts/last_value move.
    for gi, b in zip(g_present[~need].tolist(), ends[~need].tolist(), strict=True):
        ps = pstates[gi]
        new_points[group_names[gi]] = (ps[0], ps[1], t_list[b], v_list[b], *ps[4:])
    if not need.any():
        return MonitorState(configs, base.evolve(new_points), state.rejected + rejected), []

    idx_list: list[int] = idx.tolist()
    forced_idx = np.flatnonzero(forced)
    forced_pos: list[int] = forced_idx.tolist()
    w_starts = starts[need]
    w_ends = ends[need]
    f_lo = np.searchsorted(forced_idx, w_starts).tolist()
    f_hi = np.searchsorted(forced_idx, w_ends, side="right").tolist()
    for gi, a, b, fp, f_end in zip(
        g_present[need].tolist(), w_starts.tolist(), w_ends.tolist(), f_lo, f_hi, strict=True
    ):
        name = group_names[gi]
        cur: PointTuple = pstates[gi]
        on, off = cur[0][8], cur[0][9]
        out: list[AlarmEvent] = []
        pos_done = a - 1
        end = b + 1
        while True:
            nf = forced_pos[fp] if fp < f_end else end
            p = nf
            for s0, d in _deadlines(cur, on, off):
                p = _first_expiry(t_list, pos_done + 1, p, s0, d)
            if p >= end:
                break
            if p > pos_done + 1:
                cur = (cur[0], cur[1], t_list[p - 1], v_list[p - 1], *cur[4:])
            before_len = len(out)
            nxt = step(name, cur, t_list[p], v_list[p], out)
            assert nxt is not None  # acceptance was decided above with the same predicates
            cur = nxt
            for k in range(before_len, len(out)):
                tagged.append((idx_list[p], k, out[k]))
            pos_done = p
            if p == nf:
                fp += 1
        if pos_done < b:
            cur = (cur[0], cur[1], t_list[b], v_list[b], *cur[4:])
        new_points[name] = cur

    tagged.sort(key=lambda x: (x[0], x[1]))
    events = [e for _, _, e in tagged]
    return MonitorState(configs, base.evolve(new_points), state.rejected + rejected), events


def process_batch(
    state: MonitorState, points: Sequence[str], ts: npt.ArrayLike, values: npt.ArrayLike
) -> tuple[MonitorState, list[AlarmEvent]]:
    """Vectorised path taking point ids per sample; see :func:`process_coded`.

    Args:
        points: point id of each sample (length n).
        ts, values: float arrays (n,) of epoch seconds and values.

    Raises:
        KeyError: unknown point. ValueError: see :func:`process_coded`.
    """
    index: dict[str, int] = {}
    codes = np.fromiter((index.setdefault(p, len(index)) for p in points), dtype=np.int64, count=len(points))
    return process_coded(state, list(index), codes, ts, values)
