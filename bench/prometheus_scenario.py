"""Pure parts of the Prometheus comparison benchmark (``bench_monitoring_prometheus.py``):
scenario, Prometheus / Alertmanager configuration, episodes and their agreement. No servers, no I/O; tested by
``tests/test_bench_monitoring_prometheus.py``.

The scenario is a seeded, deterministic generator of P points with per-point limits
(HH/H/L/LL subsets), deadband and on/off delays, and their 1 Hz "main" values (drifts into and
out of the alarm zones, flapping around a limit, noise) plus sub-second spikes between two
scrapes. Episodes are "at least X" periods (X in H, HH, L, LL) per point: our engine's level
``HH`` counts as an ``H`` and an ``HH`` episode, as Prometheus' ``value >= h`` and ``value >= hh``
alerts both fire then.
"""

from __future__ import annotations

import itertools
import json
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from yingji.engines.monitoring import AlarmEvent, MonitorState, PointConfig, process_rows

ON_DELAYS = (0, 2, 3, 5)
OFF_DELAYS = (0, 2, 4)
COOLDOWN_S = max(ON_DELAYS) + max(OFF_DELAYS) + 4  # all-normal tail: every alarm clears
SIDE_GAP_S = max(ON_DELAYS) + max(OFF_DELAYS) + 3  # normal values between excursions of two sides
SPIKE_AT, RETURN_AT = 0.65, 0.85  # offsets in the second; main value at 0, scrape at ~0.5
TOLERANCE_S = 2.5  # one scrape + one evaluation + jitter, when matching episodes
LEVELS = ("H", "HH", "L", "LL")
AT_LEAST = {"N": (), "H": ("H",), "HH": ("H", "HH"), "L": ("L",), "LL": ("L", "LL")}


# ---------------------------------------------------------------- scenario (pure, deterministic)
@dataclass(frozen=True)
class PointSpec:
    """One generated point: name, excursion side ("high", "low", "both"), mid value, rules."""

    name: str
    side: str
    mid: float
    limits: dict[str, float]  # subset of hh/h/l/ll
    deadband: float
    on_delay_s: int
    off_delay_s: int

    def config(self) -> PointConfig:
        """Our engine's configuration of the point (no offline, no ROC: not compared)."""
        return PointConfig(
            deadband=self.deadband, on_delay_s=self.on_delay_s, off_delay_s=self.off_delay_s, **self.limits
        )

    def quiet_band(self) -> tuple[float, float]:
        """Open interval of values in no raw alarm state and meeting every leave condition."""
        lo = max((self.limits[k] + self.deadband for k in ("l", "ll") if k in self.limits), default=-math.inf)
        hi = min((self.limits[k] - self.deadband for k in ("h", "hh") if k in self.limits), default=math.inf)
        return lo, hi


@dataclass
class Scenario:
    """Points, their 1 Hz main values (``main[i][k]`` at second k) and spikes ``{k: value}``."""

    points: list[PointSpec]
    main: list[list[float]]
    spikes: list[dict[int, float]] = field(default_factory=list)

    def readings(self, k: int, t0: float) -> list[list[tuple[float, str, float]]]:
        """Readings of second ``k`` as ticks ``[main, spikes, returns]`` of ``(ts, point, value)``."""
        main = [(t0 + k, p.name, self.main[i][k]) for i, p in enumerate(self.points)]
        spike = [
            (t0 + k + SPIKE_AT, p.name, s[k]) for p, s in zip(self.points, self.spikes, strict=True) if k in s
        ]
        back = [
            (t0 + k + RETURN_AT, p.name, self.main[i][k])
            for i, (p, s) in enumerate(zip(self.points, self.spikes, strict=True))
            if k in s
        ]
        return [main, spike, back]


def make_points(n: int, rng: random.Random) -> list[PointSpec]:
    """``n`` points with varied limits subsets, deadbands and delays (``ll < l < h < hh``)."""
    points = []
    for i in range(n):
        side = rng.choices(("high", "low", "both"), weights=(5, 3, 2))[0]
        scale = rng.choice((0.5, 1.0, 2.0))
        mid = round(rng.uniform(20, 80) * scale, 1)
        full = {"h": mid + 20 * scale, "hh": mid + 35 * scale, "l": mid - 20 * scale, "ll": mid - 35 * scale}
        keep = {"high": ["h", "hh"], "low": ["l", "ll"], "both": ["h", "hh", "l", "ll"]}[side]
        if len(keep) == 2 and rng.random() < 0.3:
            keep = [keep[rng.randrange(2)]]  # a single limit on that side
        if side != "both" and rng.random() < 0.3:
            keep += ["l", "ll"] if side == "high" else ["h", "hh"]  # configured, never visited
        points.append(
            PointSpec(
                name=f"P{i:04d}",
                side=side,
                mid=mid,
                limits={k: round(full[k], 2) for k in keep},
                deadband=round(rng.choice((0.0, 1.0, 2.0, 4.0)) * scale, 2),
                on_delay_s=rng.choice(ON_DELAYS),
                off_delay_s=rng.choice(OFF_DELAYS),
            )
        )
    return points


def _side_limits(spec: PointSpec, side: str) -> list[float]:
    keys = ("h", "hh") if side == "high" else ("l", "ll")
    return [spec.limits[k] for k in keys if k in spec.limits]


def make_signal(spec: PointSpec, seconds: int, rng: random.Random) -> tuple[list[float], list[str]]:
    """1 Hz main values for ``seconds`` + :data:`COOLDOWN_S` and the excursion side per second.

    Segments: normal noise inside the quiet band; drifts (ramp to a peak below, between or
    beyond the limits of a side, hold with noise, ramp back); flapping (alternating a little
    above / below the first limit of a side every 1-2 s). A side switch is preceded by at least
    :data:`SIDE_GAP_S` normal seconds; the tail is all normal.
    """
    lo_q, hi_q = spec.quiet_band()
    noise = 0.4 * min(hi_q - spec.mid, spec.mid - lo_q, 20.0)  # normal values stay quiet
    sides = ["high", "low"] if spec.side == "both" else [spec.side]
    values: list[float] = []
    side_of: list[str] = []
    side = rng.choice(sides)

    def normal(d: int, s: str) -> None:
        for _ in range(d):
            values.append(round(spec.mid + rng.uniform(-noise, noise), 2))
            side_of.append(s)

    normal(rng.randint(2, 6), side)
    while len(values) < seconds:
        new_side = rng.choice(sides)
        if new_side != side:
            normal(SIDE_GAP_S, new_side)
            side = new_side
        lims = _side_limits(spec, side)
        sign = 1.0 if side == "high" else -1.0
        first, last = lims[0], lims[-1]
        if rng.random() < 0.7:  # drift
            depth = rng.choice((-0.3, 0.5, 1.2)) * abs(last - spec.mid) * 0.3
            peak = (last if rng.random() < 0.5 else first) + sign * depth
            if sign * (peak - spec.mid) < 1:
                peak = spec.mid + sign * 1
            up, hold, down = rng.randint(1, 6), rng.randint(1, 12), rng.randint(1, 6)
            start = values[-1]
            values.extend(round(start + (peak - start) * (j + 1) / up, 2) for j in range(up))
            values.extend(round(peak + rng.uniform(-0.3, 0.3), 2) for _ in range(hold))
            values.extend(round(peak + (spec.mid - peak) * (j + 1) / (down + 1), 2) for j in range(down))
            side_of.extend([side] * (up + hold + down))
        else:  # flapping around the first limit
            amp = rng.choice((0.5, spec.deadband + 0.5, 3.0))
            period = rng.choice((1, 2))
            n = rng.randint(6, 14)
            values.extend(
                round(first + sign * (amp if (j // period) % 2 == 0 else -amp), 2) for j in range(n)
            )
            side_of.extend([side] * n)
        normal(rng.randint(3, 10), side)
    del values[seconds:], side_of[seconds:]
    normal(COOLDOWN_S, side)
    return values, side_of


def _runs(values: Sequence[float], inside: Any) -> list[tuple[int, int]]:
    """Maximal runs ``(start, length)`` of indices where ``inside(value)`` holds."""
    runs, start = [], None
    for k, v in enumerate(values):
        if inside(v):
            if start is None:
                start = k
        elif start is not None:
            runs.append((start, k - start))
            start = None
    if start is not None:
        runs.append((start, len(values) - start))
    return runs


def fix_ambiguous_runs(values: list[float], spec: PointSpec, limit_end: int) -> int:
    """Lengthen every run of exactly ``on_delay_s`` readings in a raw alarm zone to +2 readings.

    Our engine enters a level after ``on_delay_s + 1`` readings (1 Hz); Prometheus fires after
    ``for:`` of evaluations, which see a run of k scraped readings as k ± 1 evaluations depending
    on the (unknown) phase between scrape and rule evaluation. A run of exactly ``on_delay_s``
    readings is thus one ours ignores but theirs may fire on: the generator avoids it (runs
    before ``limit_end`` only, the tail stays normal). Returns the number of runs lengthened.
    """
    d = spec.on_delay_s
    if d == 0:
        return 0
    fixed = 0
    for _ in range(100):  # lengthening only merges/lengthens runs: converges quickly
        changed = False
        for key, lim in spec.limits.items():
            high = key in ("h", "hh")
            for start, length in _runs(
                values, (lambda v, lim=lim: v >= lim) if high else (lambda v, lim=lim: v <= lim)
            ):
                end = start + length
                if length == d and end + 2 <= limit_end:
                    values[end] = values[end + 1] = values[end - 1]
                    fixed += 1
                    changed = True
                    break
            if changed:
                break
        if not changed:
            return fixed
    raise RuntimeError(f"{spec.name}: ambiguous runs did not converge")


def make_spikes(
    spec: PointSpec, values: Sequence[float], side_of: Sequence[str], seconds: int, rng: random.Random
) -> dict[int, float]:
    """Sub-second spikes (at :data:`SPIKE_AT`, back at :data:`RETURN_AT`), ~4 % of seconds.

    Always outward, toward the side of the current excursion: a spike never breaks a run that
    Prometheus sees (which would let theirs fire where ours may not); it may start a short
    alarm only ours sees (on_delay 0) or delay the end of one of ours (a broken leave run).
    """
    spikes = {}
    lims = list(spec.limits.values())
    scale = max(lims) - min(lims) if len(lims) > 1 else 20.0
    for k in range(seconds):
        if rng.random() < 0.04:
            sign = 1.0 if side_of[k] == "high" else -1.0
            spikes[k] = round(values[k] + sign * rng.uniform(0.2, 0.8) * scale, 2)
    return spikes


def make_scenario(n_points: int, seconds: int, seed: int) -> Scenario:
    """The whole deterministic scenario (same seed → same points, values and spikes)."""
    rng = random.Random(seed)
    points = make_points(n_points, rng)
    main, spikes = [], []
    for spec in points:
        values, side_of = make_signal(spec, seconds, rng)
        fix_ambiguous_runs(values, spec, seconds)
        main.append(values)
        spikes.append(make_spikes(spec, values, side_of, seconds, rng))
    return Scenario(points, main, spikes)


# ---------------------------------------------------------------- configuration files (pure)
def rules_yaml(points: Iterable[PointSpec]) -> str:
    """Prometheus alerting rules: one rule per (level, on_delay, off_delay) in use.

    ``yj_value{on=..,off=..} >= on(point) yj_limit{level="h"}`` (``<=`` for L/LL), ``for:`` =
    on_delay_s, ``keep_firing_for:`` = off_delay_s (Prometheus >= 2.42). The deadband has no
    equivalent in a stateless PromQL comparison; points without a limit simply have no
    ``yj_limit`` series for it, so the rule matches nothing for them. JSON is valid YAML.
    """
    combos = sorted(
        {(lvl, p.on_delay_s, p.off_delay_s) for p in points for lvl in LEVELS if lvl.lower() in p.limits}
    )
    rules = [
        {
            "alert": f"yj_{lvl}",
            "expr": f'yj_value{{on="{on}",off="{off}"}} {">=" if lvl.startswith("H") else "<="} '
            f'on(point) yj_limit{{level="{lvl.lower()}"}}',
            "for": f"{on}s",
            "keep_firing_for": f"{off}s",
            "labels": {"level": lvl},
        }
        for lvl, on, off in combos
    ]
    return json.dumps({"groups": [{"name": "yingji_bench", "interval": "1s", "rules": rules}]}, indent=1)


def prometheus_yaml(exporter_port: int, alertmanager_port: int, rules_file: str) -> str:
    """Prometheus configuration: values scraped every 1 s, limits every 15 s, rules every 1 s."""
    target = [f"127.0.0.1:{exporter_port}"]
    return json.dumps(
        {
            "global": {"scrape_interval": "1s", "scrape_timeout": "800ms", "evaluation_interval": "1s"},
            "rule_files": [rules_file],
            "alerting": {
                "alertmanagers": [{"static_configs": [{"targets": [f"127.0.0.1:{alertmanager_port}"]}]}]
            },
            "scrape_configs": [
                {"job_name": "values", "metrics_path": "/metrics", "static_configs": [{"targets": target}]},
                {
                    "job_name": "limits",
                    "metrics_path": "/limits",
                    "scrape_interval": "15s",
                    "static_configs": [{"targets": target}],
                },
            ],
        },
        indent=1,
    )


def alertmanager_yaml(webhook_port: int) -> str:
    """Alertmanager configuration: every alert its own group, notified at once, resolved too."""
    return json.dumps(
        {
            "route": {
                "receiver": "hook",
                "group_by": ["..."],
                "group_wait": "0s",
                "group_interval": "1s",
                "repeat_interval": "1h",
            },
            "receivers": [
                {
                    "name": "hook",
                    "webhook_configs": [
                        {"url": f"http://127.0.0.1:{webhook_port}/hook", "send_resolved": True}
                    ],
                }
            ],
        },
        indent=1,
    )


def exposition(points: Sequence[PointSpec], values: Sequence[float]) -> str:
    """Prometheus text format of the current values (labels: point, on, off)."""
    lines = ["# TYPE yj_value gauge\n"]
    lines += [
        f'yj_value{{point="{p.name}",on="{p.on_delay_s}",off="{p.off_delay_s}"}} {v!r}\n'
        for p, v in zip(points, values, strict=True)
    ]
    return "".join(lines)


def limits_exposition(points: Iterable[PointSpec]) -> str:
    """Prometheus text format of the configured limits (one series per point and level)."""
    lines = ["# TYPE yj_limit gauge\n"]
    lines += [
        f'yj_limit{{point="{p.name}",level="{k}"}} {v!r}\n'
        for p in points
        for k, v in sorted(p.limits.items())
    ]
    return "".join(lines)


# ---------------------------------------------------------------- episodes and agreement (pure)
@dataclass(frozen=True, order=True)
class Episode:
    """A period during which ``point`` was at least at ``level``; ``end`` None = still open."""

    point: str
    level: str
    start: float
    end: float | None


def our_episodes(events: Iterable[AlarmEvent], configured: Mapping[str, Iterable[str]]) -> list[Episode]:
    """ "At least X" episodes from our level events (offline/online/roc ignored).

    ``configured`` maps a point to its configured limit keys (``"h"``, ``"hh"``...): a level
    counts only when its limit exists (a point with ``hh`` alone is in HH, never "at least H",
    and Prometheus has no ``h`` rule for it either).
    """
    level: dict[str, str] = {}
    opened: dict[tuple[str, str], float] = {}
    keys = {p: set(ks) for p, ks in configured.items()}
    out = []
    for e in events:
        if e.event not in ("raise", "escalate", "deescalate", "clear"):
            continue
        has = keys[e.point]
        before = [x for x in AT_LEAST[level.get(e.point, "N")] if x.lower() in has]
        after = [x for x in AT_LEAST[e.to_level or "N"] if x.lower() in has]
        for x in before:
            if x not in after:
                out.append(Episode(e.point, x, opened.pop((e.point, x)), e.ts))
        for x in after:
            if x not in before:
                opened[(e.point, x)] = e.ts
        level[e.point] = e.to_level or "N"
    out.extend(Episode(p, x, start, None) for (p, x), start in opened.items())
    return sorted(out)


def parse_ts(raw: str) -> float | None:
    """Epoch seconds of an RFC 3339 time from Alertmanager; None for Go's zero time."""
    when = datetime.fromisoformat(raw)
    return None if when.year < 1971 else when.timestamp()


def their_episodes(notifications: Iterable[dict[str, Any]]) -> list[Episode]:
    """Episodes from Alertmanager webhook payloads: one per (point, level, startsAt)."""
    found: dict[tuple[str, str, float], float | None] = {}
    for payload in notifications:
        for alert in payload.get("alerts", []):
            labels = alert["labels"]
            start = parse_ts(alert["startsAt"])
            if start is None or "point" not in labels:
                continue
            key = (labels["point"], labels["level"], start)
            end = parse_ts(alert["endsAt"]) if alert["status"] == "resolved" else None
            if key not in found or end is not None:
                found[key] = end
    return sorted(Episode(p, lvl, s, e) for (p, lvl, s), e in found.items())


def alerts_episodes(series: Iterable[dict[str, Any]], step: float = 1.0) -> list[Episode]:
    """Episodes from a ``query_range`` of ``ALERTS{alertstate="firing"}`` (cross-check of the
    notifications): consecutive points of a series, a gap over 1.5 steps starts a new episode,
    which ends one step after its last point."""
    out = []
    for r in series:
        point, level = r["metric"]["point"], r["metric"]["level"]
        times = [float(t) for t, _ in r["values"]]
        start = times[0]
        for a, b in itertools.pairwise(times):
            if b - a > 1.5 * step:
                out.append(Episode(point, level, start, a + step))
                start = b
        out.append(Episode(point, level, start, times[-1] + step))
    return sorted(out)


def overlaps(a: Episode, b: Episode, tol: float) -> bool:
    """Whether the two episodes overlap, ends extended by ``tol`` seconds (open end = forever)."""
    a_end = math.inf if a.end is None else a.end
    b_end = math.inf if b.end is None else b.end
    return a.start <= b_end + tol and b.start <= a_end + tol


def compare(theirs: Sequence[Episode], ours: Sequence[Episode], tol: float = TOLERANCE_S) -> dict[str, Any]:
    """Agreement: each episode of one side overlapping (± ``tol`` s) one of the same point/level.

    Returns counts and the unmatched episodes of each side (``theirs_not_in_ours`` must be empty).
    """
    by_key: dict[tuple[str, str], list[Episode]] = {}
    for e in ours:
        by_key.setdefault((e.point, e.level), []).append(e)
    their_key: dict[tuple[str, str], list[Episode]] = {}
    for e in theirs:
        their_key.setdefault((e.point, e.level), []).append(e)
    missing = [t for t in theirs if not any(overlaps(t, o, tol) for o in by_key.get((t.point, t.level), []))]
    extra = [o for o in ours if not any(overlaps(o, t, tol) for t in their_key.get((o.point, o.level), []))]
    return {
        "theirs": len(theirs),
        "ours": len(ours),
        "theirs_not_in_ours": missing,
        "ours_not_in_theirs": extra,
    }


def replay(scn: Scenario, t0: float, spikes: bool = True) -> list[AlarmEvent]:
    """Our engine's events on the scenario's readings (without the spikes if ``spikes`` is False)."""
    state = MonitorState.new({p.name: p.config() for p in scn.points})
    events: list[AlarmEvent] = []
    for k in range(len(scn.main[0])):
        ticks = scn.readings(k, t0)
        for batch in ticks if spikes else ticks[:1]:
            state, ev = process_rows(state, batch)
            events.extend(ev)
    return events


def classify_extra(
    extra: Episode, without_spikes: Sequence[Episode], from_alerts: Sequence[Episode] = ()
) -> str:
    """Why one of our episodes has no counterpart among the notified ones.

    ``from_alerts``: episodes of Prometheus' ``ALERTS`` series; one overlapping (± 1 s) means
    Prometheus fired but Alertmanager sent nothing (an alert firing and resolved within
    ``group_interval`` is never notified, not even as resolved). ``without_spikes``: our
    episodes on the same readings minus the sub-second spikes; an episode overlapping none of
    them (strictly: a spike only starts an episode earlier or ends it later) exists because of
    a spike between two scrapes (raised by it, or held on by the deadband after it). Otherwise
    "on-delay boundary": a run of exactly on_delay_s + 1 readings, which ours enters and
    Prometheus' ``for:`` may see one evaluation short.
    """
    key = (extra.point, extra.level)
    if any(overlaps(extra, e, 1.0) for e in from_alerts if (e.point, e.level) == key):
        return "fired in Prometheus, not notified by Alertmanager"
    if not any(overlaps(extra, e, 0.0) for e in without_spikes if (e.point, e.level) == key):
        return "spike between scrapes"
    return "on-delay boundary"
