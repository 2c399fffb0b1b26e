"""Hidden hazards: report → grade → assign → rectify → verify (someone else) → close; rights; photos."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yingji.apps.audit.models import ChangeRecord
from yingji.apps.risk import hazard_services as hs
from yingji.apps.risk.models import HazardStatus, HiddenHazard, HiddenHazardPhoto

from .factories import api, png_bytes

pytestmark = pytest.mark.django_db


def _report(enterprise, actor, **extra):
    return hs.report_hidden_hazard(
        actor=actor,
        enterprise=enterprise,
        title="报警器未投用",
        category="equipment",
        source="self_check",
        **extra,
    )


def test_full_lifecycle_through_the_api(enterprise, manager, officer, officer2, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    m, o = api(manager), api(officer)
    # given the enterprise reports a hazard from its self-check with checklist item 12 ticked
    r = m.post(
        "/api/hidden-hazards/",
        {
            "enterprise": enterprise.pk,
            "title": "报警器未投用",
            "category": "equipment",
            "source": "self_check",
            "checklist_items": [12],
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["proposed_grade"] == "major" and r.json()["status"] == "reported"
    # the manager may not grade it 重大
    assert m.post(f"/api/hidden-hazards/{pk}/grade/", {"grade": "major"}, format="json").status_code == 403
    assert HiddenHazard.objects.get(pk=pk).grade == ""
    # the officer grades it 重大 -> listed for supervision at once
    r = o.post(f"/api/hidden-hazards/{pk}/grade/", {"grade": "major"}, format="json")
    assert r.status_code == 200 and r.json()["grade"] == "major" and r.json()["supervision_level"] == 1
    # assign with deadline and exact funding
    r = m.post(
        f"/api/hidden-hazards/{pk}/assign/",
        {"responsible_person": "王安全", "deadline": "2030-01-31", "funding_cny": "12345.67"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["funding_cny"] == "12345.67"
    # progress with a before photo
    assert (
        m.post(f"/api/hidden-hazards/{pk}/progress/", {"progress": "已采购"}, format="json").status_code
        == 200
    )
    photo = SimpleUploadedFile("before.png", png_bytes(), content_type="image/png")
    r = m.post(f"/api/hidden-hazards/{pk}/photos/", {"stage": "before", "image": photo}, format="multipart")
    assert r.status_code == 201, r.content
    assert (tmp_path / HiddenHazardPhoto.objects.get().image.name).exists()
    # the manager completes; the manager cannot verify
    assert m.post(f"/api/hidden-hazards/{pk}/complete/", {}, format="json").status_code == 200
    assert m.post(f"/api/hidden-hazards/{pk}/verify/", {"passed": True}, format="json").status_code == 403
    # the officer verifies and closes
    assert o.post(f"/api/hidden-hazards/{pk}/verify/", {"passed": True}, format="json").status_code == 200
    r = o.post(f"/api/hidden-hazards/{pk}/close/", {}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "closed"
    actions = [e["action"] for e in r.json()["events"]]
    assert actions == [
        "report",
        "grade",
        "list",
        "assign",
        "progress",
        "photo",
        "complete",
        "verify",
        "close",
    ]
    assert ChangeRecord.objects.filter(model_name="hiddenhazard", object_id=str(pk)).count() >= 8


def test_verifier_must_differ_from_rectifier(enterprise, officer, officer2):
    hazard = _report(enterprise, officer)
    hazard = hs.grade_hidden_hazard(hazard, actor=officer, grade="general")
    hazard = hs.assign_hidden_hazard(
        hazard, actor=officer, responsible_person="张", deadline=datetime.date(2030, 1, 1)
    )
    hazard = hs.complete_rectification(hazard, actor=officer)
    with pytest.raises(PermissionDenied):
        hs.verify_hidden_hazard(hazard, actor=officer, passed=True)
    hazard = hs.verify_hidden_hazard(hazard, actor=officer2, passed=False, note="未整改到位")
    assert hazard.status == HazardStatus.RECTIFYING


def test_manager_may_grade_general_but_not_major_nor_verify(enterprise, manager):
    hazard = _report(enterprise, manager)
    with pytest.raises(PermissionDenied):
        hs.grade_hidden_hazard(hazard, actor=manager, grade="major")
    hazard = hs.grade_hidden_hazard(hazard, actor=manager, grade="general")
    assert hazard.grade == "general" and hazard.supervision_level == 0
    assert manager.has_perm("risk.add_hiddenhazard") and not manager.has_perm("risk.grade_hiddenhazard")
    assert not manager.has_perm("risk.verify_hiddenhazard")


def test_wrong_state_is_a_field_error(enterprise, officer):
    hazard = _report(enterprise, officer)
    with pytest.raises(ValidationError) as exc:
        hs.complete_rectification(hazard, actor=officer)
    assert "status" in exc.value.message_dict


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.png", b"%PDF-1.4 not an image", "只接受"),
        ("a.jpg", png_bytes(), "扩展名"),
        ("big.png", png_bytes() + b"0" * (5 * 1024 * 1024), "5 MB"),
    ],
)
def test_photos_must_be_small_images(enterprise, manager, settings, tmp_path, name, content, message):
    settings.MEDIA_ROOT = tmp_path
    hazard = _report(enterprise, manager)
    r = api(manager).post(
        f"/api/hidden-hazards/{hazard.pk}/photos/",
        {"stage": "before", "image": SimpleUploadedFile(name, content)},
        format="multipart",
    )
    assert r.status_code == 400 and message in str(r.json()["image"])
    assert not HiddenHazardPhoto.objects.exists()


def test_escalation_task_lists_overdue_and_is_idempotent(enterprise, officer):
    from yingji.apps.risk.tasks import escalate_overdue_hidden_hazards_task

    hazard = _report(enterprise, officer)
    hazard = hs.grade_hidden_hazard(hazard, actor=officer, grade="general")
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    hs.assign_hidden_hazard(
        hazard, actor=officer, responsible_person="张", deadline=deadline, funding_cny=Decimal("1")
    )
    major = hs.grade_hidden_hazard(
        _report(enterprise, officer, description="m"), actor=officer, grade="major"
    )
    assert major.supervision_level == 1

    def day(n: int) -> str:
        return (deadline + datetime.timedelta(days=n)).isoformat()

    # before the deadline nothing changes; the day after it is listed (level 1)
    assert escalate_overdue_hidden_hazards_task.call_local(day(0)) == 0
    assert escalate_overdue_hidden_hazards_task.call_local(day(1)) == 1
    hazard.refresh_from_db()
    assert hazard.supervision_level == 1 and "逾期" in hazard.listed_reason
    assert escalate_overdue_hidden_hazards_task.call_local(day(1)) == 0  # idempotent
    # 30 days (RiskSettings default) past the deadline -> level 2, then capped at 3
    assert escalate_overdue_hidden_hazards_task.call_local(day(30)) == 1
    hazard.refresh_from_db()
    assert hazard.supervision_level == 2
    escalate_overdue_hidden_hazards_task.call_local(day(365))
    hazard.refresh_from_db()
    assert hazard.supervision_level == 3
    assert hazard.events.filter(action="escalate").count() == 2
