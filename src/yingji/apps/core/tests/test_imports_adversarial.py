"""Bad input against the import flow: every finding of the adversarial pass is a regression here.

A clerk's bad file gets a row error or one clear file-level reason, never a crash, a failed
commit after a clean preview, or a half-written import.
"""

from __future__ import annotations

import argparse
import io
import threading
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.db import DatabaseError, connection

from yingji.apps.core import cli
from yingji.apps.core.imports import services as imports
from yingji.apps.core.imports.models import ImportJob, ImportStatus
from yingji.apps.core.imports.previews import compute_preview, store_preview
from yingji.apps.core.imports.registry import get_import_kind
from yingji.apps.core.tests.import_files import csv_bytes
from yingji.apps.directory.tests.factories import EnterpriseFactory
from yingji.apps.resources.models import Depot, StockLot
from yingji.apps.resources.tests.factories import DepotFactory, SupplyItemFactory
from yingji.apps.risk.models import ChemicalInventory
from yingji.cli import _Parser
from yingji.engines.normalize import reader
from yingji.engines.normalize.ids import uscc_check_char
from yingji.engines.normalize.phone import parse_phone
from yingji.engines.normalize.schema import preview

pytestmark = pytest.mark.django_db

DEPOT_HEADER = ["储备库编码", "储备库名称", "储备主体", "所在区划", "联系电话"]
STOCK_HEADER = ["仓库编码", "物资编码", "物资名称", "计量单位", "数量", "批次"]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _upload(user: Any, kind: str, data: bytes, name: str = "f.csv") -> ImportJob:
    return imports.preview_upload(actor=user, kind=kind, data=data, filename=name)


def _rejected(job: ImportJob) -> set[tuple[int | None, str | None]]:
    return {(r["row"], r["column"]) for r in job.preview.rows("rejected")}


# ---- cell values -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "-0", "0x10", "0-1", "00"])
def test_a_phone_of_a_lone_zero_is_an_error_not_a_crash(value):
    res = parse_phone(value)
    assert not res.valid and res.error


def test_phone_zero_in_a_depot_file_is_a_row_error(admin_user):
    data = csv_bytes([DEPOT_HEADER, ["CK-1", "县库", "县应急管理局", "", "0"]], "utf-8")
    job = _upload(admin_user, "depots", data)
    assert job.status == ImportStatus.PREVIEWED and _rejected(job) == {(2, "phone")}


def test_overlong_batch_is_a_row_error_in_the_preview_not_a_failed_commit(admin_user):
    DepotFactory(code="CK-1")
    SupplyItemFactory(code="WZ-1", name="帐篷", unit="顶")
    data = csv_bytes(
        [
            STOCK_HEADER,
            ["CK-1", "WZ-1", "帐篷", "顶", "10", "B" * 65],
            ["CK-1", "WZ-1", "帐篷", "顶", "5", "B1"],
        ],
        "utf-8",
    )
    job = _upload(admin_user, "depot-stock", data)
    assert _rejected(job) == {(2, "batch")} and job.valid_rows == 1
    job = imports.commit_import(job, actor=admin_user)
    assert job.status == ImportStatus.IMPORTED and list(StockLot.objects.values_list("batch", flat=True)) == [
        "B1"
    ]


def test_overlong_unit_or_substance_is_a_row_error_in_the_preview(admin_user, township):
    body = "91652826MA7000001"
    uscc = body + uscc_check_char(body)
    EnterpriseFactory(name="甲化工有限公司", uscc=uscc, division=township)
    header = ["统一社会信用代码", "单元", "危险化学品", "CAS号", "危险性类别", "最大存量(t)"]
    rows = [
        header,
        [uscc, "单" * 65, "氯", "7782-50-5", "", "1"],
        [uscc, "液氯库", "氯" * 65, "", "W5.3", "1"],
        [uscc, "液氨库", "氨", "7664-41-7", "", "1"],
    ]
    job = _upload(admin_user, "enterprise-inventory", csv_bytes(rows, "utf-8"))
    assert {(2, "unit"), (3, "substance")} <= _rejected(job) and job.valid_rows == 1
    job = imports.commit_import(job, actor=admin_user)
    assert job.status == ImportStatus.IMPORTED and ChemicalInventory.objects.count() == 1


# ---- files -----------------------------------------------------------------------------------


def _xlsx(rows: list[list[Any]], edit: Any = None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    if edit is not None:
        edit(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_excel_error_values_are_empty_cells_with_a_note():
    def errors(ws: Any) -> None:
        ws["B2"].value = "#DIV/0!"
        ws["B2"].data_type = "e"
        ws["C3"].value = "#N/A"
        ws["C3"].data_type = "e"

    data = _xlsx([["测点编码", "测点名称", "监测项目"], ["P1", "x", "温度"], ["P2", "温度2", "温度"]], errors)
    result = preview("monitoring-points", data).to_dict()
    assert {(r["row"], r["column"]) for r in result["rejected"]} == {(2, "name"), (3, "quantity")}
    notes = [w["message"] for w in result["warnings"] if w["row"] is None]
    assert any("B2=#DIV/0!" in n and "C3=#N/A" in n for n in notes)


def test_a_zip_bomb_is_refused_before_it_is_opened(admin_user, monkeypatch):
    monkeypatch.setattr(reader, "MAX_UNZIPPED_BYTES", 1024 * 1024)
    wb_bytes = _xlsx([["测点编码", "测点名称", "监测项目"]])
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(wb_bytes)) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for item in zin.infolist():
            zout.writestr(item.filename, zin.read(item.filename))
        zout.writestr("xl/padding.xml", b" " * (2 * 1024 * 1024))
    assert len(out.getvalue()) < 64 * 1024
    job = _upload(admin_user, "monitoring-points", out.getvalue(), "bomb.xlsx")
    assert job.status == ImportStatus.FAILED and "解压后" in job.error and "too large" in job.error


# ---- the flow --------------------------------------------------------------------------------


def test_stale_preview_commit_fails_cleanly_and_writes_nothing(admin_user):
    data = csv_bytes(
        [DEPOT_HEADER, ["CK-7", "县库", "县应急管理局", "", ""], ["CK-8", "乡库", "乡镇", "", ""]], "utf-8"
    )
    job = _upload(admin_user, "depots", data)
    assert job.valid_rows == 2
    DepotFactory(code="CK-8")  # someone registers the same code in between
    with pytest.raises(imports.StalePreview):
        imports.commit_import(job, actor=admin_user)
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED and job.valid_rows == 1 and job.duplicate_rows == 1
    assert list(Depot.objects.values_list("code", flat=True)) == ["CK-8"]


def test_a_stale_commit_never_reopens_an_imported_job(admin_user):
    """The commit that lost a race stores its fresh preview (now all duplicates of what the
    winner stored) only if the job is not imported meanwhile."""
    data = csv_bytes([DEPOT_HEADER, ["CK-7", "县库", "县应急管理局", "", ""]], "utf-8")
    job = imports.commit_import(_upload(admin_user, "depots", data), actor=admin_user)
    fresh = compute_preview("depots", data, target=get_import_kind("depots"), actor=admin_user)
    assert fresh["duplicates"] and not fresh["imported"]
    assert store_preview(job, fresh, actor=admin_user).status == ImportStatus.IMPORTED
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED and job.imported_rows == 1 and job.valid_rows == 1


@pytest.mark.django_db(transaction=True)
def test_two_threads_committing_the_same_job_import_once(make_persona):
    admin = make_persona("admin")
    rows = [DEPOT_HEADER] + [[f"CK-{i}", f"库{i}", "县应急管理局", "", ""] for i in range(20)]
    job = _upload(admin, "depots", csv_bytes(rows, "utf-8"))
    barrier = threading.Barrier(2)
    results: list[object] = [None, None]

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = imports.commit_import(ImportJob.objects.get(pk=job.pk), actor=admin)
        except Exception as exc:  # collected for the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    won = [r for r in results if isinstance(r, ImportJob)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    # ImportRefused ("job already handled"); the in-memory test database may instead answer the
    # loser with "table is locked" (ImportFailed), which must not fail the imported job
    assert isinstance(lost[0], imports.ImportRefused | DatabaseError), results
    assert not isinstance(lost[0], imports.StalePreview), results
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED and job.imported_rows == 20 and Depot.objects.count() == 20


# ---- CLI -------------------------------------------------------------------------------------


def _cli(capsys: Any, *args: str) -> tuple[int, str, str]:
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


def _directory(path: Path) -> Path:
    path.mkdir()
    return path


def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (_directory, "Is a directory"),
        (_empty, "empty file"),
        (lambda _p: Path("/dev/zero"), "not a regular file"),
    ],
)
def test_cli_refuses_directories_empty_files_and_devices_with_one_line(capsys, tmp_path, make, needle):
    path = make(tmp_path / "x.csv")
    code, out, err = _cli(capsys, "import", "preview", "monitoring-points", str(path), "--json")
    assert code == 2 and out == "" and err.count("\n") == 1 and needle in err
