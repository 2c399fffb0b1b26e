"""Demo data for 预警发布 (示例): templates, trigger rules, the real CMA sample, synthetic recipients.

``seed_demo_warnings`` is called by the platform's demo seeder (``yingji seed-demo``). Idempotent.
Recipients are synthetic (there is no real subscriber list): SMS numbers in the 170-0000 range,
one emergency-broadcast terminal per township, one village loudspeaker (大喇叭) per village,
one duty e-mail per township (``example.invalid``); all ``is_demo=True`` and shown as 示例.
The CMA message ingested is real (data/cap/samples, Baoding observatory): its assessment says it
does not touch the county; a duty officer can derive a county draft from it explicitly.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from yingji.apps.directory.models import AdministrativeDivision
from yingji.apps.warnings import ingest, services
from yingji.apps.warnings.models import (
    Channel,
    FeedSource,
    Recipient,
    SourceKind,
    TriggerKind,
    TriggerRule,
    WarningTemplate,
)

SEED = 652826
CMA_SAMPLE = ("cap", "samples", "cn-cma-baoding-lightning-yellow-update-en-zh.xml")

# Wording abbreviated from 气象灾害预警信号及防御指南 (CMA Order No. 16, 2007, annex) and common county
# practice; labelled 示例 until the bureau approves its own templates.
TEMPLATES: list[dict[str, Any]] = [
    {
        "key": "wind",
        "name": "大风",
        "category": "Met",
        "event_zh": "大风",
        "event_en": "Gale",
        "default_severity": "Moderate",
        "headline_zh": "{county}发布大风{colour}预警",
        "headline_en": "{county}: {colour_en} gale warning",
        "description_zh": "预计未来24小时{areas}将出现大风天气，平均风力可达8级以上，阵风更大。",
        "description_en": "Gales of force 8 or above, with stronger gusts, expected in the next 24 hours.",
        "instruction_zh": (
            "1.停止露天活动和高空等户外危险作业；2.加固围板、棚架、广告牌等搭建物；3.注意森林、草原防火。"
        ),
        "instruction_en": (
            "Stop outdoor work at height; secure hoardings and temporary structures; take care with fire."
        ),
        "loudspeaker_zh": "大风{colour}预警：请停止户外高空作业，加固棚架和圈舍，注意防火。",
        "expires_hours": 24,
    },
    {
        "key": "rainstorm",
        "name": "暴雨",
        "category": "Met",
        "event_zh": "暴雨",
        "event_en": "Rainstorm",
        "default_severity": "Moderate",
        "headline_zh": "{county}发布暴雨{colour}预警",
        "headline_en": "{county}: {colour_en} rainstorm warning",
        "description_zh": "预计未来6小时{areas}将出现强降水，可能引发山洪、泥石流。",
        "description_en": (
            "Heavy rain is expected in the next 6 hours; flash floods and debris flows are possible."
        ),
        "instruction_zh": "1.远离河道、沟谷和低洼地带；2.做好山洪灾害防御和人员转移准备。",
        "instruction_en": "Keep away from river beds, gullies and low ground; be ready to evacuate.",
        "loudspeaker_zh": "暴雨{colour}预警：请远离河道沟谷，做好转移准备。",
        "expires_hours": 12,
    },
    {
        "key": "sandstorm",
        "name": "沙尘暴",
        "category": "Met",
        "event_zh": "沙尘暴",
        "event_en": "Sandstorm",
        "default_severity": "Moderate",
        "headline_zh": "{county}发布沙尘暴{colour}预警",
        "headline_en": "{county}: {colour_en} sandstorm warning",
        "description_zh": "预计未来12小时{areas}将出现沙尘暴天气，能见度小于1000米。",
        "description_en": "A sandstorm with visibility below 1000 m is expected in the next 12 hours.",
        "instruction_zh": "1.关好门窗，减少外出；2.驾驶人员减速慢行；3.做好牲畜和设施防护。",
        "instruction_en": "Close doors and windows, stay indoors; drive slowly; protect livestock.",
        "loudspeaker_zh": "沙尘暴{colour}预警：请关好门窗，减少外出。",
        "expires_hours": 12,
    },
    {
        "key": "hazmat",
        "name": "危险化学品泄漏",
        "category": "Safety",
        "event_zh": "危险化学品泄漏",
        "event_en": "Hazardous chemical release",
        "default_severity": "Severe",
        "headline_zh": "{areas}危险化学品泄漏{colour}预警",
        "headline_en": "{areas}: {colour_en} warning, hazardous chemical release",
        "description_zh": "{areas}发生危险化学品泄漏，周边群众请听从现场指挥。",
        "description_en": "A hazardous chemical release has occurred; follow instructions from responders.",
        "instruction_zh": "1.关闭门窗，逆风撤离；2.不要围观；3.听从现场指挥。",
        "instruction_en": "Close windows and move upwind; do not approach; follow responders.",
        "loudspeaker_zh": "危险化学品泄漏预警：请关闭门窗，逆风撤离，不要围观。",
        "expires_hours": 6,
    },
]
RULES = [
    ("示例：上游大风黄色及以上", TriggerKind.UPSTREAM, "大风", "Moderate", "wind"),
    ("示例：上游暴雨黄色及以上", TriggerKind.UPSTREAM, "暴雨", "Moderate", "rainstorm"),
    ("示例：上游沙尘暴黄色及以上", TriggerKind.UPSTREAM, "沙尘", "Moderate", "sandstorm"),
    ("示例：危化监测报警橙色及以上", TriggerKind.ALARM, "", "Severe", "hazmat"),
]


def _recipients(county_code: str, sms_per_township: int, rng: random.Random) -> list[Recipient]:
    rows: list[Recipient] = []
    prefix = county_code[:6]
    divisions = AdministrativeDivision.objects.filter(code__startswith=prefix).order_by("code")
    n = 0
    for d in divisions:
        if d.level == "township":
            rows.append(
                Recipient(
                    name=f"示例应急广播终端·{d.name}",
                    channel=Channel.BROADCAST,
                    address=f"EB-{d.code}",
                    division=d,
                    is_demo=True,
                )
            )
            rows.append(
                Recipient(
                    name=f"示例值班邮箱·{d.name}",
                    channel=Channel.EMAIL,
                    address=f"duty-{d.code}@example.invalid",
                    division=d,
                    is_demo=True,
                )
            )
            for _ in range(sms_per_township):
                n += 1
                rows.append(
                    Recipient(
                        name=f"示例手机用户{n}",
                        channel=Channel.SMS,
                        address=f"170{rng.randrange(10**8):08d}",
                        division=d,
                        is_demo=True,
                    )
                )
        elif d.level == "village":
            rows.append(
                Recipient(
                    name=f"示例大喇叭·{d.name}",
                    channel=Channel.LOUDSPEAKER,
                    address=f"LS-{d.code}",
                    division=d,
                    is_demo=True,
                )
            )
    return rows


def seed_demo_warnings(
    county_code: str | None = None, *, actor: Any = None, sms_per_township: int = 20
) -> dict[str, int]:
    """Seed the warnings demo: templates, rules, the CMA sample ingested and assessed, recipients.

    Args:
        county_code: 12-digit county code (default ``YINGJI_COUNTY_CODE``); reference data must be loaded.
        actor: user for the audit trail (``None`` = system).
        sms_per_township: synthetic SMS recipients per township.

    Returns:
        Counts created: ``{"templates", "rules", "recipients", "upstream"}``.
    """
    county_code = county_code or str(settings.YINGJI_COUNTY_CODE)
    counts = {"templates": 0, "rules": 0, "recipients": 0, "upstream": 0}
    with transaction.atomic():
        templates: dict[str, WarningTemplate] = {}
        for spec in TEMPLATES:
            existing = WarningTemplate.objects.filter(key=spec["key"]).first()
            if existing is None:
                existing = services.create_template(actor=actor, is_demo=True, **spec)
                counts["templates"] += 1
            templates[spec["key"]] = existing
        for name, kind, contains, severity, key in RULES:
            if not TriggerRule.objects.filter(name=name).exists():
                services.create_rule(
                    actor=actor,
                    name=name,
                    kind=kind,
                    event_contains=contains,
                    min_severity=severity,
                    template=templates[key],
                    is_demo=True,
                )
                counts["rules"] += 1
        before = Recipient.objects.count()
        Recipient.objects.bulk_create(
            _recipients(county_code, sms_per_township, random.Random(SEED)), ignore_conflicts=True
        )
        counts["recipients"] = Recipient.objects.count() - before
    source = FeedSource.objects.filter(name="示例：中国气象局 CAP 样例").first()
    if source is None:
        source, _ = ingest.create_feed_source(
            actor=actor, name="示例：中国气象局 CAP 样例", kind=SourceKind.MANUAL, is_demo=True
        )
    sample = Path(settings.YINGJI_DATA_DIR).joinpath(*CMA_SAMPLE)
    outcome = ingest.ingest_cap(
        sample.read_bytes(), source=source, origin=sample.name, actor=actor, is_demo=True
    )
    counts["upstream"] = int(outcome.created)
    return counts
