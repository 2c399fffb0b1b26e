"""Bad input in the prevention app: implausible dates and photos that are not what they claim."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from yingji.apps.risk import hazard_services as hs
from yingji.apps.risk import services
from yingji.apps.risk.models import HiddenHazard, HiddenHazardPhoto, Licence, ProductionUnit, SpecialEquipment

from .factories import api, image_bytes, png_bytes, png_header

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _graded(enterprise, officer):
    hazard = hs.report_hidden_hazard(
        actor=officer, enterprise=enterprise, title="报警器未投用", category="equipment", source="inspection"
    )
    return hs.grade_hidden_hazard(hazard, actor=officer, grade="general")


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        (TODAY - datetime.timedelta(days=1), "date in the past"),
        (datetime.date(1, 1, 1), "date in the past"),
        (TODAY + datetime.timedelta(days=6 * 366), "years ahead"),
    ],
)
def test_rectification_deadline_must_lie_ahead_when_set(enterprise, manager, officer, deadline, message):
    hazard = _graded(enterprise, officer)
    r = api(manager).post(
        f"/api/hidden-hazards/{hazard.pk}/assign/",
        {"responsible_person": "王安全", "deadline": deadline.isoformat()},
        format="json",
    )
    assert r.status_code == 400 and message in str(r.json()["deadline"]), r.content
    hazard.refresh_from_db()
    assert hazard.status == "graded" and hazard.deadline is None


def test_deadline_page_form_shows_the_error(enterprise, officer):
    hazard = _graded(enterprise, officer)
    c = Client()
    c.force_login(officer)
    yesterday = (TODAY - datetime.timedelta(days=1)).isoformat()
    r = c.post(f"/risk/hazards/{hazard.pk}/assign/", {"responsible_person": "王", "deadline": yesterday})
    assert r.status_code == 400 and "date in the past" in r.content.decode()


def test_reassigning_keeps_a_deadline_that_has_since_passed(enterprise, officer):
    hazard = _graded(enterprise, officer)
    hazard = hs.assign_hidden_hazard(hazard, actor=officer, responsible_person="张", deadline=TODAY)
    past = TODAY - datetime.timedelta(days=3)
    HiddenHazard.objects.filter(pk=hazard.pk).update(deadline=past)  # three days went by
    hazard.refresh_from_db()
    hazard = hs.assign_hidden_hazard(hazard, actor=officer, responsible_person="李", deadline=past)
    assert hazard.responsible_person == "李" and hazard.deadline == past
    with pytest.raises(ValidationError) as err:
        hs.assign_hidden_hazard(
            hazard, actor=officer, responsible_person="李", deadline=past - datetime.timedelta(1)
        )
    assert "deadline" in err.value.message_dict


def test_hazard_reported_in_year_one_is_refused(enterprise, officer):
    with pytest.raises(ValidationError) as err:
        hs.report_hidden_hazard(
            actor=officer,
            enterprise=enterprise,
            title="x",
            category="other",
            source="inspection",
            reported_at=datetime.datetime(1, 1, 1, tzinfo=datetime.UTC),
        )
    assert "reported_at" in err.value.message_dict
    assert not HiddenHazard.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"issued_on": "0001-01-01", "valid_until": "2027-01-01"}, "issued_on"),
        (
            {"issued_on": (TODAY + datetime.timedelta(days=2)).isoformat(), "valid_until": "2029-01-01"},
            "issued_on",
        ),
        ({"issued_on": "2024-05-01", "valid_until": "2024-04-30"}, "valid_until"),
        ({"valid_until": "2099-01-01"}, "valid_until"),
    ],
)
def test_licence_dates_must_be_plausible(enterprise, manager, fields, field):
    r = api(manager).post(
        "/api/licences/",
        {"enterprise": enterprise.pk, "kind": "other", "number": "甲-1", **fields},
        format="json",
    )
    assert r.status_code == 400 and field in r.json(), r.content
    assert not Licence.objects.exists()


def test_licence_page_form_shows_the_error(enterprise, manager):
    c = Client()
    c.force_login(manager)
    r = c.post(
        f"/risk/enterprises/{enterprise.pk}/ledger/licence/new/",
        {"kind": "other", "number": "甲-1", "issued_on": "0001-01-01", "valid_until": "2027-01-01"},
    )
    assert r.status_code == 400 and "日期不能早于2000-01-01" in r.content.decode()


def test_equipment_and_unit_dates_must_be_plausible(enterprise, manager):
    r = api(manager).post(
        "/api/special-equipment/",
        {
            "enterprise": enterprise.pk,
            "kind": "boiler",
            "name": "1号锅炉",
            "next_inspection_due": "2999-01-01",
        },
        format="json",
    )
    assert r.status_code == 400 and "next_inspection_due" in r.json()
    assert not SpecialEquipment.objects.exists()
    with pytest.raises(ValidationError) as err:
        services.create_unit(
            actor=manager,
            enterprise=enterprise,
            name="罐区",
            exposed_population_date=TODAY + datetime.timedelta(days=30),
        )
    assert "exposed_population_date" in err.value.message_dict
    assert not ProductionUnit.objects.exists()


def _damaged(data: bytes) -> bytes:
    """``data`` with 8 bytes of the last IDAT chunk inverted (before its CRC and the IEND chunk)."""
    return data[:-24] + bytes(b ^ 0xFF for b in data[-24:-16]) + data[-16:]


def _upload(manager, hazard, name: str, content: bytes, content_type: str):
    return api(manager).post(
        f"/api/hidden-hazards/{hazard.pk}/photos/",
        {"stage": "before", "image": SimpleUploadedFile(name, content, content_type=content_type)},
        format="multipart",
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        # a PNG whose pixel data was damaged: it opens, and verify() finds the bad checksum
        ("a.png", _damaged(png_bytes((64, 48))), "image/png", "corrupt image"),
        # a small file declaring a 100,000 x 100,000 canvas (decompression bomb)
        ("bomb.png", png_header(100_000, 100_000), "image/png", "decompression bomb"),
        # 8,000 x 8,000 = 64 megapixels: under Pillow's own limit, over ours
        ("big.png", png_header(8_000, 8_000), "image/png", "too many pixels"),
        # a real PNG declared as a JPEG
        ("a.png", png_bytes(), "image/jpeg", "content type mismatch"),
        ("a.png", png_bytes(), "text/html", "content type mismatch"),
        # an SVG is not accepted whatever it declares
        ("a.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/png", "只接受"),
    ],
)
def test_photos_are_verified_images_of_the_declared_type(
    enterprise, manager, officer, settings, tmp_path, name, content, content_type, message
):
    settings.MEDIA_ROOT = tmp_path
    hazard = _graded(enterprise, officer)
    r = _upload(manager, hazard, name, content, content_type)
    assert r.status_code == 400 and message in str(r.json()["image"]), r.content
    assert not HiddenHazardPhoto.objects.exists() and not any(tmp_path.rglob("*.png"))


@pytest.mark.parametrize(
    ("name", "fmt", "declared", "stored"),
    [
        ("p.jpg", "JPEG", "image/jpeg", "image/jpeg"),
        ("p.jpeg", "JPEG", "image/jpg", "image/jpeg"),
        ("p.webp", "WEBP", "image/webp", "image/webp"),
        ("p.gif", "GIF", "application/octet-stream", "image/gif"),
    ],
)
def test_real_photos_are_accepted(
    enterprise, manager, officer, settings, tmp_path, name, fmt, declared, stored
):
    settings.MEDIA_ROOT = tmp_path
    hazard = _graded(enterprise, officer)
    r = _upload(manager, hazard, name, image_bytes(fmt, (64, 48)), declared)
    assert r.status_code == 201, r.content
    assert HiddenHazardPhoto.objects.get().content_type == stored
