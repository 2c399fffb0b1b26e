"""Test helpers: points and gateways made through the services, readings fed through ingest."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from yingji.apps.directory.tests.factories import EnterpriseFactory
from yingji.apps.monitoring import ingest, services
from yingji.apps.monitoring.models import Gateway, MonitoringPoint

T0 = datetime(2025, 6, 1, 8, 0, tzinfo=UTC).timestamp()
_seq = itertools.count(1)


def make_point(organization: Any = None, **fields: Any) -> MonitoringPoint:
    """A temperature point with H=80, HH=90 (no delays) unless overridden."""
    n = next(_seq)
    values: dict[str, Any] = {
        "code": f"TP-{n:04d}",
        "name": f"测试温度{n}",
        "organization": organization or EnterpriseFactory(),
        "quantity": "temperature",
        "unit": "℃",
        "h": 80.0,
        "hh": 90.0,
        "lon": 86.57,
        "lat": 42.06,
    }
    values.update(fields)
    return services.create_point(actor=None, **values)


def make_gateway(organization: Any) -> tuple[Gateway, str]:
    n = next(_seq)
    return services.create_gateway(actor=None, code=f"GW-T{n}", name=f"网关{n}", organization=organization)


def feed(point: MonitoringPoint, rows: list[tuple[float, float]], **kwargs: Any) -> ingest.IngestResult:
    """Ingest ``[(seconds after T0, value), ...]`` for ``point``."""
    readings = [ingest.RawReading(point.code, T0 + dt, v) for dt, v in rows]
    kwargs.setdefault("now", datetime.fromtimestamp(T0 + (max(dt for dt, _ in rows) if rows else 0), tz=UTC))
    return ingest.ingest_readings(readings, **kwargs)
