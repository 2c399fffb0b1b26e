"""commit_import: all valid rows in one transaction or nothing; re-validated; audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError

from yingji.apps.audit.models import ChangeRecord
from yingji.apps.core.imports import services
from yingji.apps.core.imports.models import ImportStatus
from yingji.apps.core.tests.import_files import csv_bytes, shelter_rows
from yingji.apps.resources import services as resource_services
from yingji.apps.resources.models import Shelter

pytestmark = pytest.mark.django_db


def _previewed(user, rows=None):
    data = csv_bytes(rows or shelter_rows())
    return services.preview_upload(actor=user, kind="shelters", data=data, filename="shelters.csv")


def test_commit_imports_every_valid_row_audited(admin_user):
    # given a previewed job with 3 valid rows and 1 rejected
    job = _previewed(admin_user)
    # when imported
    job = services.commit_import(job, actor=admin_user)
    # then the 3 shelters exist as previewed, each audited, and the job is imported
    assert job.status == ImportStatus.IMPORTED and job.imported_rows == 3
    assert job.imported_by == admin_user and job.imported_at is not None
    shelters = {s.code: s for s in Shelter.objects.all()}
    assert set(shelters) == {"BN-001", "BN-002", "BN-003"}
    square = shelters["BN-001"]
    assert square.kind == "outdoor" and square.capacity_persons == 5000 and str(square.area_m2) == "2000.00"
    assert square.division.code == "652826100000" and square.lon == pytest.approx(86.574067)
    assert shelters["BN-002"].kind == "indoor" and str(shelters["BN-002"].area_m2) == "15000.00"
    assert str(shelters["BN-003"].area_m2) == "1333.33"  # 2 亩 = 4000/3 m², rounded to the model's cents
    audited = ChangeRecord.objects.filter(model_name="shelter", action="create")
    assert audited.count() == 3 and {r.actor_id for r in audited} == {admin_user.pk}
    last = ChangeRecord.objects.filter(model_name="importjob", object_id=str(job.pk)).order_by("-id").first()
    assert last.before["status"] == "previewed" and last.after["status"] == "imported"


def test_a_database_failure_on_one_row_imports_nothing(admin_user, monkeypatch):
    # given the database fails while storing the second row
    job = _previewed(admin_user)
    real = resource_services.create_shelter
    calls = {"n": 0}

    def flaky(**fields):
        calls["n"] += 1
        if calls["n"] == 2:
            raise DatabaseError("disk I/O error")
        return real(**fields)

    monkeypatch.setattr(resource_services, "create_shelter", flaky)
    # when imported
    with pytest.raises(services.ImportFailed, match="nothing imported"):
        services.commit_import(job, actor=admin_user)
    # then no shelter and no shelter audit record exist; the job failed with the reason (audited)
    assert Shelter.objects.count() == 0
    assert not ChangeRecord.objects.filter(model_name="shelter").exists()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "disk I/O error" in job.error and job.imported_rows == 0
    last = ChangeRecord.objects.filter(model_name="importjob", object_id=str(job.pk)).order_by("-id").first()
    assert last.after["status"] == "failed"


def test_a_model_error_at_commit_names_the_row_and_imports_nothing(admin_user, monkeypatch):
    job = _previewed(admin_user)
    real = resource_services.create_shelter

    def picky(**fields):
        if fields["code"] == "BN-003":
            fields["capacity_persons"] = -1
        return real(**fields)

    monkeypatch.setattr(resource_services, "create_shelter", picky)
    with pytest.raises(services.ImportFailed, match="第6行"):
        services.commit_import(job, actor=admin_user)
    assert Shelter.objects.count() == 0


def test_commit_revalidates_and_refuses_a_stale_preview(admin_user, township):
    # given a preview, then someone registers BN-002 before the import
    job = _previewed(admin_user)
    resource_services.create_shelter(
        actor=None, code="BN-002", name="抢先登记", kind="indoor", division=township,
        capacity_persons=1, area_m2=1,
    )  # fmt: skip
    # when imported
    with pytest.raises(services.StalePreview):
        services.commit_import(job, actor=admin_user)
    # then nothing new is stored and the job shows the fresh preview (BN-002 now a duplicate)
    assert Shelter.objects.count() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED and job.valid_rows == 2 and job.duplicate_rows == 1
    # and the fresh preview can be imported
    job = services.commit_import(job, actor=admin_user)
    assert job.imported_rows == 2 and Shelter.objects.count() == 3


def test_commit_twice_or_without_permission_is_refused(admin_user, make_persona):
    job = _previewed(admin_user)
    with pytest.raises(PermissionDenied):
        services.commit_import(job, actor=make_persona("auditor"))
    services.commit_import(job, actor=admin_user)
    with pytest.raises(services.ImportRefused):
        services.commit_import(job, actor=admin_user)
    assert Shelter.objects.count() == 3


def test_nothing_valid_is_refused(admin_user):
    rows = shelter_rows([], bad=True)
    job = _previewed(admin_user, rows)
    assert job.valid_rows == 0
    with pytest.raises(services.ImportRefused, match="no valid rows"):
        services.commit_import(job, actor=admin_user)


def test_large_import_runs_in_the_background(admin_user, settings, django_capture_on_commit_callbacks):
    from yingji.apps.core.imports.tasks import commit_import_task

    # given a job with more valid rows than the inline limit
    settings.YINGJI_IMPORT_ASYNC_ROWS = 2
    job = _previewed(admin_user)
    # when the import is requested
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.request_import(job, actor=admin_user)
    # then the job is importing, nothing is stored yet, and a second request is refused
    assert job.status == ImportStatus.IMPORTING and Shelter.objects.count() == 0
    with pytest.raises(services.ImportRefused):
        services.request_import(job, actor=admin_user)
    # when the task runs (twice: a redelivery changes nothing)
    callbacks[0]()
    assert commit_import_task.call_local(job.pk, admin_user.pk) == "imported"
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED and job.imported_rows == 3 and Shelter.objects.count() == 3
    assert job.imported_by == admin_user


def test_background_import_of_a_stale_preview_goes_back_to_previewed(
    admin_user, township, settings, django_capture_on_commit_callbacks
):
    settings.YINGJI_IMPORT_ASYNC_ROWS = 2
    job = _previewed(admin_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.request_import(job, actor=admin_user)
    resource_services.create_shelter(
        actor=None, code="BN-001", name="抢先", kind="outdoor", division=township,
        capacity_persons=1, area_m2=1,
    )  # fmt: skip
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED and job.duplicate_rows == 1 and Shelter.objects.count() == 1
