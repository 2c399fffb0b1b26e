"""Property tests: naive oracle == scalar, batch-split invariance, vectorised == scalar."""

from __future__ import annotations

import itertools
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from yingji.engines.monitoring import MonitorState, advance, process_batch, process_rows
from yingji.engines.monitoring.engine import configs_from_mapping

from .oracle_monitoring import oracle

POINT_IDS = ("p0", "p1", "p2")


@st.composite
def point_config(draw: Any) -> dict[str, Any]:
    cfg: dict[str, Any] = {}
    base = {"ll": -20.0, "l": -10.0, "h": 10.0, "hh": 20.0}
    for key, value in base.items():
        if draw(st.booleans()):
            cfg[key] = value + draw(st.sampled_from([0.0, 2.5, -2.5]))
    if draw(st.booleans()):
        cfg["deadband"] = draw(st.sampled_from([0, 1, 2.5, 6]))
    if draw(st.booleans()):
        cfg["on_delay_s"] = draw(st.sampled_from([0, 1, 2, 5]))
    if draw(st.booleans()):
        cfg["off_delay_s"] = draw(st.sampled_from([0, 1, 3.5, 5]))
    if draw(st.booleans()):
        cfg["offline_s"] = draw(st.sampled_from([3, 10, 0.5]))
    if draw(st.booleans()):
        cfg["roc_per_s"] = draw(st.sampled_from([2, 10]))
    return cfg


@st.composite
def scenario(draw: Any) -> tuple[dict[str, dict[str, Any]], list[tuple[float, str, float]]]:
    n_points = draw(st.integers(1, 3))
    configs = {POINT_IDS[i]: draw(point_config()) for i in range(n_points)}
    n = draw(st.integers(0, 60))
    t = 0.0
    rows = []
    for _ in range(n):
        t += draw(st.sampled_from([0.0, 0.5, 1.0, 1.0, 2.0, 3.0, 7.0, 12.0, -1.0, -4.0]))
        p = POINT_IDS[draw(st.integers(0, n_points - 1))]
        v = draw(st.integers(-60, 60)) / 2.0
        rows.append((t, p, v))
    return configs, rows


def _tuples(events):
    return [(e.point, e.ts, e.event, e.from_level, e.to_level) for e in events]


def _split(rows, cuts):
    idx = sorted({min(c, len(rows)) for c in cuts})
    bounds = [0, *idx, len(rows)]
    return [rows[a:b] for a, b in itertools.pairwise(bounds)]


def _vec(state, rows):
    return process_batch(state, [r[1] for r in rows], [r[0] for r in rows], [r[2] for r in rows])


@settings(max_examples=int(__import__("os").environ.get("MON_EX", 250)), deadline=None)
@given(scenario())
def test_scalar_matches_naive_oracle(sc):
    configs, rows = sc
    state, events = process_rows(MonitorState.new(configs_from_mapping(configs)), rows)
    expected, rejected = oracle(configs, rows)
    assert _tuples(events) == expected
    assert state.rejected == rejected


@settings(max_examples=int(__import__("os").environ.get("MON_EX", 200)), deadline=None)
@given(scenario(), st.lists(st.integers(0, 60), max_size=4))
def test_batch_split_invariance_with_state_round_trip(sc, cuts):
    configs, rows = sc
    fresh = MonitorState.new(configs_from_mapping(configs))
    whole_state, whole = process_rows(fresh, rows)
    state = fresh
    parts = []
    for chunk in _split(rows, cuts):
        state = MonitorState.from_dict(json.loads(json.dumps(state.to_dict())))
        state, ev = process_rows(state, chunk)
        parts.extend(ev)
    assert parts == whole
    assert state == whole_state


@settings(max_examples=int(__import__("os").environ.get("MON_EX", 250)), deadline=None)
@given(scenario(), st.lists(st.integers(0, 60), max_size=3), st.booleans())
def test_vectorised_equals_scalar(sc, cuts, mix):
    configs, rows = sc
    fresh = MonitorState.new(configs_from_mapping(configs))
    s_state, s_events = process_rows(fresh, rows)
    v_state = fresh
    v_events = []
    for i, chunk in enumerate(_split(rows, cuts)):
        if mix and i % 2:
            v_state, ev = process_rows(v_state, chunk)
        else:
            v_state, ev = _vec(v_state, chunk)
        v_events.extend(ev)
    assert v_events == s_events
    assert v_state == s_state


@settings(max_examples=int(__import__("os").environ.get("MON_EX", 100)), deadline=None)
@given(scenario(), st.integers(0, 60), st.sampled_from([0.0, 2.0, 5.0, 40.0]))
def test_vectorised_equals_scalar_after_advance(sc, cut, extra):
    configs, rows = sc
    first, second = rows[:cut], rows[cut:]
    fresh = MonitorState.new(configs_from_mapping(configs))
    s1, _ = process_rows(fresh, first)
    until = max((r[0] for r in first), default=0.0) + extra
    s1, tail = advance(s1, until)
    assert all(e.event == "offline" and e.ts <= until for e in tail)
    s_state, s_events = process_rows(s1, second)
    v_state, v_events = _vec(s1, second)
    assert v_events == s_events
    assert v_state == s_state
