"""Pure parts of bench 3 (bench/prometheus_scenario.py): scenario, rule files, episodes, agreement.

No Prometheus here: a small simulation of Prometheus' alerting-rule state machine (rules/alerting.go
of 2.42: pending → firing after ``for``, ``keep_firing_for`` after the expression stops matching)
over the scraped values checks that the generated scenario keeps "every episode theirs finds is
one of ours", whatever the phase between scrapes and rule evaluations.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

from yingji.engines.monitoring import AlarmEvent

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from prometheus_scenario import (
    COOLDOWN_S,
    Episode,
    PointSpec,
    alerts_episodes,
    classify_extra,
    compare,
    exposition,
    fix_ambiguous_runs,
    limits_exposition,
    make_scenario,
    our_episodes,
    replay,
    rules_yaml,
    their_episodes,
)


def _spec(**kw):
    base = {
        "name": "P1",
        "side": "high",
        "mid": 50.0,
        "limits": {"h": 70.0, "hh": 85.0},
        "deadband": 2.0,
        "on_delay_s": 3,
        "off_delay_s": 2,
    }
    return PointSpec(**{**base, **kw})


def test_rules_one_per_level_and_delay_pair_with_for_and_keep_firing_for():
    points = [
        _spec(name="A"),
        _spec(name="B", limits={"ll": 5.0}, on_delay_s=0, off_delay_s=4),
        _spec(name="C"),  # same pair as A: no new rule
    ]
    rules = json.loads(rules_yaml(points))["groups"][0]["rules"]
    assert [(r["alert"], r["for"], r["keep_firing_for"]) for r in rules] == [
        ("yj_H", "3s", "2s"),
        ("yj_HH", "3s", "2s"),
        ("yj_LL", "0s", "4s"),
    ]
    assert rules[0]["expr"] == 'yj_value{on="3",off="2"} >= on(point) yj_limit{level="h"}'
    assert rules[2]["expr"] == 'yj_value{on="0",off="4"} <= on(point) yj_limit{level="ll"}'
    assert all(r["labels"]["level"] == r["alert"][3:] for r in rules)


def test_exposition_formats():
    points = [_spec(name="A"), _spec(name="B", limits={"ll": 5.0})]
    assert exposition(points, [1.5, 2.0]).splitlines()[1:] == [
        'yj_value{point="A",on="3",off="2"} 1.5',
        'yj_value{point="B",on="3",off="2"} 2.0',
    ]
    assert limits_exposition(points).splitlines()[1:] == [
        'yj_limit{point="A",level="h"} 70.0',
        'yj_limit{point="A",level="hh"} 85.0',
        'yj_limit{point="B",level="ll"} 5.0',
    ]


def test_scenario_is_deterministic_and_ends_quiet():
    a, b = make_scenario(30, 40, seed=7), make_scenario(30, 40, seed=7)
    assert a.points == b.points and a.main == b.main and a.spikes == b.spikes
    assert make_scenario(30, 40, seed=8).main != a.main
    for spec, values, spikes in zip(a.points, a.main, a.spikes, strict=True):
        assert len(values) == 40 + COOLDOWN_S
        lo, hi = spec.quiet_band()
        assert all(lo < v < hi for v in values[40:])
        assert all(k < 40 for k in spikes)
        spec.config()  # valid engine configuration (limits in order)


def test_fix_ambiguous_runs_lengthens_runs_of_exactly_on_delay():
    spec = _spec(limits={"h": 70.0}, on_delay_s=3)
    values = [50.0, 71, 72, 73, 50, 50, 50, 71, 50, 50]
    assert fix_ambiguous_runs(values, spec, limit_end=len(values)) == 1
    assert values == [50.0, 71, 72, 73, 73, 73, 50, 71, 50, 50]


def _ev(point, ts, kind, frm, to):
    return AlarmEvent(point, ts, kind, frm, to)


def test_our_episodes_are_at_least_levels_of_configured_limits():
    events = [
        _ev("A", 1.0, "raise", "N", "H"),
        _ev("A", 2.0, "escalate", "H", "HH"),
        _ev("A", 4.0, "deescalate", "HH", "H"),
        _ev("A", 6.0, "clear", "H", "N"),
        _ev("B", 3.0, "raise", "N", "HH"),  # B has hh only: no "at least H"
        _ev("A", 7.0, "offline", None, None),
        _ev("A", 8.0, "raise", "N", "L"),  # still open at the end
    ]
    assert our_episodes(events, {"A": ["h", "hh", "l"], "B": ["hh"]}) == [
        Episode("A", "H", 1.0, 6.0),
        Episode("A", "HH", 2.0, 4.0),
        Episode("A", "L", 8.0, None),
        Episode("B", "HH", 3.0, None),
    ]


def _alert(point, level, status, starts, ends="0001-01-01T00:00:00Z"):
    return {"status": status, "labels": {"point": point, "level": level}, "startsAt": starts, "endsAt": ends}


def test_their_episodes_one_per_start_resolved_end_wins():
    payloads = [
        {"alerts": [_alert("A", "H", "firing", "2024-01-01T00:00:01Z")]},
        {"alerts": [_alert("A", "H", "resolved", "2024-01-01T00:00:01Z", "2024-01-01T00:00:05.5Z")]},
        {"alerts": [_alert("A", "H", "firing", "2024-01-01T00:00:09.25Z")]},
    ]
    t = 1704067200.0
    assert their_episodes(payloads) == [Episode("A", "H", t + 1, t + 5.5), Episode("A", "H", t + 9.25, None)]


def test_alerts_series_split_on_gaps():
    series = [
        {"metric": {"point": "A", "level": "H"}, "values": [[10, "1"], [11, "1"], [12, "1"], [20, "1"]]}
    ]
    assert alerts_episodes(series) == [Episode("A", "H", 10.0, 13.0), Episode("A", "H", 20.0, 21.0)]


def test_compare_counts_and_unmatched():
    ours = [Episode("A", "H", 10.0, 20.0), Episode("A", "HH", 12.0, 13.0), Episode("B", "L", 5.0, None)]
    theirs = [
        Episode("A", "H", 8.0, 14.0),
        Episode("A", "H", 16.0, 19.0),  # two of theirs inside one of ours (deadband)
        Episode("B", "L", 30.0, 31.0),
        Episode("C", "H", 1.0, 2.0),
    ]
    res = compare(theirs, ours, tol=1.0)
    assert (res["theirs"], res["ours"]) == (4, 3)
    assert res["theirs_not_in_ours"] == [Episode("C", "H", 1.0, 2.0)]
    assert res["ours_not_in_theirs"] == [Episode("A", "HH", 12.0, 13.0)]


def _simulate_prometheus(scn, t0, phase, jitter, rng):
    """Firing episodes of the generated rules under Prometheus 2.42 alerting semantics.

    One sample per point and second, scraped at ``t0 + k + 0.5`` (the main value of second k;
    spikes happen after the scrape); rules evaluated at ``t0 + j + phase`` (± ``jitter``), each
    evaluation seeing the latest sample scraped before it.
    """
    total = len(scn.main[0])
    out = []
    for spec, values in zip(scn.points, scn.main, strict=True):
        for key, limit in spec.limits.items():
            high = key.startswith("h")
            active_at = keep_since = None
            firing = False
            for j in range(1, total + 1):
                when = t0 + j + phase + rng.uniform(-jitter, jitter)
                k = int(when - t0 - 0.5)
                v = values[min(k, total - 1)]
                true = v >= limit if high else v <= limit
                if true:
                    keep_since = None
                    if active_at is None:
                        active_at = when
                    if not firing and when - active_at >= spec.on_delay_s:
                        firing = True
                elif active_at is not None:
                    keep = False
                    if firing and spec.off_delay_s > 0:
                        keep_since = keep_since or when
                        keep = when - keep_since < spec.off_delay_s
                    if not keep:
                        if firing:
                            out.append(Episode(spec.name, key.upper(), active_at, when))
                        active_at, keep_since, firing = None, None, False
            if firing:
                out.append(Episode(spec.name, key.upper(), active_at, None))
    return out


def _ours(scn, t0):
    return our_episodes(replay(scn, t0), {p.name: p.limits for p in scn.points})


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_simulated_prometheus_finds_nothing_ours_misses(seed):
    scn = make_scenario(60, 60, seed=seed)
    t0 = 1_700_000_000.0
    ours = _ours(scn, t0)
    rng = random.Random(seed)
    for phase, jitter in ((0.02, 0.02), (0.5, 0.0), (0.97, 0.02), (0.3, 0.1), (0.75, 0.2)):
        theirs = _simulate_prometheus(scn, t0, phase, jitter, rng)
        res = compare(theirs, ours)
        assert res["theirs_not_in_ours"] == [], (phase, res["theirs_not_in_ours"][:3])
        assert res["theirs"] > 20  # the scenario does raise alarms
    # Evaluations mid-way between scrapes: all of ours that theirs lacks come from the spikes.
    extra = compare(_simulate_prometheus(scn, t0, 0.0, 0.0, rng), ours)["ours_not_in_theirs"]
    without_spikes = our_episodes(replay(scn, t0, spikes=False), {p.name: p.limits for p in scn.points})
    assert extra and {classify_extra(e, without_spikes) for e in extra} == {"spike between scrapes"}
