"""Monitoring alarm engine: sensor readings → alarm events (HH/H/L/LL, deadband, delays,
offline, rate of change), plus the tailings-dam colour roll-up (GB 50863-2013 §5.5.4).

Pure layer, no Django. See ``docs/engines/monitoring.md`` for the rule contract.
"""

from yingji.engines.monitoring.engine import advance, process, process_rows, sort_events
from yingji.engines.monitoring.model import (
    AlarmEvent,
    ConfigError,
    MonitorState,
    PointConfig,
    PointState,
    Sample,
    StateError,
)
from yingji.engines.monitoring.rollup import DamRollup, RollupConfig, RollupRule, roll_up, roll_up_dam
from yingji.engines.monitoring.vectorised import process_batch, process_coded

__all__ = [
    "AlarmEvent",
    "ConfigError",
    "DamRollup",
    "MonitorState",
    "PointConfig",
    "PointState",
    "RollupConfig",
    "RollupRule",
    "Sample",
    "StateError",
    "advance",
    "process",
    "process_batch",
    "process_coded",
    "process_rows",
    "roll_up",
    "roll_up_dam",
    "sort_events",
]
