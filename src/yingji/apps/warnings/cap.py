"""Rendering a county ``Warning`` as CAP 1.2 (GB/T 35965.1 profile) and as per-channel texts.

Conventions (GB/T 35965.1-2018 as used by CMA): date-times in ``+08:00``; identifier
``<sender code>_<YYYYMMDDhhmmss>`` (``_N`` appended when two messages share a second);
division areas carry a ``geocode`` with valueName ``CPEAS Geographic Code`` and the
12-digit division code. IPAWS practice: the short mobile text is the parameter
``CMAMtext``; channels not to be used are ``BLOCKCHANNEL`` parameters.
``references`` lists the whole chain of earlier messages, oldest first (CAP 1.2 §3.2.1).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from yingji.apps.warnings.models import Channel, MsgType, Warning
from yingji.engines.warnings.colour import level_for_severity
from yingji.engines.warnings.model import Alert, Area, Info, ValuePair

CHINA_TZ = ZoneInfo("Asia/Shanghai")
SMS_SEGMENT_CHARS = 70
"""Characters per SMS segment for Chinese text (UCS-2 single message: 70 characters)."""
GEOCODE_NAME = "CPEAS Geographic Code"


def sender() -> str:
    """CAP ``sender`` of county warnings (setting ``YINGJI_WARNINGS_SENDER``; no spaces or commas)."""
    return str(getattr(settings, "YINGJI_WARNINGS_SENDER", "Yanqi_Emergency_Management_Bureau"))


def sender_name() -> str:
    """Human-readable ``senderName`` (setting ``YINGJI_WARNINGS_SENDER_NAME``)."""
    return str(getattr(settings, "YINGJI_WARNINGS_SENDER_NAME", "焉耆回族自治县应急管理局"))


def sender_code() -> str:
    """14-digit sender code of identifiers: 6-digit county code + 8-digit unit code.

    Setting ``YINGJI_WARNINGS_SENDER_CODE``; the default unit part ``00000000`` is a placeholder
    until the bureau is assigned its code in the national warning-release system.
    """
    county6 = str(settings.YINGJI_COUNTY_CODE)[:6]
    return str(getattr(settings, "YINGJI_WARNINGS_SENDER_CODE", county6 + "00000000"))


def cap_datetime(value: datetime) -> str:
    """An aware datetime as a CAP 1.2 date-time in China time: ``2024-07-12T21:31:38+08:00``."""
    return value.astimezone(CHINA_TZ).replace(microsecond=0).isoformat()


def base_identifier(sent: datetime) -> str:
    """``<sender code>_<YYYYMMDDhhmmss>`` for a message sent at ``sent`` (China time)."""
    return f"{sender_code()}_{sent.astimezone(CHINA_TZ):%Y%m%d%H%M%S}"


def reference_chain(warning: Warning) -> list[Warning]:
    """The released messages ``warning`` refers to, oldest first (follows ``replaces``)."""
    chain: list[Warning] = []
    current = warning.replaces
    while current is not None and len(chain) < 100:
        chain.append(current)
        current = current.replaces
    return list(reversed(chain))


def references_text(warning: Warning) -> str | None:
    """CAP ``references``: ``sender,identifier,sent`` triples of the chain, or ``None`` for an Alert."""
    chain = [w for w in reference_chain(warning) if w.identifier and w.sent]
    if not chain:
        return None
    return " ".join(f"{sender()},{w.identifier},{cap_datetime(w.sent)}" for w in chain if w.sent)


def segments(text: str) -> int:
    """Number of 70-character SMS segments needed for ``text`` (at least 1)."""
    return max(1, math.ceil(len(text) / SMS_SEGMENT_CHARS))


def _short_sender() -> str:
    return str(getattr(settings, "YINGJI_WARNINGS_SMS_SIGNATURE", "焉耆县应急管理局"))


def channel_text(warning: Warning, channel: str) -> tuple[str, str]:
    """``(subject, body)`` for one channel; the author's own text wins when given.

    SMS: ``【signature】headline。instruction`` (author's ``sms_text`` if set); emergency
    broadcast: headline + description + instruction; loudspeaker (大喇叭): spoken text said
    twice; e-mail: headline as subject; webhook: the CAP XML itself.
    """
    cancel = warning.msg_type == MsgType.CANCEL
    head = warning.headline
    if channel == Channel.SMS:
        body = warning.sms_text or (
            f"【{_short_sender()}】{head}。" + ("" if cancel else warning.instruction.split("\n")[0][:60])
        )
        return "", body
    if channel == Channel.BROADCAST:
        return "", warning.broadcast_text or f"{head}。{warning.description}{warning.instruction}"
    if channel == Channel.LOUDSPEAKER:
        text = warning.loudspeaker_text or f"{head}。{warning.instruction}"
        return "", f"各位群众请注意：{text} 再播报一遍：{text}"
    if channel == Channel.EMAIL:
        return head, f"{warning.description}\n\n{warning.instruction}\n\n{sender_name()}"
    return head, warning.cap_xml


def _info(
    warning: Warning,
    *,
    language: str,
    event: str,
    headline: str,
    description: str,
    instruction: str,
    areas: tuple[Area, ...],
    sent: datetime,
) -> Info:
    params: list[ValuePair] = []
    if warning.sms_text or language.startswith("zh"):
        params.append(ValuePair("CMAMtext", channel_text(warning, Channel.SMS)[1]))
    params.extend(ValuePair("BLOCKCHANNEL", str(c).upper()) for c in warning.blocked_channels)
    level = level_for_severity(warning.severity)
    if level is not None and language.startswith("zh"):
        params.append(ValuePair("预警级别", f"{level.colour_zh}/{level.level}/{level.gravity_zh}"))
    return Info(
        language=language,
        categories=(warning.category,),
        event=event,
        response_types=(warning.response_type,),
        urgency=warning.urgency,
        severity=warning.severity,
        certainty=warning.certainty,
        effective=cap_datetime(sent),
        onset=cap_datetime(warning.onset) if warning.onset else None,
        expires=cap_datetime(warning.expires),
        sender_name=sender_name(),
        headline=headline,
        description=description,
        instruction=instruction or None,
        parameters=tuple(params),
        areas=areas,
    )


def build_areas(warning: Warning, divisions: Iterable[Any]) -> tuple[Area, ...]:
    """CAP areas: one per division (areaDesc = name, CPEAS geocode) plus the drawn polygon, if any."""
    areas = [Area(d.name, geocodes=(ValuePair(GEOCODE_NAME, d.code),)) for d in divisions]
    if warning.polygon.strip():
        areas.append(Area("绘制区域", polygons=(" ".join(warning.polygon.split()),)))
    return tuple(areas)


def build_alert(warning: Warning, *, identifier: str, sent: datetime, divisions: Iterable[Any]) -> Alert:
    """The CAP ``Alert`` model of ``warning`` as it would be sent at ``sent`` with ``identifier``.

    ``divisions`` are the warning's area divisions (passed in so callers can render unsaved
    selections). The second-language info block is included when its headline is set.
    """
    areas = build_areas(warning, divisions)
    infos = [
        _info(
            warning,
            language="zh-CN",
            event=warning.event,
            headline=warning.headline,
            description=warning.description,
            instruction=warning.instruction,
            areas=areas,
            sent=sent,
        )
    ]
    if warning.headline_2.strip():
        infos.append(
            _info(
                warning,
                language=warning.second_language or "en-US",
                event=warning.event_en or warning.event,
                headline=warning.headline_2,
                description=warning.description_2 or warning.headline_2,
                instruction=warning.instruction_2,
                areas=areas,
                sent=sent,
            )
        )
    return Alert(
        identifier=identifier,
        sender=sender(),
        sent=cap_datetime(sent),
        status=warning.status,
        msg_type=warning.msg_type,
        scope="Public",
        note=warning.note or None,
        references_text=references_text(warning),
        infos=tuple(infos),
    )
