"""The model as JSON-ready dicts keyed by CAP element names (``yingji cap parse --json``).

Single elements map to a string (``None`` when absent, ``""`` when empty);
repeatable ones to lists: ``code``, ``info``, ``category``, ``responseType``,
``eventCode``/``parameter``/``geocode`` (lists of ``{"valueName", "value"}``),
``resource``, ``area``, ``polygon``, ``circle``. ``references`` is a list of
``{"sender", "identifier", "sent"}``. ``size`` becomes an int and ``altitude``/
``ceiling`` floats when they parse (else the text is kept).
"""

from __future__ import annotations

from typing import Any

from .model import Alert, Area, Info, Resource, ValuePair


def _pairs(pairs: tuple[ValuePair, ...]) -> list[dict[str, str]]:
    return [{"valueName": p.value_name, "value": p.value} for p in pairs]


def _number(text: str | None, kind: type[int] | type[float]) -> int | float | str | None:
    if text is None:
        return None
    try:
        return kind(text.strip())
    except ValueError:
        return text


def resource_to_dict(res: Resource) -> dict[str, Any]:
    """``<resource>`` as a dict with CAP names (size in bytes as int when numeric)."""
    return {
        "resourceDesc": res.resource_desc,
        "mimeType": res.mime_type,
        "size": _number(res.size, int),
        "uri": res.uri,
        "derefUri": res.deref_uri,
        "digest": res.digest,
    }


def area_to_dict(area: Area) -> dict[str, Any]:
    """``<area>`` as a dict: areaDesc, polygon[], circle[], geocode[], altitude, ceiling (feet)."""
    return {
        "areaDesc": area.area_desc,
        "polygon": list(area.polygons),
        "circle": list(area.circles),
        "geocode": _pairs(area.geocodes),
        "altitude": _number(area.altitude, float),
        "ceiling": _number(area.ceiling, float),
    }


def info_to_dict(info: Info) -> dict[str, Any]:
    """``<info>`` as a dict with CAP element names (``language`` defaults to en-US)."""
    return {
        "language": info.language_or_default,
        "category": list(info.categories),
        "event": info.event,
        "responseType": list(info.response_types),
        "urgency": info.urgency,
        "severity": info.severity,
        "certainty": info.certainty,
        "audience": info.audience,
        "eventCode": _pairs(info.event_codes),
        "effective": info.effective,
        "onset": info.onset,
        "expires": info.expires,
        "senderName": info.sender_name,
        "headline": info.headline,
        "description": info.description,
        "instruction": info.instruction,
        "web": info.web,
        "contact": info.contact,
        "parameter": _pairs(info.parameters),
        "resource": [resource_to_dict(r) for r in info.resources],
        "area": [area_to_dict(a) for a in info.areas],
    }


def alert_to_dict(alert: Alert) -> dict[str, Any]:
    """The whole message as a dict keyed by CAP element names (see module docstring)."""
    return {
        "identifier": alert.identifier,
        "sender": alert.sender,
        "sent": alert.sent,
        "status": alert.status,
        "msgType": alert.msg_type,
        "source": alert.source,
        "scope": alert.scope,
        "restriction": alert.restriction,
        "addresses": alert.addresses,
        "code": list(alert.codes),
        "note": alert.note,
        "references": [
            {"sender": r.sender, "identifier": r.identifier, "sent": r.sent} for r in alert.references
        ],
        "incidents": alert.incidents,
        "info": [info_to_dict(i) for i in alert.infos],
        "signature_count": len(alert.signatures),
        "extensions": [
            {"parent": e.parent, "namespace": e.namespace, "name": e.local_name} for e in alert.extensions
        ],
    }
