"""The import preview page shows labels, not stored codes, and lists every error of a row at once."""

from __future__ import annotations

import pytest
from django.test import Client

from yingji.apps.core.imports.registry import display_value
from yingji.apps.resources.tests.test_registry_imports import (
    EXPERT_HEADER,
    GOOD_TEAMS,
    TEAM_HEADER,
    depot_file,
    rejected,
    upload,
    xlsx,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _page(user, job) -> str:
    c = Client()
    c.force_login(user)
    r = c.get(f"/imports/{job.pk}/")
    assert r.status_code == 200
    return r.content.decode()


def test_rescue_team_preview_shows_choice_labels_and_stores_codes(admin_user):
    job = upload(admin_user, "rescue-teams", xlsx([TEAM_HEADER, GOOD_TEAMS[0]]))
    values = job.preview.rows("imported")[0]["values"]
    assert (values["kind"], values["readiness"]) == ("specialised", "ready")  # stored: the codes
    html = _page(admin_user, job)
    assert "<td>专业</td>" in html and "<td>待命</td>" in html
    assert "specialised" not in html and ">ready<" not in html


def test_supply_class_and_shelf_life_labels():
    assert display_value("supply-items", "supply_class", "05").startswith("05 ")
    assert display_value("supply-items", "shelf_life_days", 1825) == "1825 天"
    assert display_value("depots", "owner_kind", "bureau") == "应急管理局"
    assert display_value("depots", "owner_kind", "no-such-code") == "no-such-code"


def test_booleans_default_to_yes_no(admin_user):
    experts = [
        [1, "王建华", "男", "", "主任医师", "医疗救护", "是", "", ""],
        [2, "刘玉梅", "女", "", "高级工程师", "防汛抗旱", "出差", "至6月底", ""],
    ]
    job = upload(admin_user, "experts", xlsx([EXPERT_HEADER, *experts]))
    assert [r["values"]["available"] for r in job.preview.rows("imported")] == [True, False]
    html = _page(admin_user, job)
    assert "<td>是</td>" in html and "<td>否</td>" in html and "True" not in html
    assert display_value("experts", "available", None) == ""


def test_database_errors_listed_with_format_errors_of_the_same_row(admin_user):
    # row 4: bad 储备主体 (engine) and an unknown 所属单位 (database): both at once;
    # row 5: bad coordinates only (engine); the database check adds nothing on them
    job = upload(
        admin_user,
        "depots",
        depot_file(
            [1, "CK-201", "某库", "个人", "不存在的单位", "焉耆镇", "", "", "", ""],
            [2, "CK-202", "河对岸库", "部门", "", "焉耆镇", "88.0", "42.0", "", ""],
        ),
    )
    assert rejected(job) == {(4, "owner_kind"), (4, "organization"), (5, "lng"), (5, "lat")}
    entries = [r for r in job.preview.rows("rejected") if (r["row"], r["column"]) == (4, "organization")]
    assert len(entries) == 1 and "不存在的单位" in entries[0]["reason"]
    assert job.rejected_rows == 2 and job.valid_rows == 0
