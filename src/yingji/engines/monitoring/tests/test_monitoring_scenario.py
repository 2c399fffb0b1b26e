"""Hand-computed scenario (tests/scenario_monitoring.py) through the API, both paths."""

from __future__ import annotations

import json

import pytest

from yingji.engines.monitoring import (
    MonitorState,
    PointConfig,
    Sample,
    advance,
    process,
    process_batch,
    process_rows,
    sort_events,
)
from yingji.engines.monitoring.engine import configs_from_mapping

from .oracle_monitoring import oracle
from .scenario_monitoring import EXPECTED_STREAM, EXPECTED_TAIL, POINTS, REJECTED, ROWS


def _tuples(events):
    return [(e.point, e.ts, e.event, e.from_level, e.to_level) for e in events]


@pytest.fixture
def state() -> MonitorState:
    return MonitorState.new(configs_from_mapping(POINTS))


def test_scalar_path_matches_hand_computed_stream(state):
    new, events = process(state, [Sample(t, p, v) for t, p, v in ROWS])
    assert _tuples(events) == EXPECTED_STREAM
    assert new.rejected == REJECTED
    # final levels: everything cleared except E (HH)
    assert {p: new.level(p) for p in POINTS} == {"A": "N", "B": "N", "C": "L", "D": "L", "E": "HH", "F": "N"}


def test_vectorised_path_matches_hand_computed_stream(state):
    new, events = process_batch(state, [r[1] for r in ROWS], [r[0] for r in ROWS], [r[2] for r in ROWS])
    assert _tuples(events) == EXPECTED_STREAM
    assert new.rejected == REJECTED


def test_naive_oracle_agrees_with_hand_computation():
    events, rejected = oracle(POINTS, ROWS)
    assert events == EXPECTED_STREAM
    assert rejected == REJECTED


def test_advance_declares_trailing_offline(state):
    new, _ = process_rows(state, ROWS)
    after, tail = advance(new, 400)
    assert _tuples(tail) == EXPECTED_TAIL
    assert after.point_state("A").offline
    # idempotent: already offline points are not declared again
    again, tail2 = advance(after, 1000)
    assert tail2 == [] and again == after


def test_advance_boundary_is_inclusive(state):
    new, _ = process_rows(state, ROWS)
    assert advance(new, 324.999)[1] == []
    assert _tuples(advance(new, 325)[1]) == EXPECTED_TAIL


def test_sample_after_advanced_offline_emits_online_and_late_ones_are_rejected():
    st = MonitorState.new({"p": PointConfig(h=10, offline_s=60)})
    st, _ = process_rows(st, [(0, "p", 12)])
    assert st.level("p") == "H"
    st, ev = advance(st, 100)
    assert _tuples(ev) == [("p", 60, "offline", None, None)]
    # 30 < 0 + 60: would not have ended the silence -> rejected as late
    st, ev = process_rows(st, [(30, "p", 0), (120, "p", 0)])
    assert st.rejected == 1
    assert _tuples(ev) == [("p", 120, "online", None, None), ("p", 120, "clear", "H", "N")]


def test_offline_boundary_gap_equal_to_offline_s_is_offline():
    st = MonitorState.new({"p": PointConfig(offline_s=10)})
    _, ev = process_rows(st, [(0, "p", 0), (9.5, "p", 0), (19.5, "p", 0)])
    assert _tuples(ev) == [("p", 19.5, "offline", None, None), ("p", 19.5, "online", None, None)]


def test_level_survives_offline_but_leave_timer_restarts():
    st = MonitorState.new({"p": PointConfig(h=10, off_delay_s=5, offline_s=20)})
    # in H; below h since 1; gap 1 -> 30 is offline; the leave timer restarts at 30
    rows = [(0, "p", 12), (1, "p", 0), (30, "p", 0), (34, "p", 0), (35, "p", 0)]
    _, ev = process_rows(st, rows)
    assert _tuples(ev) == [
        ("p", 0, "raise", "N", "H"),
        ("p", 21, "offline", None, None),
        ("p", 30, "online", None, None),
        ("p", 35, "clear", "H", "N"),
    ]


def test_rate_of_change_raise_and_clear():
    st = MonitorState.new({"p": PointConfig(roc_per_s=2)})
    # rates: |4-0|/2 = 2 (not > 2), |10-4|/1 = 6 (raise), equal ts skipped, |9-10|/1 = 1 (clear)
    rows = [(0, "p", 0), (2, "p", 4), (3, "p", 10), (3, "p", 50), (4, "p", 49)]
    _, ev = process_rows(st, rows)
    assert _tuples(ev) == [("p", 3, "roc", "N", "ROC"), ("p", 4, "roc", "ROC", "N")]


def test_rate_of_change_not_measured_across_offline_gap():
    st = MonitorState.new({"p": PointConfig(roc_per_s=1, offline_s=10)})
    _, ev = process_rows(st, [(0, "p", 0), (20, "p", 1000), (21, "p", 1000.5)])
    assert [e.event for e in ev] == ["offline", "online"]


def test_sort_events_is_stable_by_ts_then_point(state):
    _, events = process_rows(state, ROWS)
    ordered = sort_events(events)
    keys = [(e.ts, e.point) for e in ordered]
    assert keys == sorted(keys)
    c9 = [e.event for e in ordered if e.point == "C" and e.ts == 9]
    assert c9 == ["clear", "raise"]


def test_state_round_trips_through_json(state):
    new, _ = process_rows(state, ROWS[:20])
    raw = json.loads(json.dumps(new.to_dict()))
    assert MonitorState.from_dict(raw) == new


def test_input_state_is_not_mutated(state):
    before = state.to_dict()
    process_rows(state, ROWS)
    process_batch(state, [r[1] for r in ROWS], [r[0] for r in ROWS], [r[2] for r in ROWS])
    assert state.to_dict() == before


def test_unknown_point_and_non_finite_values_raise(state):
    with pytest.raises(KeyError):
        process_rows(state, [(0, "nope", 1)])
    with pytest.raises(ValueError, match="non-finite"):
        process_rows(state, [(0, "A", float("nan"))])
    with pytest.raises(KeyError):
        process_batch(state, ["nope"], [0.0], [1.0])
    with pytest.raises(ValueError, match="non-finite"):
        process_batch(state, ["A"], [float("inf")], [1.0])
