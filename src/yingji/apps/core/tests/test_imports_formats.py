"""A realistic shelters register per format (xlsx with merged header + hidden sheet, HTML "xls",
UTF-8-BOM CSV, GBK CSV, UTF-16 TSV) previews to the same rows and imports."""

from __future__ import annotations

import pytest

from yingji.apps.core.imports import services
from yingji.apps.core.imports.registry import (
    NoImportTarget,
    UnknownImportKind,
    all_kinds,
    get_import_kind,
    register_import_kind,
    registered_kind,
    template_header,
)
from yingji.apps.core.tests.import_files import csv_bytes, html_bytes, shelter_rows, xlsx_bytes
from yingji.apps.resources.models import Shelter

ROWS = shelter_rows()
FORMATS = {
    "xlsx": (lambda: xlsx_bytes(ROWS), None, ["旧数据"]),
    "html-xls": (lambda: html_bytes(ROWS), "utf-8", []),
    "csv-utf8-bom": (lambda: b"\xef\xbb\xbf" + csv_bytes(ROWS, "utf-8"), "utf-8-sig", []),
    "csv-gbk": (lambda: csv_bytes(ROWS, "gbk"), "gb18030", []),
    "tsv-utf16": (lambda: b"\xff\xfe" + csv_bytes(ROWS, "utf-16-le", "\t"), "utf-16-le", []),
}


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_each_format_previews_the_same_rows_and_imports(admin_user, fmt):
    build, encoding, hidden = FORMATS[fmt]
    job = services.preview_upload(actor=admin_user, kind="shelters", data=build(), filename=f"s.{fmt}")
    preview = job.preview.data
    assert preview["encoding"] == encoding and preview["ignored_sheets"] == hidden
    assert [r["row"] for r in preview["imported"]] == [4, 5, 6], preview["rejected"]
    assert [(r["row"], r["column"]) for r in preview["rejected"]] == [(7, "capacity")]
    services.commit_import(job, actor=admin_user)
    assert Shelter.objects.count() == 3


def test_registry_says_clearly_what_cannot_be_imported(without_target):
    without_target("depot-stock")
    with pytest.raises(NoImportTarget, match="kind depot-stock has no import target yet"):
        get_import_kind("depot-stock")
    with pytest.raises(UnknownImportKind):
        get_import_kind("nope")
    with pytest.raises(UnknownImportKind):
        register_import_kind(
            "nope", label="x", permission="a.b", commit=dict, existing_keys=dict,
            template_columns=("a",), record_change=print,
        )  # fmt: skip
    with pytest.raises(ValueError):
        register_import_kind(
            "depot-stock", label="x", permission="nodot", commit=dict, existing_keys=dict,
            template_columns=("a",), record_change=print,
        )  # fmt: skip
    assert registered_kind("depot-stock") is None
    assert {k["kind"] for k in all_kinds() if k["registered"]} >= {"shelters", "enterprises"}
    assert "depot-stock" not in {k["kind"] for k in all_kinds() if k["registered"]}
    assert template_header("depot-stock")[0] == "仓库编码"  # engine labels until an app registers
