"""Demo prevention data (示例) for the demo enterprises: ledgers, units, risk points, hidden hazards.

Deterministic (fixed tables, enterprises taken in name order) and idempotent (looked up by
natural keys); everything is ``is_demo=True``. Called by ``dashboards.demo.seed_demo`` after
the enterprises and their inventories exist. Dates are relative to the day it runs so that
the overdue/listed examples stay meaningful.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from yingji.apps.directory.models import Organization, OrganizationKind
from yingji.apps.risk import hazard_services, services
from yingji.apps.risk.models import (
    EnterpriseProfile,
    HazardCategory,
    HazardGrade,
    HazardSource,
    HiddenHazard,
    Licence,
    LicenceKind,
    ProductionUnit,
    RiskMethod,
    RiskPoint,
    SafetyManager,
)

# (GB/T 4754-2017 code, industry, employees, exposed population of every unit)
PROFILES = [
    ("C2614", "有机化学原料制造", 86, 60),
    ("D4511", "天然气生产和供应业", 24, 120),
    ("F5162", "石油及制品批发", 41, 35),
    ("D4620", "污水处理及其再生利用", 18, 0),
]
SURNAMES = "王李张刘陈杨马赵"
# (name, method, factors, residual factors, hazards, controls)
RISK_POINTS: list[tuple[str, str, dict[str, str], dict[str, str], str, str]] = [
    (
        "储罐区装卸作业",
        RiskMethod.LEC,
        {"L": "3", "E": "6", "C": "15"},
        {"L": "1", "E": "6", "C": "15"},
        "泄漏、火灾、爆炸、中毒",
        "装卸鹤管静电接地;可燃/有毒气体报警;作业票管理",
    ),
    (
        "动火作业",
        RiskMethod.LS,
        {"L": "4", "S": "5"},
        {"L": "2", "S": "5"},
        "火灾、爆炸",
        "动火作业许可;气体分析;专人监护",
    ),
]
# (title, category, source, grade, checklist items, days ago reported, deadline offset (days), final step)
HAZARDS: list[tuple[str, str, str, str, list[int], int, int, str]] = [
    (
        "消防通道堆放杂物",
        HazardCategory.ENVIRONMENT,
        HazardSource.SELF_CHECK,
        "general",
        [],
        40,
        -20,
        "closed",
    ),
    (
        "可燃气体报警器未投用",
        HazardCategory.EQUIPMENT,
        HazardSource.INSPECTION,
        "major",
        [12],
        20,
        -3,
        "assigned",
    ),
    ("特种作业人员无证上岗", HazardCategory.BEHAVIOUR, HazardSource.PUBLIC_REPORT, "", [], 2, 0, "reported"),
]


def seed_demo_risk(*, actor: Any = None) -> dict[str, int]:
    """Create demo ledgers, units' exposed population, risk points and hidden hazards.

    For every demo enterprise (``Organization`` kind enterprise, ``is_demo``): a ledger header,
    a safety manager and a licence; each of its units gets an exposed population (so GB 18218
    levels are computed); two risk points (LEC and LS, with residual risk); for the first two
    enterprises three hidden hazards (one closed, one 重大 listed for supervision, one just
    reported). Idempotent.

    Returns:
        Counts of created records per kind (empty dict on a re-run).
    """
    created: dict[str, int] = {}

    def bump(key: str) -> None:
        created[key] = created.get(key, 0) + 1

    enterprises = list(
        Organization.objects.filter(kind=OrganizationKind.ENTERPRISE, is_demo=True)
        .select_related("division")
        .order_by("name")
    )
    today = timezone.localdate()
    with transaction.atomic():
        for index, ent in enumerate(enterprises):
            code, industry, employees, exposed = PROFILES[index % len(PROFILES)]
            person = f"{SURNAMES[index % len(SURNAMES)]}安全"
            if not EnterpriseProfile.objects.filter(enterprise=ent).exists():
                services.save_enterprise_ledger(
                    actor=actor,
                    enterprise=ent,
                    industry_code=code,
                    industry_name=industry,
                    legal_representative=f"{SURNAMES[(index + 3) % len(SURNAMES)]}总",
                    legal_representative_phone=f"0996-60{index:05d}",
                    employees=employees,
                    is_demo=True,
                )
                bump("profiles")
            if not SafetyManager.objects.filter(enterprise=ent).exists():
                services.create_ledger_record(
                    SafetyManager,
                    actor=actor,
                    enterprise=ent,
                    name=person,
                    post="安全管理员",
                    phone=f"1390996{index:04d}",
                    is_demo=True,
                )
                bump("safety_managers")
            if not Licence.objects.filter(enterprise=ent).exists():
                services.create_ledger_record(
                    Licence,
                    actor=actor,
                    enterprise=ent,
                    kind=LicenceKind.HAZCHEM_OPERATION,
                    number=f"新巴危化经字〔示例〕{index + 1:03d}",
                    issuer="巴音郭楞蒙古自治州应急管理局",
                    valid_until=today + datetime.timedelta(days=60 + 300 * index),
                    is_demo=True,
                )
                bump("licences")
            for unit in ProductionUnit.objects.filter(enterprise=ent, exposed_population_source=""):
                services.update_unit(
                    unit,
                    actor=actor,
                    exposed_population=exposed,
                    exposed_population_source="示例:企业填报",
                    exposed_population_date=today,
                    is_demo=True,
                )
                bump("units_updated")
            first_unit = ProductionUnit.objects.filter(enterprise=ent).order_by("name").first()
            for name, method, factors, residual, hazards, controls in RISK_POINTS:
                if RiskPoint.objects.filter(enterprise=ent, name=name).exists():
                    continue
                services.create_risk_point(
                    actor=actor,
                    enterprise=ent,
                    unit=first_unit,
                    name=name,
                    method=method,
                    factors=factors,
                    residual=residual,
                    hazards=hazards,
                    controls=controls,
                    responsible_person=person,
                    is_demo=True,
                )
                bump("risk_points")
            if index < 2:
                for spec in HAZARDS:
                    if _seed_hazard(ent, first_unit, spec, person, today, actor):
                        bump("hidden_hazards")
    return created


def _seed_hazard(
    ent: Organization,
    unit: ProductionUnit | None,
    spec: tuple[str, str, str, str, list[int], int, int, str],
    person: str,
    today: datetime.date,
    actor: Any,
) -> bool:
    title, category, source, grade, items, days_ago, deadline_offset, final = spec
    if HiddenHazard.objects.filter(enterprise=ent, title=title).exists():
        return False
    hazard = hazard_services.report_hidden_hazard(
        actor=actor,
        enterprise=ent,
        unit=unit,
        title=title,
        category=category,
        source=source,
        description=f"示例隐患:{title}",
        checklist_items=items,
        reported_at=timezone.now() - datetime.timedelta(days=days_ago),
        is_demo=True,
    )
    if final == "reported":
        return True
    hazard = hazard_services.grade_hidden_hazard(hazard, actor=actor, grade=grade or HazardGrade.GENERAL)
    deadline = today + datetime.timedelta(days=deadline_offset)
    hazard = hazard_services.assign_hidden_hazard(
        hazard,
        actor=actor,
        responsible_person=person,
        deadline=max(deadline, today),  # a deadline set today cannot lie in the past
        funding_cny=Decimal("12000.00"),
        measures="示例整改措施",
    )
    if deadline < today:
        # demo history: the hazard was assigned weeks ago and its deadline has passed since
        HiddenHazard.objects.filter(pk=hazard.pk).update(deadline=deadline)
        hazard.deadline = deadline
    if final == "closed":
        hazard = hazard_services.record_rectification_progress(hazard, actor=actor, progress="已清理")
        hazard = hazard_services.complete_rectification(hazard, actor=actor)
        hazard = hazard_services.verify_hidden_hazard(hazard, actor=actor, passed=True, note="示例验收")
        hazard_services.close_hidden_hazard(hazard, actor=actor)
    return True
