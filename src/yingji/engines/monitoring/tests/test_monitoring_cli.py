"""CLI contract: ``yingji monitoring replay --points --samples [--until] --json``."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from yingji.cli import main

from .scenario_monitoring import POINTS, REJECTED, csv_text, expected_cli

YINGJI = Path(__file__).resolve().parents[5] / ".venv" / "bin" / "yingji"


@pytest.fixture
def files(tmp_path):
    points = tmp_path / "points.json"
    samples = tmp_path / "samples.csv"
    points.write_text(json.dumps(POINTS), encoding="utf-8")
    samples.write_text(csv_text(), encoding="utf-8")
    return points, samples


def _run(capsys, *args):
    code = main(["monitoring", "replay", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_replay_json_matches_hand_computed_scenario(files, capsys):
    points, samples = files
    code, out, err = _run(capsys, "--points", points, "--samples", samples, "--json")
    assert code == 0
    assert json.loads(out) == expected_cli(tail=True)
    assert f"rejected {REJECTED} " in err


def test_ts_types_int_when_integral_float_otherwise(files, capsys):
    points, samples = files
    _, out, _ = _run(capsys, "--points", points, "--samples", samples, "--json")
    got = json.loads(out)
    d_events = [e for e in got if e["point"] == "D"]
    assert [type(e["ts"]) for e in d_events] == [int, float, float]
    assert all(e["from"] is None and e["to"] is None for e in got if e["event"] in ("offline", "online"))
    assert set(got[0]) == {"point", "ts", "event", "from", "to"}


@pytest.mark.parametrize(("until", "tail"), [("300", False), ("325", True), ("1000", True)])
def test_until_controls_trailing_offline(files, capsys, until, tail):
    points, samples = files
    code, out, _ = _run(capsys, "--points", points, "--samples", samples, "--until", until, "--json")
    assert code == 0
    assert json.loads(out) == expected_cli(tail=tail)


def test_subprocess_entry_point(files):
    points, samples = files
    proc = subprocess.run(
        [str(YINGJI), "monitoring", "replay", "--points", str(points), "--samples", str(samples), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == expected_cli(tail=True)
    assert proc.stderr.strip() == f"yingji monitoring replay: rejected {REJECTED} out-of-order sample(s)"


def test_header_only_file_gives_empty_list(tmp_path, capsys):
    (tmp_path / "p.json").write_text('{"x": {"h": 1, "offline_s": 5}}')
    (tmp_path / "s.csv").write_text("ts,point,value\n")
    code, out, err = _run(capsys, "--points", tmp_path / "p.json", "--samples", tmp_path / "s.csv", "--json")
    assert (code, json.loads(out), err) == (0, [], "")


def test_text_output_without_json_flag(files, capsys):
    points, samples = files
    code, out, _ = _run(capsys, "--points", points, "--samples", samples)
    assert code == 0
    assert "\tA\tescalate H->HH" in out


def _bad(tmp_path, points_text, samples_text):
    p = tmp_path / "points.json"
    s = tmp_path / "samples.csv"
    p.write_text(points_text, encoding="utf-8")
    s.write_text(samples_text, encoding="utf-8")
    return p, s


@pytest.mark.parametrize(
    ("points_text", "samples_text", "needles"),
    [
        (
            '{"a": {"h": 1}}',
            "ts,point,value\n0,a,1\n1,zz,2\n",
            ["samples.csv", "row 2", "unknown point 'zz'"],
        ),
        ('{"a": {"h": 1}}', "ts,point,value\n0,a,abc\n", ["samples.csv", "row 1", "bad value 'abc'"]),
        ('{"a": {"h": 1}}', "ts,point,value\n0,a,1\nxx,a,1\n", ["samples.csv", "row 2", "bad ts 'xx'"]),
        ('{"a": {"h": 1}}', "ts,point,value\n0,a,nan\n", ["samples.csv", "row 1", "not finite"]),
        ('{"a": {"h": 1}}', "ts,point,value\n0,a\n", ["samples.csv", "row 1", "3 fields"]),
        ('{"a": {"h": 1}}', "time,point,value\n0,a,1\n", ["samples.csv", "header"]),
        ('{"a": {"h": 5, "hh": 5}}', "ts,point,value\n", ["points.json", "'a'", "out of order"]),
        ('{"a": {"h": 1, "l": 2}}', "ts,point,value\n", ["points.json", "out of order"]),
        ('{"a": {"h": "x"}}', "ts,point,value\n", ["points.json", "number"]),
        ('{"a": {"hi": 1}}', "ts,point,value\n", ["points.json", "unknown key"]),
        ('{"a": {"deadband": -1}}', "ts,point,value\n", ["points.json", "deadband"]),
        ('{"a": ', "ts,point,value\n", ["points.json", "invalid JSON"]),
        ("[1]", "ts,point,value\n", ["points.json", "object"]),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, points_text, samples_text, needles):
    p, s = _bad(tmp_path, points_text, samples_text)
    code, out, err = _run(capsys, "--points", p, "--samples", s, "--json")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    for needle in needles:
        assert needle in err


@pytest.mark.parametrize("which", ["points", "samples"])
def test_missing_file_exits_2(tmp_path, capsys, which):
    p, s = _bad(tmp_path, '{"a": {}}', "ts,point,value\n")
    missing = tmp_path / "missing.any"
    args = [
        "--points",
        missing if which == "points" else p,
        "--samples",
        missing if which == "samples" else s,
    ]
    code, _, err = _run(capsys, *args, "--json")
    assert code == 2
    assert err.count("\n") == 1 and "missing.any" in err and "not found" in err


def test_bad_until_is_a_usage_error(files, capsys):
    points, samples = files
    with pytest.raises(SystemExit) as exc:
        main(["monitoring", "replay", "--points", str(points), "--samples", str(samples), "--until", "soon"])
    assert exc.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_header_columns_by_name_and_non_ascii_point_ids(tmp_path, capsys):
    (tmp_path / "p.json").write_text(
        json.dumps({"浸润线-1": {"h": 10}}, ensure_ascii=False), encoding="utf-8"
    )
    (tmp_path / "s.csv").write_text("\ufeffpoint, value ,ts\n浸润线-1,12,1.5\n", encoding="utf-8")
    code, out, _ = _run(capsys, "--points", tmp_path / "p.json", "--samples", tmp_path / "s.csv", "--json")
    assert code == 0
    assert "浸润线-1" in out  # ensure_ascii=False
    assert json.loads(out) == [{"point": "浸润线-1", "ts": 1.5, "event": "raise", "from": "N", "to": "H"}]
