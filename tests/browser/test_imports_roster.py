"""Browser (issue: import layer): upload a GBK CSV rescue-team roster with a merged two-row header
(联系电话 over 手机), see the encoding, the rows and the row errors in the preview, then import."""

from __future__ import annotations

import pytest

from yingji.apps.core.tests.import_files import csv_bytes
from yingji.engines.normalize.ids import id_check_char

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _id(first17: str) -> str:
    return first17 + id_check_char(first17)


def test_upload_gbk_roster_preview_errors_then_import(live_server, page, make_persona, settings, tmp_path):
    from yingji.apps.directory.models import AdministrativeDivision
    from yingji.apps.resources.models import TeamMember
    from yingji.apps.resources.services import create_rescue_team

    settings.MEDIA_ROOT = str(tmp_path / "media")
    township = AdministrativeDivision.objects.get(code="652826100000")
    create_rescue_team(actor=None, name="县综合性消防救援队", kind="comprehensive", division=township)
    user = make_persona("admin", username="roster-importer")
    good_id = _id("65282619850312123")
    bad_id = "65282619900101123" + ("0" if id_check_char("65282619900101123") != "0" else "1")
    rows = [
        ["焉耆县应急救援队伍队员名册"],
        ["姓名", "身份证号", "性别", "联系电话", "", "所属队伍", "专业技能"],
        ["", "", "", "手机", "办公电话", "", ""],
        ["马建国", good_id, "男", "138 0013 8000", "0996-6021234", "县综合性消防救援队", "绳索救援"],
        ["李红梅", _id("65282619920705234"), "女", "+86 13912345678", "", "县综合性消防救援队", "医疗救护"],
        ["王强", bad_id, "男", "13700000000", "", "县综合性消防救援队", "破拆"],
    ]
    page.goto(live_server.url + "/imports/")
    page.fill("#id_username", "roster-importer")
    page.fill("#id_password", user.test_password)
    page.click("#login-submit")
    page.wait_for_selector("#upload-form")
    page.select_option("#id_kind", "rescue-team-members")
    page.set_input_files(
        "#id_file",
        files=[{"name": "队员名册.csv", "mimeType": "text/csv", "buffer": csv_bytes(rows)}],
    )
    page.click("#upload-submit")
    page.wait_for_selector("#summary")
    assert page.locator("#encoding").inner_text().strip() == "GB18030"
    assert "联系电话/手机" in page.locator("#header").inner_text()
    assert page.locator("#imported tbody tr").count() == 2
    bad = page.locator("#rejected tbody tr").first
    assert bad.get_attribute("data-row") == "6"  # Excel row: title 1, header 2-3, data from 4
    assert bad_id in bad.inner_text()
    assert TeamMember.objects.count() == 0  # the preview writes nothing
    page.locator("#commit-button").click()
    page.wait_for_selector(".status-imported")
    members = {m.name: m for m in TeamMember.objects.all()}
    assert set(members) == {"马建国", "李红梅"}
    assert members["马建国"].id_number == good_id and members["马建国"].phone == "13800138000"
