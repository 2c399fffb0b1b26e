"""Data model of the monitoring alarm engine: point configuration, per-point state, events.

Levels are encoded internally as signed integers: ``N = 0``, ``H = 1``, ``HH = 2``,
``L = -1``, ``LL = -2`` (the sign is the side, the magnitude the severity). The public
names are the strings ``"N" "H" "HH" "L" "LL"``; the rate-of-change alarm uses ``"ROC"``.

Everything here is a frozen dataclass that converts to and from a JSON-compatible dict
(``to_dict`` / ``from_dict``), so that a restarted process resumes pending timers exactly.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from yingji.engines.monitoring.pointmap import PointMap

N, H, HH, L, LL = 0, 1, 2, -1, -2
LEVEL_NAMES: dict[int, str] = {N: "N", H: "H", HH: "HH", L: "L", LL: "LL"}
LEVEL_CODES: dict[str, int] = {name: code for code, name in LEVEL_NAMES.items()}
ROC = "ROC"

EventKind = Literal["raise", "escalate", "deescalate", "clear", "offline", "online", "roc"]

#: Keys accepted in a point configuration mapping (``POINTS.json`` values).
CONFIG_KEYS: tuple[str, ...] = (
    "hh",
    "h",
    "l",
    "ll",
    "deadband",
    "on_delay_s",
    "off_delay_s",
    "offline_s",
    "roc_per_s",
)


class ConfigError(ValueError):
    """A point configuration is invalid (limits out of order, negative delay, bad type...)."""


class StateError(ValueError):
    """A serialised state dict is malformed."""


def _opt_number(raw: Mapping[str, Any], key: str, where: str) -> float | None:
    if key not in raw or raw[key] is None:
        return None
    value = raw[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where}: {key} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ConfigError(f"{where}: {key} must be finite, got {value!r}")
    return number


@dataclass(frozen=True, slots=True)
class PointConfig:
    """Alarm rules of one monitoring point (测点).

    Attributes:
        hh, h, l, ll: limits in the point's engineering unit (any subset; ``None`` = absent).
            Those present must satisfy ``ll < l < h < hh``.
        deadband: hysteresis in the same unit, >= 0 (used by the leave rule only).
        on_delay_s: seconds a raw state must persist before a level is entered, >= 0.
        off_delay_s: seconds the leave condition must persist before a level is left, >= 0.
        offline_s: seconds of silence after which the point is offline (``None``: never).
        roc_per_s: maximum allowed ``|Δv/Δt|`` in unit per second (``None``: no ROC alarm).

    Raises:
        ConfigError: from ``__post_init__`` when the rules are inconsistent.
    """

    hh: float | None = None
    h: float | None = None
    l: float | None = None  # noqa: E741 - the limit's conventional name
    ll: float | None = None
    deadband: float = 0.0
    on_delay_s: float = 0.0
    off_delay_s: float = 0.0
    offline_s: float | None = None
    roc_per_s: float | None = None
    compiled: tuple[float, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for key in CONFIG_KEYS:
            value = getattr(self, key)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise ConfigError(f"{key} must be a finite number, got {value!r}")
        present = [(k, getattr(self, k)) for k in ("ll", "l", "h", "hh") if getattr(self, k) is not None]
        for (k1, v1), (k2, v2) in itertools.pairwise(present):
            if not v1 < v2:
                order = " < ".join(k for k, _ in present)
                raise ConfigError(f"limits out of order: need {order}, got {k1}={v1} >= {k2}={v2}")
        for key in ("deadband", "on_delay_s", "off_delay_s"):
            if getattr(self, key) < 0:
                raise ConfigError(f"{key} must be >= 0, got {getattr(self, key)}")
        for key in ("offline_s", "roc_per_s"):
            value = getattr(self, key)
            if value is not None and value <= 0:
                raise ConfigError(f"{key} must be > 0, got {value}")
        object.__setattr__(self, "compiled", _compile(self))

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], where: str = "point") -> PointConfig:
        """Build from a ``POINTS.json``-style mapping; missing deadband/delays = 0.

        Raises:
            ConfigError: unknown key, non-numeric value, or inconsistent rules (message starts
                with ``where``).
        """
        if not isinstance(raw, Mapping):
            raise ConfigError(f"{where}: configuration must be an object, got {type(raw).__name__}")
        unknown = sorted(set(raw) - set(CONFIG_KEYS))
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(map(repr, unknown))}")
        values = {k: _opt_number(raw, k, where) for k in CONFIG_KEYS}
        try:
            return cls(
                hh=values["hh"],
                h=values["h"],
                l=values["l"],
                ll=values["ll"],
                deadband=values["deadband"] or 0.0,
                on_delay_s=values["on_delay_s"] or 0.0,
                off_delay_s=values["off_delay_s"] or 0.0,
                offline_s=values["offline_s"],
                roc_per_s=values["roc_per_s"],
            )
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None

    def to_dict(self) -> dict[str, float]:
        """JSON-compatible dict holding only the keys that are set (inverse of ``from_dict``)."""
        return {k: getattr(self, k) for k in CONFIG_KEYS if getattr(self, k) is not None}


def _compile(cfg: PointConfig) -> tuple[float, ...]:
    """Thresholds of ``cfg`` as a flat tuple with infinities for absent limits.

    Returns ``(hh, h, l, ll, hh - db, h - db, l + db, ll + db, on_delay_s, off_delay_s,
    offline_s or inf, roc_per_s or inf, quiet_lo, quiet_hi)``; absent high limits are ``+inf``
    and absent low limits ``-inf`` so that comparisons need no ``None`` checks. ``quiet_lo <
    v < quiet_hi`` (``max(l + db, ll + db)``, ``min(h - db, hh - db)``) is the "quiet" zone where
    a value is in no raw alarm state and meets every leave condition (the scalar fast path).
    Stored as ``PointConfig.compiled``.
    """
    inf = math.inf
    hh = inf if cfg.hh is None else cfg.hh
    h = inf if cfg.h is None else cfg.h
    lo = -inf if cfg.l is None else cfg.l
    ll = -inf if cfg.ll is None else cfg.ll
    db = cfg.deadband
    return (
        hh,
        h,
        lo,
        ll,
        hh - db,
        h - db,
        lo + db,
        ll + db,
        cfg.on_delay_s,
        cfg.off_delay_s,
        inf if cfg.offline_s is None else cfg.offline_s,
        inf if cfg.roc_per_s is None else cfg.roc_per_s,
        max(lo + db, ll + db),
        min(h - db, hh - db),
    )


#: Compact per-point runtime state stored in :attr:`MonitorState.points` (hot path):
#: ``(compiled_config, level, last_ts, last_value, offline, roc_active, sH, sHH, sL, sLL,
#: lH, lHH, lL, lLL)``; ``compiled_config`` is ``PointConfig.compiled`` (carried along so that
#: one dict lookup per reading suffices), the rest is described in :class:`PointState`.
PointTuple = tuple[
    tuple[float, ...],
    int,
    float | None,
    float | None,
    bool,
    bool,
    float | None,
    float | None,
    float | None,
    float | None,
    float | None,
    float | None,
    float | None,
    float | None,
]


def fresh_tuple(cfg: PointConfig) -> PointTuple:
    """Runtime state of a point never seen: level N, no sample, no timer."""
    return (cfg.compiled, N, None, None, False, False, None, None, None, None, None, None, None, None)


@dataclass(frozen=True, slots=True)
class PointState:
    """Typed view of one point's runtime state (the engine stores it as a :data:`PointTuple`).

    Attributes:
        level: current alarm level code (0, ±1, ±2).
        last_ts: timestamp (s) of the last accepted sample, ``None`` before the first.
        last_value: value of that sample.
        offline: True once :func:`~yingji.engines.monitoring.engine.advance` declared the point
            offline (the next sample emits ``online``).
        roc_active: whether the rate-of-change alarm is raised.
        enter_start: start ts of the current unbroken run of raw states at least as severe as
            ``H, HH, L, LL`` (in that order), ``None`` when no run.
        leave_start: start ts of the current unbroken run of the leave condition of
            ``H, HH, L, LL`` (``v < limit - db`` high side, ``v > limit + db`` low side).
    """

    level: int = N
    last_ts: float | None = None
    last_value: float | None = None
    offline: bool = False
    roc_active: bool = False
    enter_start: tuple[float | None, float | None, float | None, float | None] = (None, None, None, None)
    leave_start: tuple[float | None, float | None, float | None, float | None] = (None, None, None, None)

    @classmethod
    def from_tuple(cls, t: PointTuple) -> PointState:
        """View of a compact :data:`PointTuple`."""
        return cls(t[1], t[2], t[3], t[4], t[5], (t[6], t[7], t[8], t[9]), (t[10], t[11], t[12], t[13]))

    def as_tuple(self, cfg: PointConfig) -> PointTuple:
        """The compact :data:`PointTuple` form for a point configured by ``cfg``."""
        return (
            cfg.compiled,
            self.level,
            self.last_ts,
            self.last_value,
            self.offline,
            self.roc_active,
            *self.enter_start,
            *self.leave_start,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-compatible dict (levels as names)."""
        return {
            "level": LEVEL_NAMES[self.level],
            "last_ts": self.last_ts,
            "last_value": self.last_value,
            "offline": self.offline,
            "roc_active": self.roc_active,
            "enter_start": list(self.enter_start),
            "leave_start": list(self.leave_start),
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> PointState:
        """Inverse of :meth:`to_dict`.

        Raises:
            StateError: missing key or wrong type.
        """
        try:
            enter = tuple(None if x is None else float(x) for x in raw["enter_start"])
            leave = tuple(None if x is None else float(x) for x in raw["leave_start"])
            if len(enter) != 4 or len(leave) != 4:
                raise StateError("enter_start/leave_start must have 4 entries")
            return cls(
                level=LEVEL_CODES[raw["level"]],
                last_ts=None if raw["last_ts"] is None else float(raw["last_ts"]),
                last_value=None if raw["last_value"] is None else float(raw["last_value"]),
                offline=bool(raw["offline"]),
                roc_active=bool(raw["roc_active"]),
                enter_start=enter,
                leave_start=leave,
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, StateError):
                raise
            raise StateError(f"bad point state: {exc!r}") from None


@dataclass(frozen=True, slots=True)
class MonitorState:
    """Whole engine state: configuration, per-point runtime state, rejected-sample count.

    Build a fresh one with :meth:`new`; feed it to
    :func:`~yingji.engines.monitoring.engine.process`. ``points`` may be given as any mapping;
    it is stored as a :class:`~yingji.engines.monitoring.pointmap.PointMap` (immutable; the
    engine derives the next state's map from it in O(changed points), not O(points)).
    """

    configs: Mapping[str, PointConfig]
    points: Mapping[str, PointTuple] = field(default_factory=dict)
    rejected: int = 0

    def __post_init__(self) -> None:
        # Any mapping given is copied once into a PointMap (persistent: successors cost
        # O(changed points), see pointmap.py); a PointMap is shared as is (immutable).
        if not isinstance(self.points, PointMap):
            object.__setattr__(self, "points", PointMap(self.points))

    @classmethod
    def new(cls, configs: Mapping[str, PointConfig]) -> MonitorState:
        """Fresh state (every point at level N, never seen) for the given configuration."""
        return cls(configs=dict(configs), points={p: fresh_tuple(c) for p, c in configs.items()}, rejected=0)

    def level(self, point: str) -> str:
        """Current level name of ``point`` ("N", "H", "HH", "L", "LL"). Raises KeyError."""
        return LEVEL_NAMES[self.points[point][1]]

    def point_state(self, point: str) -> PointState:
        """Typed view of ``point``'s runtime state. Raises KeyError."""
        return PointState.from_tuple(self.points[point])

    def to_dict(self) -> dict[str, Any]:
        """JSON-compatible dict: ``{"configs": {...}, "points": {...}, "rejected": int}``."""
        return {
            "configs": {p: c.to_dict() for p, c in self.configs.items()},
            "points": {p: PointState.from_tuple(s).to_dict() for p, s in self.points.items()},
            "rejected": self.rejected,
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> MonitorState:
        """Inverse of :meth:`to_dict`.

        Raises:
            ConfigError: a configuration is invalid.
            StateError: the dict is malformed.
        """
        try:
            configs = {p: PointConfig.from_dict(c, where=f"point {p!r}") for p, c in raw["configs"].items()}
            states = {p: PointState.from_dict(s) for p, s in raw["points"].items()}
            rejected = int(raw["rejected"])
        except (KeyError, AttributeError, TypeError) as exc:
            raise StateError(f"bad monitor state: {exc!r}") from None
        if set(states) != set(configs):
            raise StateError("points and configs must name the same points")
        points = {p: states[p].as_tuple(c) for p, c in configs.items()}
        return cls(configs=configs, points=points, rejected=rejected)


@dataclass(frozen=True, slots=True)
class Sample:
    """One reading: ``ts`` epoch seconds, ``point`` id, ``value`` in the point's unit."""

    ts: float
    point: str
    value: float


@dataclass(frozen=True, slots=True)
class AlarmEvent:
    """One alarm event.

    Attributes:
        point: point id.
        ts: epoch seconds at which the event happens.
        event: ``raise`` (N→X), ``escalate`` (to a more severe level of the same side),
            ``deescalate`` (to a less severe non-N level), ``clear`` (→N), ``offline``,
            ``online``, or ``roc`` (rate-of-change alarm raised ``N→ROC`` or cleared ``ROC→N``).
        from_level, to_level: level names; ``None`` for offline/online.
    """

    point: str
    ts: float
    event: EventKind
    from_level: str | None
    to_level: str | None

    def to_dict(self) -> dict[str, Any]:
        """The CLI JSON shape ``{"point","ts","event","from","to"}`` (ts int when integral)."""
        ts: float | int = int(self.ts) if float(self.ts).is_integer() else self.ts
        return {
            "point": self.point,
            "ts": ts,
            "event": self.event,
            "from": self.from_level,
            "to": self.to_level,
        }
