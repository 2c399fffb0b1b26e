"""Browser: upload a GBK CSV shelters register (merged two-row header, one bad row), read the
preview (encoding, rejected row number), import, and see the shelters on /resources/."""

from __future__ import annotations

import pytest

from yingji.apps.core.tests.import_files import csv_bytes, shelter_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_preview_then_import_shelters(live_server, page, make_persona, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    user = make_persona("admin", username="browser-importer")
    page.goto(live_server.url + "/imports/")
    page.fill("#id_username", "browser-importer")
    page.fill("#id_password", user.test_password)
    page.click("#login-submit")
    page.wait_for_selector("#upload-form")
    # upload the GBK register as a clerk would
    page.select_option("#id_kind", "shelters")
    page.set_input_files(
        "#id_file",
        files=[{"name": "避难场所登记表.csv", "mimeType": "text/csv", "buffer": csv_bytes(shelter_rows())}],
    )
    page.click("#upload-submit")
    page.wait_for_selector("#summary")
    # the preview: encoding, the merged header, the rows to import and the bad row with its number
    assert page.locator("#encoding").inner_text().strip() == "GB18030"
    assert "位置/经度" in page.locator("#header").inner_text()
    assert page.locator("#imported tbody tr").count() == 3
    bad = page.locator("#rejected tbody tr").first
    assert bad.get_attribute("data-row") == "7"
    assert "第 7 行" in bad.inner_text() and "很多" in bad.inner_text()
    assert page.locator("#count-valid").inner_text() == "3"
    # import the valid rows
    button = page.locator("#commit-button")
    assert "导入 3 条有效数据" in button.inner_text()
    button.click()
    page.wait_for_selector(".status-imported")
    assert "已导入 3 条记录" in page.locator(".messages").inner_text()
    # the shelters are in the registry: on /resources/ or on its shelter register page
    page.goto(live_server.url + "/resources/")
    body = page.locator("main").inner_text()
    if "人民广场" not in body:
        page.locator("main a[href$='/shelters/']").first.click()
        page.wait_for_load_state()
        body = page.locator("main").inner_text()
    assert "BN-001" in body and "人民广场" in body and "县一中体育馆" in body and "河滩空地" not in body
