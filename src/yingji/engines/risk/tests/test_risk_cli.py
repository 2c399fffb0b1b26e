"""CLI contracts: ``yingji hazard assess``, ``yingji risk lec|ls|cas|hidden-danger``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from yingji.cli import main

YINGJI = str(Path(sys.executable).with_name("yingji"))


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, obj: object, name: str = "unit.json") -> str:
    p = tmp_path / name
    p.write_text(obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    return str(p)


def test_assess_contract_example1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # gb18218_examples.md Example 1
    f = write(tmp_path, {"exposed_population": 60, "substances": [{"name": "二氧化硫", "quantity_t": 200}]})
    code, out, err = run(["hazard", "assess", f, "--json"], capsys)
    assert code == 0 and err == ""
    d = json.loads(out)
    assert d["S"] == 10 and d["is_major_hazard"] is True and d["alpha"] == 1.5
    assert d["R"] == 30 and d["level"] == 3 and d["level_zh"] == "三级"
    (term,) = d["terms"]
    assert {k: term[k] for k in ("name", "q", "Q", "beta")} == {
        "name": "二氧化硫",
        "q": 200,
        "Q": 20,
        "beta": 2,
    }
    for key in ("S", "alpha", "R"):
        assert isinstance(d[key], int | float) and not isinstance(d[key], bool)


def test_assess_exact_one_and_not_major(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    unit = {
        "exposed_population": 0,
        "substances": [
            {"name": "乙醚", "quantity_t": 1, "hazard_class": "W5.1"},
            {"name": "汽油", "quantity_t": 100.0, "hazard_class": "W5.1"},
            {"name": "乙醇", "cas": "64-17-5", "quantity_t": 200, "hazard_class": "W5.3"},
        ],
    }
    code, out, _ = run(["hazard", "assess", write(tmp_path, unit), "--json"], capsys)
    d = json.loads(out)
    assert code == 0 and d["S"] == 1 and d["is_major_hazard"] is True
    assert d["alpha"] == 0.5 and d["R"] == pytest.approx(0.5 * (0.15 + 0.75 + 0.4)) and d["level"] == 4
    unit["substances"] = unit["substances"][:2]
    code, out, _ = run(["hazard", "assess", write(tmp_path, unit), "--json"], capsys)
    d = json.loads(out)
    assert d["is_major_hazard"] is False and d["R"] is None and d["level"] is None


def test_assess_table2_substance(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    unit = {
        "exposed_population": 120,
        "substances": [{"name": "某溶剂", "quantity_t": 1500, "hazard_class": "W5.3"}],
    }
    code, out, _ = run(["hazard", "assess", write(tmp_path, unit), "--json"], capsys)
    d = json.loads(out)
    assert code == 0 and d["S"] == 1.5 and d["terms"][0]["Q"] == 1000 and d["terms"][0]["beta"] == 1
    assert d["R"] == 3 and d["level"] == 4


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ({"exposed_population": 5, "substances": [{"name": "某未知物", "quantity_t": 3}]}, "某未知物"),
        ({"exposed_population": 5, "substances": [{"name": "氨", "quantity_t": -3}]}, "氨"),
        ("{not json", "malformed JSON"),
        ({"exposed_population": -1, "substances": []}, "exposed_population"),
        ({"substances": []}, "exposed_population"),
        ({"exposed_population": 1, "substances": [{"name": "氨", "quantity_t": "3"}]}, "quantity_t"),
        (
            {"exposed_population": 1, "substances": [{"name": "氨", "quantity_t": 3, "cas": "7664-41-8"}]},
            "7664-41-8",
        ),
        ({"exposed_population": 1, "substances": [{"name": "硝化纤维素", "quantity_t": 3}]}, "硝化纤维素"),
        ({"exposed_population": 1, "substances": {"name": "氨"}}, "substances"),
        ('{"exposed_population": 1, "substances": [{"name": "氨", "quantity_t": NaN}]}', "malformed JSON"),
        ([1, 2], "object"),
    ],
)
def test_assess_errors_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: object, fragment: str
) -> None:
    code, out, err = run(["hazard", "assess", write(tmp_path, content), "--json"], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and fragment in err and "Traceback" not in err


def test_assess_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["hazard", "assess", str(tmp_path / "none.json"), "--json"], capsys)
    assert code == 2 and err.count("\n") == 1 and "none.json" in err


def test_assess_strict_and_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path, {"exposed_population": 1, "substances": [{"name": "苯", "quantity_t": 60}]})
    code, out, _ = run(["hazard", "assess", f, "--json"], capsys)
    d = json.loads(out)
    assert code == 0 and d["is_major_hazard"] and d["R"] is None and d["grading_incomplete"] == ["苯"]
    code, _, err = run(["hazard", "assess", f, "--strict"], capsys)
    assert code == 2 and "苯" in err
    f2 = write(
        tmp_path, {"exposed_population": 1, "substances": [{"name": "氨", "quantity_t": 10}]}, "u2.json"
    )
    code, out, _ = run(["hazard", "assess", f2], capsys)
    assert code == 0 and "四级" in out and "S = " in out


def test_lec_contract(capsys: pytest.CaptureFixture[str]) -> None:
    # risk_examples.md LEC ex1 row 火灾、爆炸: 3 x 10 x 15 = 450 -> 极其危险, 红
    code, out, _ = run(["risk", "lec", "--l", "3", "--e", "10", "--c", "15", "--json"], capsys)
    d = json.loads(out)
    assert (
        code == 0
        and d["D"] == 450
        and d["grade"] == 1
        and d["colour"] == "红"
        and d["level_zh"] == "重大风险"
    )
    code, out, _ = run(["risk", "lec", "--l", "1", "--e", "0.5", "--c", "40", "--json"], capsys)
    d = json.loads(out)
    assert d["D"] == 20 and d["grade"] == 4 and d["colour"] == "蓝"


def test_lec_boundary_option(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["risk", "lec", "--l", "1", "--e", "10", "--c", "7", "--json"]
    d = json.loads(run(base, capsys)[1])
    assert (d["D"], d["grade"], d["colour"], d["boundary_rule"]) == (70, 4, "蓝", "upper-inclusive")
    d = json.loads(run([*base, "--boundary", "lower-inclusive"], capsys)[1])
    assert (d["D"], d["grade"], d["colour"], d["boundary_rule"]) == (70, 3, "黄", "lower-inclusive")


@pytest.mark.parametrize(
    "argv",
    [
        ["risk", "lec", "--l", "4", "--e", "10", "--c", "7", "--json"],
        ["risk", "lec", "--l", "3", "--e", "10", "--json"],
        ["risk", "lec", "--l", "3", "--e", "10", "--c", "7", "--boundary", "x"],
        ["risk", "ls", "--l", "6", "--s", "1", "--json"],
        ["risk", "ls", "--l", "2.5", "--s", "1", "--json"],
        ["risk", "ls", "--l", "2", "--s", "1", "--variant", "Z"],
        ["risk", "cas", "7732-18-4"],
        ["risk", "hidden-danger", "--items", "21"],
    ],
)
def test_risk_errors_exit_2_one_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.count("\n") == 1


def test_ls_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["risk", "ls", "--l", "4", "--s", "5", "--json"], capsys)
    d = json.loads(out)
    assert code == 0 and (d["R"], d["grade"], d["colour"], d["level_zh"]) == (20, 1, "红", "重大风险")
    d = json.loads(run(["risk", "ls", "--l", "3", "--s", "4", "--variant", "b", "--json"], capsys)[1])
    assert (d["R"], d["grade"], d["colour"], d["variant"]) == (12, 2, "橙", "B")


def test_cas_and_checklist_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["risk", "cas", "7664417", "--json"], capsys)
    assert code == 0 and json.loads(out)["cas"] == "7664-41-7"
    code, out, _ = run(["risk", "hidden-danger", "--items", "2,15", "--json"], capsys)
    d = json.loads(out)
    assert code == 0 and d["proposed_grade"] == "重大" and [r["id"] for r in d["reasons"]] == [2, 15]
    code, out, _ = run(["risk", "hidden-danger", "--json"], capsys)
    assert len(json.loads(out)["items"]) == 20


def test_console_script_subprocess(tmp_path: Path) -> None:
    f = write(tmp_path, {"exposed_population": 100, "substances": [{"name": "液氯", "quantity_t": 25}]})
    proc = subprocess.run(
        [YINGJI, "hazard", "assess", f, "--json"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    assert d["S"] == 5 and d["R"] == 40 and d["level"] == 3  # 2 x 4 x 25/5
    proc = subprocess.run(
        [YINGJI, "risk", "lec", "--l", "0.3", "--e", "1", "--c", "1", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2 and proc.stdout == "" and proc.stderr.count("\n") == 1
    assert "Traceback" not in proc.stderr
