"""Playwright driving Debian's chromium (never a downloaded browser)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture(autouse=True)
def reference_data(transactional_db: Any) -> None:
    """Browser tests run in transactional mode, which empties tables after each test: reload if needed."""
    from conftest import MANIFEST

    from yingji.apps.directory.models import AdministrativeDivision
    from yingji.apps.directory.services import load_reference_data

    if not AdministrativeDivision.objects.exists():
        load_reference_data(MANIFEST)
