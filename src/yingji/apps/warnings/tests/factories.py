"""factory_boy factories and helpers for warnings tests."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from yingji.apps.directory.models import AdministrativeDivision
from yingji.apps.warnings.models import (
    Channel,
    FeedSource,
    Recipient,
    SourceKind,
    TriggerKind,
    TriggerRule,
    WarningTemplate,
)


class FeedSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedSource

    name = factory.Sequence(lambda n: f"测试信息源{n}")
    kind = SourceKind.MANUAL


class TemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WarningTemplate
        django_get_or_create = ("key",)

    key = "wind"
    name = "大风"
    category = "Met"
    event_zh = "大风"
    event_en = "Gale"
    default_severity = "Moderate"
    headline_zh = "{county}发布大风{colour}预警"
    headline_en = "{county}: {colour_en} gale warning"
    description_zh = "预计未来24小时{areas}将出现8级以上大风。"
    description_en = "Gales of force 8 or more expected in the next 24 hours."
    instruction_zh = "加固围板、棚架等搭建物，减少户外活动。"
    instruction_en = "Secure temporary structures; limit outdoor activity."
    loudspeaker_zh = "大风{colour}预警，请加固棚架，减少外出。"
    expires_hours = 24


class RuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TriggerRule

    name = factory.Sequence(lambda n: f"规则{n}")
    kind = TriggerKind.UPSTREAM
    event_contains = "大风"
    min_severity = "Moderate"
    template = factory.SubFactory(TemplateFactory)


class RecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recipient

    name = factory.Sequence(lambda n: f"接收人{n}")
    channel = Channel.SMS
    address = factory.Sequence(lambda n: f"1380000{n:04d}")
    division = factory.LazyFunction(lambda: AdministrativeDivision.objects.get(code="652826100000"))


def warning_fields(**overrides: object) -> dict[str, object]:
    """Valid draft fields for a Yanqi wind warning."""
    fields: dict[str, object] = {
        "event": "大风",
        "event_en": "Gale",
        "severity": "Moderate",
        "headline": "焉耆县发布大风黄色预警",
        "description": "预计今天夜间焉耆县将出现8级以上大风。",
        "instruction": "加固围板、棚架等搭建物。",
        "headline_2": "Yanqi: yellow gale warning",
        "description_2": "Gales expected tonight.",
        "expires": timezone.now() + timedelta(hours=12),
    }
    fields.update(overrides)
    return fields


def yanqi_cap(
    identifier: str = "65000041600000_20990101080000",
    *,
    msg_type: str = "Alert",
    references: str = "",
    event: str = "大风",
    colour: str = "黄",
    severity: str = "Moderate",
    sent: str = "2099-01-01T08:00:00+08:00",
    expires: str = "2099-01-02T08:00:00+08:00",
    geocode: str = "652826000000",
) -> bytes:
    """A small valid CAP 1.2 message from a (fictional) Xinjiang observatory covering ``geocode``."""
    refs = f"<references>{references}</references>" if references else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{identifier}</identifier>
  <sender>Test_Xinjiang_Observatory</sender>
  <sent>{sent}</sent>
  <status>Actual</status>
  <msgType>{msg_type}</msgType>
  <scope>Public</scope>
  {refs}
  <info>
    <language>zh-CN</language>
    <category>Met</category>
    <event>{event}</event>
    <urgency>Expected</urgency>
    <severity>{severity}</severity>
    <certainty>Likely</certainty>
    <expires>{expires}</expires>
    <senderName>测试气象台</senderName>
    <headline>测试气象台发布{event}{colour}色预警</headline>
    <description>测试用。</description>
    <area><areaDesc>焉耆县</areaDesc>
      <geocode><valueName>CPEAS Geographic Code</valueName><value>{geocode}</value></geocode>
    </area>
  </info>
</alert>""".encode()
