"""Bad input against the monitoring registry API: implausible maintenance windows and unbounded
list paging are 400s / bounded pages, never a 500, a misleading message or a decade of silence."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from yingji.apps.directory.tests.factories import EnterpriseFactory
from yingji.apps.monitoring.models import MaintenanceWindow
from yingji.apps.monitoring.tests.factories import make_gateway

pytestmark = pytest.mark.django_db


def _api(user: Any) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


@pytest.mark.parametrize(
    ("starts", "ends", "field"),
    [
        ("0001-01-01T00:00:00Z", None, "starts_at"),
        ("1999-12-31T00:00:00+08:00", "1999-12-31T08:00:00+08:00", "starts_at"),
        (None, "+years:50", "ends_at"),
        (None, "9999-12-31T23:59:59Z", "ends_at"),
        (None, "-hours:1", "ends_at"),
    ],
)
def test_implausible_maintenance_windows_are_field_errors(admin_user, township, starts, ends, field):
    plant = EnterpriseFactory(division=township)
    now = timezone.now()

    def when(text: str | None, default: Any) -> str:
        if text is None:
            return default.isoformat()
        if text.startswith(("+", "-")):
            unit, n = text[1:].split(":")
            delta = timedelta(days=365 * int(n)) if unit == "years" else timedelta(hours=int(n))
            return (now + delta if text[0] == "+" else now - delta).isoformat()
        return text

    body = {
        "organization": plant.pk,
        "starts_at": when(starts, now + timedelta(hours=1)),
        "ends_at": when(ends, now + timedelta(hours=2)),
        "reason": "检修",
    }
    r = _api(admin_user).post("/api/monitoring/maintenance-windows/", body, format="json")
    assert r.status_code == 400 and field in r.json(), r.content
    assert not MaintenanceWindow.objects.exists()


@pytest.mark.parametrize(
    "query", ["?limit=1000000000", "?limit=10000000000000000000000", "?offset=10000000000000000000000"]
)
def test_list_paging_is_bounded_and_never_misreported(admin_user, township, query):
    plant = EnterpriseFactory(division=township)
    make_gateway(plant)
    r = _api(admin_user).get("/api/monitoring/gateways/" + query)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["count"] == 1 and len(body["results"]) == (0 if "offset" in query else 1)


def test_limit_is_capped_at_max_limit(admin_user, township, monkeypatch):
    from yingji.apps.core.pagination import Pagination

    assert Pagination.max_limit == 1000
    monkeypatch.setattr(Pagination, "max_limit", 2)
    plant = EnterpriseFactory(division=township)
    for _ in range(3):
        make_gateway(plant)
    r = _api(admin_user).get("/api/monitoring/gateways/?limit=1000000000")
    assert r.json()["count"] == 3 and len(r.json()["results"]) == 2
