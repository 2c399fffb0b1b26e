"""``yingji incident grade|deadlines``: JSON contract and usage errors (exit 2, one stderr line)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from yingji.cli import main

YINGJI = Path(sys.executable).with_name("yingji")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        rc = main(["incident", *args])
    except SystemExit as exc:  # argparse usage errors
        rc = int(exc.code or 0)
    out, err = capsys.readouterr()
    return rc, out, err


def grade_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    rc, out, err = run(capsys, "grade", *args, "--json")
    assert (rc, err) == (0, "")
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    ("deaths", "injuries", "loss", "grade", "zh"),
    [
        ("2", "0", "0", 4, "一般"),
        ("3", "0", "0", 3, "较大"),
        ("10", "0", "0", 2, "重大"),
        ("30", "0", "0", 1, "特别重大"),
        ("0", "9", "0", 4, "一般"),
        ("0", "10", "0", 3, "较大"),
        ("0", "50", "0", 2, "重大"),
        ("0", "100", "0", 1, "特别重大"),
        ("0", "0", "9999999", 4, "一般"),
        ("0", "0", "10000000", 3, "较大"),
        ("0", "0", "50000000", 2, "重大"),
        ("0", "0", "100000000", 1, "特别重大"),
        ("1", "12", "60000000", 2, "重大"),
    ],
)
def test_grade_contract(
    capsys: pytest.CaptureFixture[str], deaths: str, injuries: str, loss: str, grade: int, zh: str
) -> None:
    data = grade_json(
        capsys,
        "--category",
        "accident",
        "--deaths",
        deaths,
        "--serious-injuries",
        injuries,
        "--direct-loss-cny",
        loss,
    )
    assert data["grade"] == grade and type(data["grade"]) is int
    assert data["grade_zh"] == zh
    reasons = data["reasons"]
    assert isinstance(reasons, list) and reasons and all(isinstance(r, str) for r in reasons)
    assert all(r.endswith(f"→ {zh}") for r in reasons)


def test_grade_reason_text_and_chinese_category(capsys: pytest.CaptureFixture[str]) -> None:
    data = grade_json(capsys, "--category", "事故灾难", "--serious-injuries", "10")
    assert data["reasons"] == ["serious injuries 10 ≥ 10 → 较大"]
    assert data["grade_name_zh"] == "较大事故"


@pytest.mark.parametrize(
    "category",
    ["natural_disaster", "public_health", "social_security", "自然灾害", "公共卫生事件", "社会安全事件"],
)
def test_grade_other_categories_null(capsys: pytest.CaptureFixture[str], category: str) -> None:
    data = grade_json(capsys, "--category", category, "--deaths", "50")
    assert data["grade"] is None and data["grade_zh"] is None and len(data["reasons"]) == 1  # type: ignore[arg-type]


def test_grade_human_line(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "grade", "--category", "accident", "--deaths", "3")
    assert rc == 0 and out.count("\n") == 1 and "较大" in out


@pytest.mark.parametrize(
    "args",
    [
        ["--category", "accident", "--deaths", "-1"],
        ["--category", "accident", "--deaths=-1"],
        ["--category", "accident", "--serious-injuries", "2.5"],
        ["--category", "accident", "--deaths", "abc"],
        ["--category", "accident", "--deaths", "NaN"],
        ["--category", "accident", "--direct-loss-cny", "NaN"],
        ["--category", "accident", "--direct-loss-cny", "-5"],
        ["--category", "accident", "--direct-loss-cny", "inf"],
        ["--category", "earthquake"],
        ["--deaths", "3"],
        ["--category", "natural_disaster", "--indicator", "cases"],
        ["--category", "natural_disaster", "--rules", "/nonexistent/rules.csv"],
    ],
)
def test_grade_usage_errors(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    rc, out, err = run(capsys, "grade", *args, "--json")
    assert rc == 2 and out == ""
    assert err.count("\n") == 1 and "error" in err and "Traceback" not in err


def test_grade_with_county_rules(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rules = tmp_path / "rules.csv"
    rules.write_text(
        "category,grade,indicator,op,threshold,source_keys,note\nnatural_disaster,3,relocated_people,>=,1000,X,\n",
        encoding="utf-8",
    )
    data = grade_json(
        capsys,
        "--category",
        "natural_disaster",
        "--rules",
        str(rules),
        "--indicator",
        "relocated_people=1500",
    )
    assert (data["grade"], data["reasons"]) == (3, ["relocated people 1500 ≥ 1000 → 较大"])


def test_deadlines_json(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, err = run(
        capsys,
        "deadlines",
        "--category", "accident",
        "--occurred-at", "2024-07-01T10:00:00+08:00",
        "--grade", "3",
        "--subtype", "road_traffic",
        "--reported-at", "2024-07-01T10:30:00+08:00",
        "--report", "escalation:1=2024-07-01T11:00:00+08:00",
        "--now", "2024-07-01T13:00:00+08:00",
        "--json",
    )  # fmt: skip
    assert (rc, err) == (0, "")
    data = json.loads(out)
    assert isinstance(data, list)
    keys = [d["key"] for d in data]
    assert keys == [
        "accident.unit_report",
        "accident.escalation.1",
        "accident.escalation.2",
        "accident.supplementary",
    ]
    for d in data:
        assert {"rule_id", "description_zh", "description_en", "due_at", "met_at", "status"} <= set(d)
        assert d["status"] in ("pending", "met", "missed")
        assert datetime.fromisoformat(d["due_at"]).tzinfo is not None
    assert [d["status"] for d in data] == ["met", "met", "pending", "pending"]
    assert datetime.fromisoformat(data[2]["due_at"]) == datetime.fromisoformat("2024-07-01T13:00:00+08:00")
    assert datetime.fromisoformat(data[3]["due_at"]) == datetime.fromisoformat("2024-07-08T10:00:00+08:00")


def test_deadlines_natural_disaster_naive_times_are_utc8(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(
        capsys, "deadlines", "--category", "自然灾害", "--occurred-at", "2024-07-01T15:00",
        "--now", "2024-07-01T16:00", "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert rc == 0
    assert [d["due_at"] for d in data] == ["2024-07-01T17:00:00+08:00", "2024-07-02T09:00:00+08:00"]


@pytest.mark.parametrize(
    "args",
    [
        ["--category", "accident", "--occurred-at", "2024-07-01T10:00"],  # grade required for accidents
        ["--category", "accident", "--occurred-at", "yesterday", "--grade", "4"],
        ["--category", "accident", "--occurred-at", "2024-07-01T10:00", "--grade", "5"],
        [
            "--category",
            "accident",
            "--occurred-at",
            "2024-07-01T10:00",
            "--grade",
            "4",
            "--report",
            "escalation=2024-07-01T11:00",
        ],
        [
            "--category",
            "accident",
            "--occurred-at",
            "2024-07-01T10:00",
            "--grade",
            "4",
            "--report",
            "fax=2024-07-01T11:00",
        ],
        ["--category", "bogus", "--occurred-at", "2024-07-01T10:00"],
    ],
)
def test_deadlines_usage_errors(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    rc, out, err = run(capsys, "deadlines", *args, "--json")
    assert rc == 2 and out == "" and err.count("\n") == 1


def test_incident_without_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = run(capsys)
    assert rc == 2 and err.count("\n") == 1


def test_console_script_subprocess() -> None:
    ok = subprocess.run(
        [str(YINGJI), "incident", "grade", "--category", "accident", "--deaths", "3",
         "--serious-injuries", "10", "--direct-loss-cny", "0", "--json"],
        capture_output=True, text=True, check=False, encoding="utf-8",
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    data = json.loads(ok.stdout)
    assert (data["grade"], data["grade_zh"]) == (3, "较大")
    assert data["reasons"] == ["deaths 3 ≥ 3 → 较大", "serious injuries 10 ≥ 10 → 较大"]
    assert "较大" in ok.stdout  # ensure_ascii=False
    bad = subprocess.run(
        [str(YINGJI), "incident", "grade", "--category", "accident", "--deaths", "-3", "--json"],
        capture_output=True, text=True, check=False, encoding="utf-8",
    )  # fmt: skip
    assert bad.returncode == 2 and bad.stdout == "" and len(bad.stderr.strip().splitlines()) == 1
