"""The enterprises target: USCC and name+division duplicates, authorised override with a reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yingji.apps.audit.models import ChangeRecord
from yingji.apps.core.imports import services
from yingji.apps.core.tests.import_files import csv_bytes, enterprise_rows
from yingji.apps.directory.models import Organization
from yingji.apps.directory.services import create_organization
from yingji.engines.normalize.ids import uscc_check_char

pytestmark = pytest.mark.django_db


def uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


def _upload(user, rows):
    return services.preview_upload(
        actor=user, kind="enterprises", data=csv_bytes(rows, "utf-8"), filename="企业.csv"
    )


def test_wrong_uscc_check_character_is_overridable_with_a_reason(admin_user):
    # given an enterprise list whose row 3 has a wrong USCC check character
    job = _upload(admin_user, enterprise_rows())
    rej = job.preview.data["rejected"]
    assert [(r["row"], r["column"], r["overridable"]) for r in rej] == [(3, "uscc", True)]
    # when an admin overrides it with a reason
    job = services.override_import_error(
        job, actor=admin_user, row=3, column="uscc", reason="营业执照原件如此"
    )
    # then the row is importable, the reason is on the job, in a row warning and in the audit trail
    assert [r["row"] for r in job.preview.data["imported"]] == [2, 3]
    assert (
        job.overrides["3:uscc"]["reason"] == "营业执照原件如此" and job.overrides["3:uscc"]["by"] == "admin1"
    )
    assert any("营业执照原件如此" in w["message"] for w in job.preview.data["warnings"] if w["row"] == 3)
    audit = ChangeRecord.objects.filter(model_name="importjob", object_id=str(job.pk), action="update")
    assert any((r.after or {}).get("overrides", {}).get("3:uscc") for r in audit)
    # and the import stores both with the USCC as written
    services.commit_import(job, actor=admin_user)
    stored = Organization.objects.filter(kind="enterprise", uscc__startswith="91350100M000100Y")
    assert set(stored.values_list("uscc", flat=True)) == {"91350100M000100Y43", "91350100M000100Y44"}


def test_override_needs_the_permission_a_reason_and_an_overridable_error(
    admin_user, make_persona, grant_core
):
    job = _upload(admin_user, enterprise_rows())
    # a duty leader allowed to import, but not to override check-character errors
    grant_core("duty_leader", "core.add_importjob", "core.view_importjob", "directory.add_organization")
    with pytest.raises(PermissionDenied):
        services.override_import_error(
            job, actor=make_persona("duty_leader"), row=3, column="uscc", reason="x"
        )
    with pytest.raises(ValidationError):
        services.override_import_error(job, actor=admin_user, row=3, column="uscc", reason="  ")
    with pytest.raises(ValidationError):
        services.override_import_error(job, actor=admin_user, row=2, column="name", reason="why not")
    job.refresh_from_db()
    assert job.overrides == {}


def test_duplicates_by_uscc_then_name_and_division(admin_user, other_township):
    # given 甲 stored with its USCC, and 丙 stored without one in 七个星镇
    create_organization(
        actor=None, name="已有甲", kind="enterprise", division=other_township, uscc="91350100M000100Y43"
    )
    create_organization(actor=None, name="焉耆丙商贸有限公司", kind="enterprise", division=other_township)
    rows = [
        *enterprise_rows()[:2],
        ["焉耆丙商贸有限公司", uscc("91652826MA0000001"), "商贸", "七个星镇", ""],
        ["焉耆丁公司", uscc("91652826MA0000002"), "", "七个星镇", ""],
        ["焉耆丁公司", uscc("91652826MA0000003"), "", "七个星镇", ""],
    ]
    job = _upload(admin_user, rows)
    dups = {d["row"]: d["same_as"] for d in job.preview.data["duplicates"]}
    assert dups[2] == "已登记的单位 已有甲 (91350100M000100Y43)"
    assert dups[3].startswith("已登记的单位 焉耆丙商贸有限公司") and dups[5] == 4
    assert [r["row"] for r in job.preview.data["imported"]] == [4]
    assert any("行业" in w["message"] for w in job.preview.data["warnings"] if w["row"] is None)
