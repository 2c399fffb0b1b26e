"""CLI contract: ``yingji import preview KIND FILE --json``: nothing written, DB duplicates when available."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from yingji.apps.audit.models import ChangeRecord
from yingji.apps.core import cli
from yingji.apps.core.imports.models import ImportJob
from yingji.apps.core.tests.import_files import csv_bytes, shelter_rows
from yingji.apps.resources.models import Shelter
from yingji.apps.resources.services import create_shelter
from yingji.cli import _Parser
from yingji.engines.normalize.tests.builders import members_xlsx

pytestmark = pytest.mark.django_db
KEYS = ["encoding", "sheet", "ignored_sheets", "header", "imported", "rejected", "warnings", "duplicates"]


def _run(capsys, *args: str) -> tuple[int, str, str]:
    parser = _Parser(prog="yingji")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    cli.register(sub)
    try:
        ns: argparse.Namespace = parser.parse_args(list(args))
        code = ns.handler(ns)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_contract_and_nothing_written(capsys, tmp_path: Path):
    path = tmp_path / "避难场所.csv"
    path.write_bytes(csv_bytes(shelter_rows()))
    records = ChangeRecord.objects.count()
    code, out, err = _run(capsys, "import", "preview", "shelters", str(path), "--json")
    assert code == 0, err
    body = json.loads(out)
    assert list(body) == KEYS
    assert body["encoding"] == "gb18030" and body["sheet"] == "csv" and body["ignored_sheets"] == []
    assert all(set(r) == {"row", "values"} for r in body["imported"])
    assert [r["row"] for r in body["imported"]] == [4, 5, 6]
    assert body["rejected"] == [
        {"row": 7, "column": "capacity", "value": "很多", "reason": body["rejected"][0]["reason"]}
    ]
    assert all(set(w) == {"row", "column", "message"} for w in body["warnings"])
    assert body["duplicates"] == []
    assert ImportJob.objects.count() == 0 and Shelter.objects.count() == 0
    assert ChangeRecord.objects.count() == records


def test_duplicates_against_the_database(capsys, tmp_path: Path, township):
    create_shelter(
        actor=None, code="BN-001", name="人民广场", kind="outdoor", division=township,
        capacity_persons=1, area_m2=1,
    )  # fmt: skip
    path = tmp_path / "s.csv"
    path.write_bytes(csv_bytes(shelter_rows()))
    code, out, _ = _run(capsys, "import", "preview", "shelters", str(path), "--json")
    assert code == 0
    assert json.loads(out)["duplicates"] == [{"row": 4, "same_as": "已登记的避难场所 BN-001 人民广场"}]
    code, out, _ = _run(capsys, "import", "preview", "shelters", str(path), "--json", "--no-db")
    assert json.loads(out)["duplicates"] == []


def test_kind_without_target_still_previews(capsys, tmp_path: Path, without_target):
    without_target("rescue-team-members")
    path = tmp_path / "members.xlsx"
    path.write_bytes(members_xlsx())
    code, out, err = _run(capsys, "import", "preview", "rescue-team-members", str(path), "--json")
    assert code == 0, err
    body = json.loads(out)
    assert len(body["imported"]) == 3 and body["encoding"] is None
    assert set(body["ignored_sheets"]) == {"隐藏数据", "代码表"}


def test_text_output(capsys, tmp_path: Path):
    path = tmp_path / "s.csv"
    path.write_bytes(csv_bytes(shelter_rows()))
    code, out, _ = _run(capsys, "import", "preview", "shelters", str(path))
    assert code == 0 and "3 to import, 1 rejected rows" in out and "rejected row 7 capacity" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["import", "preview", "nope", "{file}"], "unknown kind"),
        (["import", "preview", "shelters", "{missing}"], "cannot read"),
        (["import", "preview", "shelters", "{garbage}"], "error"),
        (["import", "preview", "shelters"], "error"),
    ],
)
def test_usage_errors_exit_2_with_one_line(capsys, tmp_path: Path, args, needle):
    good = tmp_path / "s.csv"
    good.write_bytes(csv_bytes(shelter_rows()))
    garbage = tmp_path / "g.xlsx"
    garbage.write_bytes(b"PK\x03\x04" + b"\x00\x01garbage" * 20)
    subst = {"{file}": str(good), "{missing}": str(tmp_path / "nope.csv"), "{garbage}": str(garbage)}
    code, out, err = _run(capsys, *[subst.get(a, a) for a in args])
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and needle in err
