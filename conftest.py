"""Shared pytest set-up: reference data loaded once per test database, persona users, db marker."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

# Property tests check correctness, not speed: no per-example deadline on a loaded 2-core machine.
hypothesis_settings.register_profile("yingji", deadline=None)
hypothesis_settings.load_profile("yingji")

ROOT = Path(__file__).resolve().parent
MANIFEST = ROOT / "data" / "yanqi" / "reference.json"
# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

_DB_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "client",
    "admin_client",
    "django_db_reset_sequences",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every database-facing test ``db`` (make test re-runs those on PostgreSQL)."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") or fixtures & _DB_FIXTURES:
            item.add_marker(pytest.mark.db)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Load the real Yanqi reference data into the test database once."""
    from yingji.apps.directory.services import load_reference_data

    with django_db_blocker.unblock():
        load_reference_data(MANIFEST)


@pytest.fixture(autouse=True)
def _reference_data_for_transactional_tests(request: pytest.FixtureRequest) -> None:
    """Transactional tests empty every table afterwards: reload the reference data when it is
    missing, before any other fixture (``county``, ``make_persona``) looks it up."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from yingji.apps.directory.models import AdministrativeDivision
    from yingji.apps.directory.services import load_reference_data

    if not AdministrativeDivision.objects.exists():
        load_reference_data(MANIFEST)


@pytest.fixture
def county(db: Any) -> Any:
    from yingji.apps.directory.models import AdministrativeDivision

    return AdministrativeDivision.objects.get(code="652826000000")


@pytest.fixture
def township(db: Any) -> Any:
    from yingji.apps.directory.models import AdministrativeDivision

    return AdministrativeDivision.objects.get(code="652826100000")  # 焉耆镇


@pytest.fixture
def other_township(db: Any) -> Any:
    from yingji.apps.directory.models import AdministrativeDivision

    return AdministrativeDivision.objects.get(code="652826101000")  # 七个星镇


@pytest.fixture
def make_persona(db: Any, county: Any) -> Any:
    """``make_persona(role, division=None, organization=None, username=None)`` → a user with that grant."""
    from yingji.apps.accounts.services import create_user, grant_role

    counter = {"n": 0}

    def make(role: str, division: Any = None, organization: Any = None, username: str | None = None) -> Any:
        counter["n"] += 1
        name = username or f"{role}-{counter['n']}"
        user = create_user(actor=None, username=name, password="pw-" + name + "-Secret1")
        grant_role(user, actor=None, role=role, division=division or county, organization=organization)
        user.test_password = "pw-" + name + "-Secret1"
        return user

    return make


@pytest.fixture
def duty_officer(make_persona: Any) -> Any:
    return make_persona("duty_officer", username="duty1")


@pytest.fixture
def auditor(make_persona: Any) -> Any:
    return make_persona("auditor", username="auditor1")


@pytest.fixture
def admin_user(make_persona: Any) -> Any:
    return make_persona("admin", username="admin1")
