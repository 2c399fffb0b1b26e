"""Demo monitoring points (示例) for the demo enterprises, and their simulator behaviours.

``seed_demo_points`` is idempotent (points looked up by code) and marks everything
``is_demo``. Run after the dashboards demo data (which creates the four demo enterprises).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from yingji.apps.directory.models import Organization, OrganizationKind
from yingji.apps.monitoring import services
from yingji.apps.monitoring.models import Device, Gateway, MonitoringPoint
from yingji.apps.monitoring.simulator import SimPoint


@dataclass(frozen=True)
class DemoPoint:
    code: str
    name: str
    site: str
    quantity: str
    unit: str
    behaviour: str
    base: float
    noise: float
    limits: dict[str, float]
    major_hazard_level: int | None = None
    period_s: int = 5


# Enterprise name keyword → (code prefix, points). Limits are illustrative, not design values.
DEMO_PLAN: list[tuple[str, str, list[DemoPoint]]] = [
    (
        "化工",
        "HG",
        [
            DemoPoint(
                "HG-LT-01",
                "液氨储罐液位",
                "液氨储罐区",
                "level",
                "m",
                "drift",
                3.0,
                0.03,
                {"h": 4.2, "hh": 4.6, "l": 0.8, "ll": 0.5, "deadband": 0.05},
                2,
            ),
            DemoPoint(
                "HG-PT-01",
                "液氨储罐压力",
                "液氨储罐区",
                "pressure",
                "MPa",
                "spike",
                1.2,
                0.02,
                {"h": 1.6, "hh": 1.8, "deadband": 0.02},
                2,
            ),
            DemoPoint(
                "HG-GT-01",
                "罐区氨气浓度",
                "液氨储罐区",
                "toxic_gas",
                "ppm",
                "spike",
                2.0,
                0.5,
                {"h": 20.0, "hh": 40.0, "deadband": 1.0},
                2,
            ),
            DemoPoint(
                "HG-TT-01",
                "甲醇罐区温度",
                "甲醇罐区",
                "temperature",
                "℃",
                "flap",
                36.0,
                1.5,
                {"h": 40.0, "hh": 50.0, "deadband": 0.2},
                3,
            ),
            DemoPoint("HG-FA-01", "罐区火灾报警", "液氨储罐区", "fire", "", "fire", 0.0, 0.0, {"h": 0.5}, 2),
        ],
    ),
    (
        "燃气",
        "RQ",
        [
            DemoPoint(
                "RQ-PT-01",
                "液化石油气储罐压力",
                "液化石油气储配站",
                "pressure",
                "MPa",
                "drift",
                1.0,
                0.01,
                {"h": 1.5, "hh": 1.7, "deadband": 0.02},
                3,
            ),
            DemoPoint(
                "RQ-GT-01",
                "储配站可燃气体",
                "液化石油气储配站",
                "flammable_gas",
                "%LEL",
                "spike",
                1.0,
                0.4,
                {"h": 20.0, "hh": 50.0, "deadband": 1.0},
                3,
            ),
            DemoPoint(
                "RQ-FA-01", "储配站火灾报警", "液化石油气储配站", "fire", "", "fire", 0.0, 0.0, {"h": 0.5}, 3
            ),
        ],
    ),
    (
        "油品",
        "YP",
        [
            DemoPoint(
                "YP-LT-01",
                "汽油储罐液位",
                "成品油库",
                "level",
                "m",
                "drift",
                8.0,
                0.05,
                {"h": 11.0, "hh": 12.0, "deadband": 0.05},
                3,
            ),
            DemoPoint(
                "YP-TT-01",
                "油库罐区温度",
                "成品油库",
                "temperature",
                "℃",
                "flap",
                30.0,
                1.0,
                {"h": 38.0, "hh": 45.0, "deadband": 0.1},
                3,
            ),
            DemoPoint(
                "YP-GT-01",
                "油库可燃气体",
                "成品油库",
                "flammable_gas",
                "%LEL",
                "spike",
                0.8,
                0.3,
                {"h": 20.0, "hh": 50.0, "deadband": 1.0},
                3,
            ),
        ],
    ),
    (
        "水处理",
        "SC",
        [
            DemoPoint(
                "SC-GT-01",
                "加氯间氯气浓度",
                "加氯间",
                "toxic_gas",
                "ppm",
                "spike",
                0.2,
                0.05,
                {"h": 1.0, "hh": 3.0, "deadband": 0.05},
                4,
            ),
            DemoPoint(
                "SC-LT-01",
                "清水池液位",
                "清水池",
                "level",
                "m",
                "drift_low",
                2.5,
                0.02,
                {"l": 1.0, "ll": 0.5, "deadband": 0.05},
            ),
        ],
    ),
]
#: ``Device.model_name`` of the demo devices.
DEMO_DEVICE_MODEL = "示例型号 YJ-100"
COMMON_RULES = {"on_delay_s": 10.0, "off_delay_s": 10.0, "offline_s": 60.0}


def _enterprise_for(keyword: str) -> Organization | None:
    return (
        Organization.objects.filter(kind=OrganizationKind.ENTERPRISE, is_demo=True, name__contains=keyword)
        .order_by("name")
        .first()
    )


def seed_demo_points(*, actor: Any = None) -> dict[str, int]:
    """Create the demo gateways, devices and points for the demo enterprises that exist
    (idempotent: what exists, by code, is left as it is).

    One device (``DEV-<gateway prefix>-<nn>``, the instruments of one site of the plan, e.g.
    加氢装置) per site, on the site's gateway; the site's points are its channels (points seeded
    before devices existed are attached to it). All marked ``is_demo`` (shown as 示例).

    Returns:
        ``{"gateways": created, "devices": created, "points": created}``.
    """
    created = {"gateways": 0, "devices": 0, "points": 0}
    with transaction.atomic():
        for keyword, prefix, points in DEMO_PLAN:
            org = _enterprise_for(keyword)
            if org is None:
                continue
            gateway = Gateway.objects.filter(code=f"GW-{prefix}").first()
            if gateway is None:
                gateway, _token = services.create_gateway(
                    actor=actor,
                    code=f"GW-{prefix}",
                    name=f"{org.short_name or org.name}采集网关",
                    organization=org,
                    is_demo=True,
                )
                created["gateways"] += 1
            devices: dict[str, Device] = {}
            for dp in points:
                if dp.site in devices:
                    continue
                code = f"DEV-{prefix}-{len(devices) + 1:02d}"
                device = Device.objects.filter(code=code).first()
                if device is None:
                    device = services.create_device(
                        actor=actor,
                        code=code,
                        name=f"{dp.site}监测仪表",
                        organization=org,
                        gateway=gateway,
                        model_name=DEMO_DEVICE_MODEL,
                        is_demo=True,
                    )
                    created["devices"] += 1
                devices[dp.site] = device
            for i, dp in enumerate(points):
                device = devices[dp.site]
                if MonitoringPoint.objects.filter(code=dp.code).exists():
                    MonitoringPoint.objects.filter(
                        code=dp.code, is_demo=True, device__isnull=True, organization=org
                    ).update(device=device)
                    continue
                lon = (org.lon or 86.57) + 0.0008 * (i - 2)
                lat = (org.lat or 42.06) + 0.0005 * ((i % 3) - 1)
                services.create_point(
                    actor=actor,
                    code=dp.code,
                    name=dp.name,
                    organization=org,
                    site_kind="installation",
                    site_name=dp.site,
                    major_hazard_level=dp.major_hazard_level,
                    quantity=dp.quantity,
                    unit=dp.unit,
                    sampling_period_s=dp.period_s,
                    gateway=gateway,
                    device=device,
                    lon=lon,
                    lat=lat,
                    is_demo=True,
                    **{**COMMON_RULES, **dp.limits},
                )
                created["points"] += 1
    return created


def sim_points(points: list[MonitoringPoint]) -> list[SimPoint]:
    """Simulator behaviours for ``points``: the demo plan for demo codes, else noise around the
    middle of the normal band."""
    plan = {dp.code: dp for _k, _p, pts in DEMO_PLAN for dp in pts}
    out = []
    for p in points:
        dp = plan.get(p.code)
        gateway = p.gateway.code if p.gateway_id and p.gateway else f"org-{p.organization_id}"
        if dp is not None:
            out.append(
                SimPoint(
                    p.code,
                    gateway,
                    dp.behaviour,
                    dp.base,
                    dp.noise,
                    p.h,
                    p.hh,
                    p.l,
                    p.ll,
                    float(p.sampling_period_s),
                )
            )
            continue
        lo = p.l if p.l is not None else (p.ll if p.ll is not None else 0.0)
        hi = p.h if p.h is not None else (p.hh if p.hh is not None else lo + 10.0)
        out.append(
            SimPoint(
                p.code,
                gateway,
                "steady",
                (lo + hi) / 2,
                abs(hi - lo) / 20,
                p.h,
                p.hh,
                p.l,
                p.ll,
                float(p.sampling_period_s),
            )
        )
    return out
