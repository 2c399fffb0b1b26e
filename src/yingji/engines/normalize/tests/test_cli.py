"""``yingji normalize`` and ``yingji geo convert`` (subprocess and in-process)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from yingji.cli import main

YINGJI = str(Path(sys.executable).with_name("yingji"))


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        rc = main(args)
    except SystemExit as exc:  # argparse usage errors
        rc = int(exc.code or 0)
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.mark.parametrize(
    ("args", "value"),
    [
        (["id", "11010519491231002x"], "11010519491231002X"),
        (["uscc", "91350100M000100Y43"], "91350100M000100Y43"),
        (["phone", "+86 138 0013 8000"], "13800138000"),
        (["phone", "0996 6021234"], "0996-6021234"),
        (["date", "二〇二四年三月五日"], "2024-03-05"),
        (["date", "61"], "1900-03-01"),
        (["date", "3月5日", "--context-year", "2023"], "2023-03-05"),
        (["number", "两千零五"], "2005"),
        (["number", "-1,234.5"], "-1234.5"),
        (["area", "3亩"], "2000"),
        (["area", "2", "--unit", "公顷"], "20000"),
        (["money", "1.2万元"], "12000"),
    ],
)
def test_normalize_valid(args: list[str], value: str, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = _run(["normalize", *args, "--json"], capsys)
    doc = json.loads(out)
    assert rc == 0
    assert set(doc) == {"valid", "value", "warnings", "error"}
    assert doc["valid"] is True and doc["value"] == value and doc["error"] is None
    assert isinstance(doc["warnings"], list)


@pytest.mark.parametrize(
    "args",
    [
        ["id", "110105194912310021"],
        ["uscc", "91350100M000100Y44"],
        ["date", "60"],
        ["date", "3月5日"],
        ["number", "若干"],
        ["phone", "12345"],
        ["area", "约3亩"],
        ["money", "abc"],
        ["id", "6.52826E+17"],
    ],
)
def test_normalize_invalid_exit_1(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = _run(["normalize", *args, "--json"], capsys)
    doc = json.loads(out)
    assert rc == 1
    assert doc["valid"] is False and doc["value"] is None and isinstance(doc["error"], str)


@pytest.mark.parametrize(
    "args",
    [
        ["normalize"],
        ["normalize", "foo", "1"],
        ["normalize", "id"],
        ["normalize", "date", "1", "--context-year", "x"],
        ["geo", "convert", "--from", "utm", "--to", "wgs84", "1", "2"],
        ["geo", "convert", "--from", "gcj02", "1", "2"],
        ["geo", "convert", "--from", "gcj02", "--to", "wgs84", "a", "2"],
        ["geo", "convert", "--from", "gcj02", "--to", "wgs84", "86", "95"],
    ],
)
def test_usage_errors_exit_2_one_line(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, err = _run(args, capsys)
    assert rc == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_geo_convert_json(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = _run(
        ["geo", "convert", "--from", "gcj02", "--to", "bd09", "116.404", "39.915", "--json"], capsys
    )
    doc = json.loads(out)
    assert rc == 0 and set(doc) == {"lng", "lat"}
    # wandergis/coordtransform published gcj02tobd09(116.404, 39.915), rounded to 7 decimals
    assert doc == {"lng": round(116.41036949371029, 7), "lat": round(39.92133699351021, 7)}
    rc, out, _ = _run(
        ["geo", "convert", "--from", "wgs84", "--to", "wgs84", "86.5", "42.0", "--json"], capsys
    )
    assert json.loads(out) == {"lng": 86.5, "lat": 42.0}


def test_subprocess_contracts() -> None:
    proc = subprocess.run(
        [YINGJI, "normalize", "date", "2024年3月5日", "--json"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == {"valid": True, "value": "2024-03-05", "warnings": [], "error": None}
    proc = subprocess.run(
        [YINGJI, "geo", "convert", "--from", "bd09", "--to", "wgs84", "86.58", "42.07", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    doc = json.loads(proc.stdout)
    assert all(isinstance(doc[k], float) for k in ("lng", "lat"))
    proc = subprocess.run(
        [YINGJI, "normalize", "uscc", "X", "--json"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 1 and "统一社会信用代码" in proc.stdout  # ensure_ascii=False
    proc = subprocess.run([YINGJI, "normalize", "nope", "1"], capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
