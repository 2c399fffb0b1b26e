"""preview_upload: the file is kept, read (GBK, merged header), DB-checked; nothing else written."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yingji.apps.audit.models import ChangeRecord
from yingji.apps.core.imports import services
from yingji.apps.core.imports.models import ImportJob, ImportStatus
from yingji.apps.core.imports.registry import NoImportTarget, UnknownImportKind
from yingji.apps.core.tests.import_files import GOOD, csv_bytes, shelter_rows
from yingji.apps.resources.models import Shelter
from yingji.apps.resources.services import create_shelter

pytestmark = pytest.mark.django_db


def _upload(user, data, kind="shelters", **kw):
    return services.preview_upload(actor=user, kind=kind, data=data, filename="避难场所.csv", **kw)


def test_gbk_csv_with_merged_header_is_previewed_and_kept(admin_user):
    # given a GBK CSV register with a two-row header (位置 → 经度/纬度) and one bad row
    data = csv_bytes(shelter_rows())
    # when it is uploaded
    job = _upload(admin_user, data)
    # then the job holds the preview, the original file and its digest; no shelter is written
    assert job.status == ImportStatus.PREVIEWED
    assert job.encoding == "gb18030" and job.encoding_label == "GB18030"
    assert job.sha256 == hashlib.sha256(data).hexdigest() and job.size_bytes == len(data)
    assert job.stored_file.startswith("imports/")
    with job.open_original() as fh:
        assert fh.read() == data
    preview = job.preview.data
    assert preview["header"][4:6] == ["位置/经度", "位置/纬度"]
    assert [r["row"] for r in preview["imported"]] == [4, 5, 6]
    assert [(r["row"], r["column"], r["value"]) for r in preview["rejected"]] == [(7, "capacity", "很多")]
    assert (job.valid_rows, job.rejected_rows, job.duplicate_rows) == (3, 1, 0)
    assert Shelter.objects.count() == 0
    actions = list(
        ChangeRecord.objects.filter(model_name="importjob", object_id=str(job.pk)).values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["create", "update"]


def test_duplicates_against_the_database_and_within_the_file(admin_user, township):
    # given a shelter BN-002 already registered, and a file repeating BN-001
    create_shelter(
        actor=None, code="BN-002", name="旧体育馆", kind="indoor", division=township,
        capacity_persons=10, area_m2=100,
    )  # fmt: skip
    rows = shelter_rows([*GOOD, GOOD[0]], bad=False)
    # when previewed
    job = _upload(admin_user, csv_bytes(rows))
    # then BN-002 is a duplicate of the stored record and row 7 of row 4
    dups = {d["row"]: d["same_as"] for d in job.preview.data["duplicates"]}
    assert dups == {5: "已登记的避难场所 BN-002 旧体育馆", 7: 4}
    assert [r["row"] for r in job.preview.data["imported"]] == [4, 6]
    assert job.duplicate_rows == 2


def test_target_checks_reject_unknown_type_and_missing_area(admin_user):
    rows = shelter_rows(
        [
            ["BN-010", "某处", "地下室", "焉耆镇", "86.57", "42.06", "10", "1"],
            ["BN-011", "某地", "室外场地", "焉耆镇", "86.57", "42.06", "10", ""],
            ["BN-012", "某场", "", "焉耆镇", "86.57", "42.06", "10", "1"],
        ],
        bad=False,
    )
    job = _upload(admin_user, csv_bytes(rows))
    rejected = {(r["row"], r["column"]) for r in job.preview.data["rejected"]}
    assert rejected == {(4, "type"), (5, "area_m2")}
    assert [r["row"] for r in job.preview.data["imported"]] == [6]
    assert any(w["row"] == 6 and w["column"] == "type" for w in job.preview.data["warnings"])


def test_rows_outside_the_uploaders_township_are_rejected(make_persona, township, grant_core):
    # given a commander granted in 焉耆镇 only (with the import permissions)
    grant_core("commander", "core.add_importjob", "core.view_importjob")
    user = make_persona("commander", division=township)
    job = _upload(user, csv_bytes(shelter_rows(bad=False)))
    # then rows of other townships are rejected on 乡镇
    assert [r["row"] for r in job.preview.data["imported"]] == [4]
    assert {(r["row"], r["column"]) for r in job.preview.data["rejected"]} == {
        (5, "township"),
        (6, "township"),
    }


def test_unknown_kind_kind_without_target_and_permissions(admin_user, make_persona, without_target):
    without_target("rescue-team-members")
    with pytest.raises(UnknownImportKind):
        _upload(admin_user, b"x", kind="nope")
    with pytest.raises(NoImportTarget, match="has no import target yet"):
        _upload(admin_user, b"x", kind="rescue-team-members")
    viewer = make_persona("public_viewer")
    with pytest.raises(PermissionDenied):
        _upload(viewer, csv_bytes(shelter_rows()))
    duty = make_persona("duty_officer")  # no core.add_importjob
    with pytest.raises(PermissionDenied):
        _upload(duty, csv_bytes(shelter_rows()))
    assert ImportJob.objects.count() == 0


def test_empty_or_too_large_file_is_a_field_error(admin_user, settings):
    with pytest.raises(ValidationError) as exc:
        _upload(admin_user, b"")
    assert "file" in exc.value.message_dict
    settings.YINGJI_IMPORT_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        _upload(admin_user, csv_bytes(shelter_rows()))
    assert ImportJob.objects.count() == 0


def test_unreadable_file_fails_the_job(admin_user):
    job = _upload(admin_user, b"PK\x03\x04 this is not a workbook \x00\x01\x02" * 10)
    assert job.status == ImportStatus.FAILED and job.error
    assert job.valid_rows == 0


def test_large_file_is_previewed_by_the_task_with_progress(
    admin_user, settings, django_capture_on_commit_callbacks
):
    # given a threshold below the file size: the preview goes to Huey (immediate in tests)
    settings.YINGJI_IMPORT_ASYNC_BYTES = 100
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = _upload(admin_user, csv_bytes(shelter_rows()))
    # then the job waits, queued, until the task runs
    assert job.status == ImportStatus.QUEUED and job.progress == 0
    assert len(callbacks) == 1
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED and job.progress == 100 and job.valid_rows == 3


def test_preview_task_is_idempotent(admin_user, settings, django_capture_on_commit_callbacks):
    from yingji.apps.core.imports.tasks import preview_import_task

    settings.YINGJI_IMPORT_ASYNC_BYTES = 100
    with django_capture_on_commit_callbacks(execute=True):
        job = _upload(admin_user, csv_bytes(shelter_rows()))
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED
    records = ChangeRecord.objects.filter(model_name="importjob").count()
    preview_import_task.call_local(job.pk)  # a second delivery changes nothing
    assert ChangeRecord.objects.filter(model_name="importjob").count() == records
    assert preview_import_task.call_local(999999) == "missing"
