"""CLI contract: ``yingji divisions list [--level ...] [--json]`` and ``yingji load-reference`` errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from yingji.cli import main

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]


def _run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_divisions_list_json_contract(capsys):
    code, out, _ = _run(capsys, "divisions", "list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 87
    assert all({"code", "name", "level", "parent_code", "population"} <= set(r) for r in rows)
    county = next(r for r in rows if r["level"] == "county")
    assert county == {
        **county,
        "code": "652826000000",
        "name": "焉耆回族自治县",
        "parent_code": "652800000000",
        "population": 122961,
    }


@pytest.mark.parametrize(("level", "count"), [("county", 1), ("township", 10), ("village", 76)])
def test_divisions_list_by_level(capsys, level, count):
    code, out, _ = _run(capsys, "divisions", "list", "--level", level, "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == count and {r["level"] for r in rows} == {level}


def test_divisions_list_text(capsys):
    code, out, _ = _run(capsys, "divisions", "list", "--level", "township")
    assert code == 0 and len(out.strip().splitlines()) == 10
    assert out.splitlines()[0].split("\t")[:3] == ["652826100000", "焉耆镇", "township"]


def test_bad_level_is_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["divisions", "list", "--level", "province"])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "invalid choice" in err[0]


def test_load_reference_corrupt_file_exit_1_one_line(capsys, tmp_path):
    dest = tmp_path / "c"
    shutil.copytree(ROOT / "data" / "yanqi", dest)
    pts = dest / "poi" / "township_points_amap_2016.csv"
    pts.write_text(pts.read_text(encoding="utf-8").replace("86.302722", "east"), encoding="utf-8")
    code, out, err = _run(capsys, "load-reference", "--manifest", str(dest / "reference.json"), "--quiet")
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "township_points_amap_2016.csv:4:" in lines[0] and "not a number" in lines[0]


def test_unanticipated_bad_input_is_one_line_exit_2(capsys, tmp_path):
    binary = tmp_path / "rules.csv"
    binary.write_bytes(bytes(range(128, 256)))
    code = main(["incident", "grade", "--category", "natural_disaster", "--rules", str(binary), "--json"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "unreadable input" in err[0]
