"""Demo stock (示例) for the demo depots and teams: catalogue, lots, quotas, team members, equipment.

``seed_demo_stock`` is called by the lead's ``dashboards.demo.seed_demo`` after the
depots, teams and shelters exist. Quantities, batches and names come from a fixed
seed; production and expiry dates are fixed offsets from ``today`` (so that expiry
warnings stay meaningful). Every record is ``is_demo=True``. Idempotent: a lot
(depot, item, batch), quota, member or equipment that exists is left alone. Demo
members carry no ID numbers or phone numbers (never invent personal identifiers).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from yingji.apps.directory.models import AdministrativeDivision
from yingji.apps.resources import services
from yingji.apps.resources.models import (
    Depot,
    Equipment,
    RescueTeam,
    ReserveQuota,
    Shelter,
    StockLot,
    SupplyClass,
    SupplyItem,
    TeamMember,
)

SEED = 6528267

# code, name, class code, unit, shelf life (days) or None, storage needs
ITEMS: list[tuple[str, str, str, str, int | None, str]] = [
    ("WZ-0501", "救灾帐篷(12m²)", "05", "顶", None, "干燥通风，防鼠"),
    ("WZ-0502", "棉被", "05", "床", None, "干燥通风，防潮防虫"),
    ("WZ-0503", "折叠床", "05", "张", None, "干燥"),
    ("WZ-0504", "瓶装饮用水(550ml×24)", "05", "箱", 730, "避光，常温"),
    ("WZ-0505", "方便食品", "05", "箱", 270, "避光，常温，防潮"),
    ("WZ-0201", "救生衣", "02", "件", None, "避光"),
    ("WZ-0101", "医用防护服", "01", "套", 1095, "避光，防潮"),
    ("WZ-0301", "急救药箱", "03", "个", 730, "阴凉干燥"),
    ("WZ-1301", "防汛编织袋", "13", "条", None, "避光"),
    ("WZ-0901", "铁锹", "09", "把", None, "干燥"),
    ("WZ-1001", "应急照明灯", "10", "台", None, "干燥，定期充电"),
    ("WZ-0701", "柴油发电机(5kW)", "07", "台", None, "通风，定期试机"),
]
# item code → per-1,000-residents quota for each township
QUOTAS_PER_1000: dict[str, Decimal] = {
    "WZ-0501": Decimal("3"),
    "WZ-0502": Decimal("20"),
    "WZ-0504": Decimal("10"),
}
FIRST_NAMES = ["海军", "建华", "志勇", "玉梅", "国庆", "小军", "亚楠", "立军", "春燕", "卫东", "新民", "艳丽"]
SURNAMES = "王李张刘陈杨马赵黄周吴徐孙朱胡郭何高林罗"
TEAM_SKILLS = {
    "综合救援": "搜救、破拆、绳索救援、水域救援",
    "危险化学品": "危化品处置、堵漏、洗消、侦检",
    "防汛抢险": "防汛抢险、排涝、水域救援",
    "医疗救护": "医疗救护、心肺复苏、伤员转运",
    "搜救": "搜救、心肺复苏",
}
EQUIPMENT_KINDS = [
    (Equipment.Kind.VEHICLE, "应急救援车"),
    (Equipment.Kind.PUMP, "移动排水泵"),
    (Equipment.Kind.GENERATOR, "移动发电机"),
    (Equipment.Kind.UAV, "侦察无人机"),
    (Equipment.Kind.SATELLITE_PHONE, "卫星电话"),
]


@dataclass
class StockDemoResult:
    """Counts of what ``seed_demo_stock`` created."""

    created: dict[str, int] = field(default_factory=dict)

    def bump(self, key: str, n: int = 1) -> None:
        self.created[key] = self.created.get(key, 0) + n


def _items(actor: Any, result: StockDemoResult) -> dict[str, SupplyItem]:
    services.ensure_supply_classes(actor=actor)
    classes = {c.code: c for c in SupplyClass.objects.all()}
    items: dict[str, SupplyItem] = {}
    for code, name, klass, unit, shelf, storage in ITEMS:
        item = SupplyItem.objects.filter(code=code).first()
        if item is None:
            item = services.create_supply_item(
                actor=actor,
                code=code,
                name=name,
                supply_class=classes[klass],
                unit=unit,
                shelf_life_days=shelf,
                storage_requirements=storage,
                is_demo=True,
            )
            result.bump("items")
        items[code] = item
    return items


def _rng(*key: object) -> random.Random:
    """A generator seeded by ``SEED`` and a record key: the same draws whatever already exists."""
    return random.Random(f"{SEED}:" + ":".join(str(k) for k in key))


def _lots(actor: Any, items: dict[str, SupplyItem], today: date, result: StockDemoResult) -> None:
    for depot in Depot.objects.filter(is_demo=True).order_by("code"):
        big = depot.owner_kind in (Depot.OwnerKind.BUREAU, Depot.OwnerKind.AGREEMENT)
        for code, item in items.items():
            rng = _rng(depot.code, code)
            if not big and rng.random() < 0.35:
                continue
            for n in range(1 if not big else 2):
                batch = f"{depot.code}-{code[-4:]}-{n + 1}"
                qty = Decimal(rng.randint(20, 400) if big else rng.randint(5, 80))
                if item.shelf_life_days:
                    produced = today - timedelta(days=rng.randint(30, item.shelf_life_days))
                    expiry: date | None = produced + timedelta(days=item.shelf_life_days)
                else:
                    produced, expiry = today - timedelta(days=rng.randint(30, 900)), None
                location = f"{rng.choice('ABCD')}-{rng.randint(1, 20):02d}"
                if StockLot.objects.filter(depot=depot, item=item, batch=batch).exists():
                    continue
                services.receive_stock(
                    actor=actor,
                    depot=depot,
                    item=item,
                    quantity=qty,
                    batch=batch,
                    production_date=produced,
                    expiry_date=expiry,
                    location=location,
                    reference="DEMO",
                    is_demo=True,
                )
                result.bump("lots")


def _quotas(actor: Any, items: dict[str, SupplyItem], result: StockDemoResult) -> None:
    townships = AdministrativeDivision.objects.filter(level="township", population__isnull=False).order_by(
        "code"
    )
    for division in townships:
        for code, per_1000 in QUOTAS_PER_1000.items():
            if ReserveQuota.objects.filter(division=division, item=items[code], hazard="").exists():
                continue
            services.set_reserve_quota(
                actor=actor,
                division=division,
                item=items[code],
                basis=ReserveQuota.Basis.PER_1000,
                quantity=per_1000,
                note="示例定额",
                is_demo=True,
            )
            result.bump("quotas")


def _teams(actor: Any, result: StockDemoResult) -> None:
    for team in RescueTeam.objects.filter(is_demo=True).order_by("name"):
        skills = TEAM_SKILLS.get(team.specialty, team.specialty)
        if not team.skills:
            services.update_rescue_team(team, actor=actor, skills=skills, contact_name="值班队长")
        existing = TeamMember.objects.filter(team=team).count()
        tags = skills.split("、")
        for i in range(existing, min(team.member_count, 8)):
            rng = _rng(team.name, "member", i)
            name = rng.choice(SURNAMES) + rng.choice(FIRST_NAMES)
            member = services.add_team_member(
                actor=actor,
                team=team,
                name=name,
                position="队长" if i == 0 else "队员",
                skills="、".join(rng.sample(tags, k=min(len(tags), 2))),
                is_demo=True,
            )
            if i == 0:
                services.add_certificate(
                    actor=actor,
                    member=member,
                    name="应急救援员职业资格",
                    valid_until=date(2028, 12, 31),
                )
            result.bump("members")
        kinds = EQUIPMENT_KINDS[: 2 + _rng(team.name, "equipment").randint(0, 3)]
        for n, (kind, label) in enumerate(kinds, start=1):
            code = f"ZB-{team.pk:03d}-{n}"
            if Equipment.objects.filter(code=code).exists():
                continue
            services.create_equipment(
                actor=actor,
                code=code,
                name=label,
                kind=kind,
                quantity=_rng(team.name, "equipment", n).randint(1, 3),
                team=team,
                division=team.division,
                lon=team.lon,
                lat=team.lat,
                is_demo=True,
            )
            result.bump("equipment")


def _shelters(actor: Any, result: StockDemoResult) -> None:
    for shelter in Shelter.objects.filter(is_demo=True, facilities="").order_by("code"):
        rng = _rng(shelter.code)
        services.update_shelter(
            shelter,
            actor=actor,
            facilities="、".join(rng.sample(["供水", "供电", "厕所", "医疗点", "广播", "物资发放点"], k=4)),
            accessibility="无障碍通道" if rng.random() < 0.5 else "",
        )
        result.bump("shelters_updated")


def seed_demo_stock(*, actor: Any = None, today: date | None = None) -> StockDemoResult:
    """Create demo catalogue items, stock lots, quotas, team members and equipment.

    Needs the demo depots/teams/shelters of ``dashboards.demo.seed_demo`` (it only adds
    to records with ``is_demo=True``). Deterministic for a given ``today`` (default:
    the local date), fixed seed ``SEED``; idempotent.

    Returns:
        ``StockDemoResult`` with counts of created records.
    """
    day = today or timezone.localdate()
    result = StockDemoResult()
    with transaction.atomic():
        items = _items(actor, result)
        _lots(actor, items, day, result)
        _quotas(actor, items, result)
        _teams(actor, result)
        _shelters(actor, result)
    return result
