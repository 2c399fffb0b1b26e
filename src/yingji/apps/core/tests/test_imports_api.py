"""API: upload → preview JSON → commit; 400 with field messages; permissions; own jobs only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from yingji.apps.core.imports.models import ImportJob
from yingji.apps.core.tests.import_files import csv_bytes, enterprise_rows, shelter_rows
from yingji.apps.resources.models import Shelter

pytestmark = pytest.mark.django_db


def _client(user=None) -> APIClient:
    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


def _file(data: bytes, name: str = "避难场所.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_upload_preview_then_commit(admin_user):
    c = _client(admin_user)
    # when a GBK CSV is uploaded
    r = c.post(
        "/api/imports/", {"kind": "shelters", "file": _file(csv_bytes(shelter_rows()))}, format="multipart"
    )
    # then 201 with the preview contract
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "previewed" and body["encoding"] == "gb18030"
    preview = body["preview"]
    assert set(preview) == {
        "encoding", "sheet", "ignored_sheets", "header", "imported", "rejected", "warnings", "duplicates"
    }  # fmt: skip
    assert [x["row"] for x in preview["imported"]] == [4, 5, 6]
    assert preview["rejected"][0]["row"] == 7 and preview["rejected"][0]["column"] == "capacity"
    assert Shelter.objects.count() == 0
    # and the job is readable, then committed
    assert c.get(f"/api/imports/{body['id']}/").json()["valid_rows"] == 3
    r = c.post(f"/api/imports/{body['id']}/commit/")
    assert r.status_code == 200 and r.json()["status"] == "imported" and r.json()["imported_rows"] == 3
    assert Shelter.objects.count() == 3
    # a second commit is a 400, not a 500
    r = c.post(f"/api/imports/{body['id']}/commit/")
    assert r.status_code == 400 and r.json()["non_field_errors"]


def test_missing_file_unknown_kind_and_kind_without_target_are_400(admin_user, without_target):
    without_target("rescue-team-members")
    c = _client(admin_user)
    r = c.post("/api/imports/", {"kind": "shelters"}, format="multipart")
    assert r.status_code == 400 and "file" in r.json()
    r = c.post("/api/imports/", {"kind": "nope", "file": _file(b"a,b\r\n")}, format="multipart")
    assert r.status_code == 400 and "kind" in r.json() and "nope" in r.json()["kind"][0]
    r = c.post(
        "/api/imports/", {"kind": "rescue-team-members", "file": _file(b"a,b\r\n")}, format="multipart"
    )
    assert r.status_code == 400 and "has no import target yet" in r.json()["kind"][0]
    r = c.post("/api/imports/", {"kind": "shelters", "file": _file(b"")}, format="multipart")
    assert r.status_code == 400 and "file" in r.json()
    r = c.post("/api/imports/", {}, format="json")
    assert r.status_code == 400 and {"kind", "file"} <= set(r.json())
    assert ImportJob.objects.count() == 0


def test_override_over_the_api(admin_user):
    c = _client(admin_user)
    data = csv_bytes(enterprise_rows(), "utf-8")
    job = c.post(
        "/api/imports/", {"kind": "enterprises", "file": _file(data, "e.csv")}, format="multipart"
    ).json()
    r = c.post(f"/api/imports/{job['id']}/override/", {"row": 3, "column": "uscc"}, format="json")
    assert r.status_code == 400 and "reason" in r.json()
    r = c.post(
        f"/api/imports/{job['id']}/override/",
        {"row": 3, "column": "uscc", "reason": "原件如此"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["valid_rows"] == 2


def test_kinds_lists_registration(admin_user, without_target):
    without_target("rescue-team-members")
    kinds = {k["kind"]: k for k in _client(admin_user).get("/api/imports/kinds/").json()}
    assert kinds["shelters"]["registered"] and kinds["enterprises"]["registered"]
    assert not kinds["rescue-team-members"]["registered"] and kinds["depot-stock"]["label"]


@pytest.mark.parametrize("role", ["public_viewer", "duty_officer", "auditor", "township_officer"])
def test_personas_without_import_rights_cannot_upload(make_persona, role):
    user = make_persona(role)
    r = _client(user).post(
        "/api/imports/", {"kind": "shelters", "file": _file(csv_bytes(shelter_rows()))}, format="multipart"
    )
    assert r.status_code == 403
    assert ImportJob.objects.count() == 0 and Shelter.objects.count() == 0


def test_anonymous_is_refused():
    assert _client().get("/api/imports/").status_code in (401, 403)


def test_users_see_only_their_own_jobs_unless_admin(admin_user, make_persona, grant_core):
    grant_core("commander", "core.add_importjob", "core.view_importjob")
    mine = make_persona("commander")
    other = make_persona("commander")
    up = {"kind": "shelters", "file": _file(csv_bytes(shelter_rows()))}
    job = _client(mine).post("/api/imports/", up, format="multipart").json()
    assert _client(mine).get("/api/imports/").json()["count"] == 1
    assert _client(other).get("/api/imports/").json()["count"] == 0
    assert _client(other).get(f"/api/imports/{job['id']}/").status_code == 404
    assert _client(other).post(f"/api/imports/{job['id']}/commit/").status_code == 404
    assert _client(admin_user).get("/api/imports/").json()["count"] == 1
    assert "preview" in _client(mine).get(f"/api/imports/{job['id']}/").json()


def test_large_commit_is_accepted_for_the_background(admin_user, settings):
    settings.YINGJI_IMPORT_ASYNC_ROWS = 1
    c = _client(admin_user)
    job = c.post(
        "/api/imports/", {"kind": "shelters", "file": _file(csv_bytes(shelter_rows()))}, format="multipart"
    )
    r = c.post(f"/api/imports/{job.json()['id']}/commit/")
    assert r.status_code == 202 and r.json()["status"] in ("importing", "imported")
