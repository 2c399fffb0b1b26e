"""Point configuration validation and state (de)serialisation."""

from __future__ import annotations

import pytest

from yingji.engines.monitoring import ConfigError, MonitorState, PointConfig, StateError
from yingji.engines.monitoring.engine import configs_from_mapping


@pytest.mark.parametrize(
    "raw",
    [
        {"h": 10, "hh": 10},
        {"h": 10, "hh": 5},
        {"l": 5, "h": 5},
        {"ll": 0, "l": -1},
        {"ll": 50, "hh": 40},
        {"ll": 1, "h": 0},
    ],
)
def test_limits_out_of_order_rejected(raw):
    with pytest.raises(ConfigError, match="out of order"):
        PointConfig.from_dict(raw)


@pytest.mark.parametrize(
    ("raw", "match"),
    [
        ({"deadband": -1}, "deadband"),
        ({"on_delay_s": -0.1}, "on_delay_s"),
        ({"off_delay_s": -5}, "off_delay_s"),
        ({"offline_s": 0}, "offline_s"),
        ({"roc_per_s": -1}, "roc_per_s"),
        ({"h": "10"}, "number"),
        ({"h": True}, "number"),
        ({"hi": 10}, "unknown key"),
        ({"h": float("nan")}, "finite"),
    ],
)
def test_bad_config_values_rejected(raw, match):
    with pytest.raises(ConfigError, match=match):
        PointConfig.from_dict(raw, where="point 'x'")


def test_missing_keys_default_to_zero_and_absent():
    cfg = PointConfig.from_dict({"h": 5, "deadband": None})
    assert (cfg.deadband, cfg.on_delay_s, cfg.off_delay_s, cfg.offline_s, cfg.hh) == (
        0.0,
        0.0,
        0.0,
        None,
        None,
    )
    assert cfg.to_dict() == {"h": 5.0, "deadband": 0.0, "on_delay_s": 0.0, "off_delay_s": 0.0}


def test_config_error_names_the_point():
    with pytest.raises(ConfigError, match="point 'P7'"):
        configs_from_mapping({"P7": {"h": 1, "hh": 0}})
    with pytest.raises(ConfigError, match="object"):
        configs_from_mapping([1, 2])


def test_state_from_dict_rejects_garbage():
    with pytest.raises(StateError):
        MonitorState.from_dict({"configs": {}, "points": {"x": {}}, "rejected": 0})
    with pytest.raises(StateError):
        MonitorState.from_dict({"nothing": 1})


def test_fresh_state_round_trip():
    st = MonitorState.new({"a": PointConfig(h=1.5, offline_s=3, roc_per_s=0.5)})
    assert MonitorState.from_dict(st.to_dict()) == st
    assert st.level("a") == "N"
