"""Pages: upload form → preview page → import; downloads; permission checks."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse

from yingji.apps.core.imports.models import ImportJob
from yingji.apps.core.tests.import_files import csv_bytes, shelter_rows
from yingji.apps.resources.models import Shelter

pytestmark = pytest.mark.django_db


def _shelter_register_url() -> str:
    """Where /resources/ lists shelters: its shelter register page (the hub shows counts)."""
    try:
        return reverse("resources:register", args=["shelters"])
    except NoReverseMatch:
        return reverse("resources:index")


def _login(client, user):
    client.force_login(user)
    return client


def _upload(client, data: bytes, kind: str = "shelters"):
    return client.post(
        "/imports/upload/",
        {"kind": kind, "file": SimpleUploadedFile("避难场所.csv", data, content_type="text/csv")},
    )


def test_upload_preview_and_import_in_the_ui(client, admin_user):
    _login(client, admin_user)
    assert "上传并预览" in client.get("/imports/").content.decode()
    r = _upload(client, csv_bytes(shelter_rows()))
    assert r.status_code == 302
    job = ImportJob.objects.get()
    page = client.get(r["Location"]).content.decode()
    assert "GB18030" in page and "第 7 行" in page and "很多" in page
    assert "导入 3 条有效数据" in page and "位置/经度" in page
    assert "焉耆镇(652826100000)" in page
    r = client.post(f"/imports/{job.pk}/commit/")
    assert r.status_code == 302 and Shelter.objects.count() == 3
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "已导入 3 条记录" in page and "commit-button" not in page
    assert client.get("/resources/").status_code == 200
    resources = client.get(_shelter_register_url()).content.decode()
    assert "人民广场" in resources and "县一中体育馆" in resources


def test_form_errors_for_unknown_or_untargeted_kind_and_missing_file(client, admin_user, without_target):
    without_target("rescue-team-members")
    _login(client, admin_user)
    r = _upload(client, b"a,b\r\n", kind="rescue-team-members")
    assert r.status_code == 400 and "has no import target yet" in r.content.decode()
    r = client.post("/imports/upload/", {"kind": "shelters"})
    assert r.status_code == 400 and "errorlist" in r.content.decode()
    assert ImportJob.objects.count() == 0


def test_public_viewer_cannot_see_or_upload(client, make_persona):
    _login(client, make_persona("public_viewer"))
    assert client.get("/imports/").status_code == 403
    assert _upload(client, csv_bytes(shelter_rows())).status_code == 403
    assert ImportJob.objects.count() == 0


def test_anonymous_is_sent_to_login(client):
    r = client.get("/imports/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_template_download_has_the_kind_header(client, admin_user):
    _login(client, admin_user)
    r = client.get("/imports/templates/shelters.xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    header = [c.value for c in ws[1]]
    assert header[:4] == ["场所编码", "场所名称", "场所类型", "乡镇"]
    assert ws["A2"].number_format == "@"  # codes as text
    # a kind without a target still has a template (engine labels); unknown kinds 404
    r = client.get("/imports/templates/rescue-team-members.xlsx")
    assert r.status_code == 200
    assert client.get("/imports/templates/nope.xlsx").status_code == 404


def test_original_file_download_is_byte_identical(client, admin_user):
    _login(client, admin_user)
    data = csv_bytes(shelter_rows())
    _upload(client, data)
    job = ImportJob.objects.get()
    r = client.get(f"/imports/{job.pk}/original/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == data


def test_status_poll_shows_progress_then_refreshes(
    client, admin_user, settings, django_capture_on_commit_callbacks
):
    _login(client, admin_user)
    settings.YINGJI_IMPORT_ASYNC_BYTES = 100
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _upload(client, csv_bytes(shelter_rows()))
    job = ImportJob.objects.get()
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "<progress" in page and "hx-get" in page
    r = client.get(f"/imports/{job.pk}/status/")
    assert r.status_code == 200 and "HX-Refresh" not in r
    callbacks[0]()
    r = client.get(f"/imports/{job.pk}/status/")
    assert r["HX-Refresh"] == "true" and 'value="100"' in r.content.decode()


def test_overridable_error_shows_an_override_form_to_admins(client, admin_user):
    from yingji.apps.core.tests.import_files import enterprise_rows

    _login(client, admin_user)
    _upload(client, csv_bytes(enterprise_rows(), "utf-8"), kind="enterprises")
    job = ImportJob.objects.get()
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert 'name="reason"' in page
    r = client.post(f"/imports/{job.pk}/override/", {"row": 3, "column": "uscc", "reason": "执照原件如此"})
    assert r.status_code == 302
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "执照原件如此" in page and "导入 2 条有效数据" in page


def test_large_import_shows_progress_until_done(
    client, admin_user, settings, django_capture_on_commit_callbacks
):
    _login(client, admin_user)
    settings.YINGJI_IMPORT_ASYNC_ROWS = 1
    _upload(client, csv_bytes(shelter_rows()))
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        r = client.post(f"/imports/{job.pk}/commit/")
    page = client.get(r["Location"]).content.decode()
    assert "正在后台导入" in page and "hx-get" in page and "commit-button" not in page
    assert "HX-Refresh" not in client.get(f"/imports/{job.pk}/status/")
    callbacks[0]()
    assert client.get(f"/imports/{job.pk}/status/")["HX-Refresh"] == "true"
    assert Shelter.objects.count() == 3
