"""Deterministic reading generator for the demo installations (no Django).

Each point has a *behaviour*: ``steady`` (noise around a base), ``drift`` (slow rise through H
and HH, then back), ``drift_low`` (the same downwards), ``spike`` (rare short spikes over HH),
``flap`` (oscillation around the H limit: a flapping point for the noise report), ``fire``
(0, rarely 1 for 30 s). Gateways have deterministic outages (no readings), which drive the
offline alarms. A value depends only on (seed, point, sample index), so any split of the
time range gives the same readings.
"""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class SimPoint:
    """How one point behaves: ``base`` ± ``noise`` (point unit), limits, sampling period, gateway."""

    code: str
    gateway: str
    behaviour: str = "steady"
    base: float = 0.0
    noise: float = 0.0
    h: float | None = None
    hh: float | None = None
    l: float | None = None  # noqa: E741
    ll: float | None = None
    period_s: float = 5.0


def _rng(seed: int, *parts: object) -> random.Random:
    return random.Random(zlib.crc32(":".join(map(str, (seed, *parts))).encode()))


class Simulator:
    """Readings of ``points`` for a time range; deterministic for a ``seed``.

    Args:
        points: the points to simulate.
        seed: any integer.
        outage_every_s: each gateway has one outage of ``outage_len_s`` in every window of
            this length, at a seeded offset (0 disables outages).
        outage_len_s: outage length (s).
    """

    def __init__(
        self,
        points: list[SimPoint],
        *,
        seed: int = 1,
        outage_every_s: float = 1800.0,
        outage_len_s: float = 150.0,
    ) -> None:
        self.points = points
        self.seed = seed
        self.outage_every_s = outage_every_s
        self.outage_len_s = outage_len_s

    def gateway_down(self, gateway: str, ts: float) -> bool:
        """Whether ``gateway`` is in an outage at ``ts``."""
        if not self.outage_every_s:
            return False
        window = int(ts // self.outage_every_s)
        start = window * self.outage_every_s + _rng(self.seed, "outage", gateway, window).uniform(
            0, self.outage_every_s - self.outage_len_s
        )
        return start <= ts < start + self.outage_len_s

    def value(self, p: SimPoint, k: int) -> float:
        """Value of sample ``k`` (at ``k * period_s``) of point ``p``."""
        rng = _rng(self.seed, p.code, k)
        t = k * p.period_s
        noise = rng.gauss(0.0, p.noise) if p.noise else 0.0
        if p.behaviour == "fire":
            episode = int(t // 900)
            fire_rng = _rng(self.seed, p.code, "fire", episode)
            on = fire_rng.random() < 0.25 and (t % 900) < 30
            return 1.0 if on else 0.0
        if p.behaviour in ("drift", "drift_low"):
            top = p.hh if p.behaviour == "drift" else p.ll
            if top is None:
                top = p.h if p.behaviour == "drift" else p.l
            span = ((top if top is not None else p.base * 1.5) - p.base) * 1.1
            phase = (t % 1200) / 1200.0  # 20-minute cycle: up for half, down for half
            shape = max(0.0, math.sin(math.pi * phase)) ** 2
            return p.base + span * shape + noise
        if p.behaviour == "spike":
            spike_rng = _rng(self.seed, p.code, "spike", int(t // 60))
            if spike_rng.random() < 0.08 and (t % 60) < 3 * p.period_s:
                top = p.hh if p.hh is not None else (p.h if p.h is not None else p.base * 2)
                return top * 1.1 + abs(noise)
            return p.base + noise
        if p.behaviour == "flap":
            limit = p.h if p.h is not None else p.base
            return limit + 1.5 * p.noise * math.sin(2 * math.pi * t / 40.0) + noise * 0.2
        return p.base + noise

    def readings(self, start: float, end: float) -> Iterator[tuple[str, float, float]]:
        """``(point code, ts, value)`` of every sample with ``start <= ts < end`` (epoch s), by time."""
        due: list[tuple[float, int, SimPoint]] = []
        for i, p in enumerate(self.points):
            k0 = math.ceil(start / p.period_s)
            k1 = math.ceil(end / p.period_s)
            for k in range(k0, k1):
                due.append((k * p.period_s, i, p))
        due.sort(key=lambda x: (x[0], x[1]))
        for ts, _i, p in due:
            if self.gateway_down(p.gateway, ts):
                continue
            yield p.code, ts, round(self.value(p, round(ts / p.period_s)), 4)
