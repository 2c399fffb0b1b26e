"""Fixtures of the prevention tests: two enterprises in 焉耆镇, their managers, an officer."""

from __future__ import annotations

from typing import Any

import pytest

from yingji.apps.directory.tests.factories import EnterpriseFactory


@pytest.fixture
def enterprise(township: Any) -> Any:
    return EnterpriseFactory(division=township, name="甲化工有限公司", lon=86.57, lat=42.06)


@pytest.fixture
def other_enterprise(township: Any) -> Any:
    return EnterpriseFactory(division=township, name="乙燃气有限公司", lon=86.58, lat=42.07)


@pytest.fixture
def manager(make_persona: Any, enterprise: Any) -> Any:
    return make_persona("enterprise_safety_manager", organization=enterprise, username="mgr-a")


@pytest.fixture
def other_manager(make_persona: Any, other_enterprise: Any) -> Any:
    return make_persona("enterprise_safety_manager", organization=other_enterprise, username="mgr-b")


@pytest.fixture
def officer(make_persona: Any) -> Any:
    return make_persona("enforcement_officer", username="officer1")


@pytest.fixture
def officer2(make_persona: Any) -> Any:
    return make_persona("enforcement_officer", username="officer2")
