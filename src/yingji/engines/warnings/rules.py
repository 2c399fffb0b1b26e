"""CAP 1.2 rules the XSD cannot express (OASIS CAP v1.2 §3.2, §3.3; GB/T 35965.1-2018 §5).

Each check yields ``Defect``s with a stable rule id; see docs/engines/warnings.md
for the full table. The structural layer (order, presence, enumerations,
date-time lexical form) lives in ``parse``; this module works on the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .geometry import GeometryError, parse_circle, parse_polygon
from .model import Alert, Area, Defect, Info, is_cap_datetime, parse_cap_datetime, parse_references
from .parse import step

_NEEDS_REFERENCES = ("Update", "Cancel", "Ack", "Error")
_FORBIDDEN_ID_CHARS = re.compile(r"[\s,<&]")


def _w(rule: str, path: str, message: str) -> Defect:
    return Defect(rule, path, message, "warning")


def _identity(alert: Alert) -> Iterator[Defect]:
    # CAP 1.2 §3.2.1: identifier and sender "MUST NOT include spaces, commas or
    # restricted characters (< and &)".
    for name, value in (("identifier", alert.identifier), ("sender", alert.sender)):
        stripped = value.strip()
        if not stripped:
            yield Defect(f"alert.{name}.empty", f"/alert/{name}", f"<{name}> is empty")
        elif _FORBIDDEN_ID_CHARS.search(stripped):
            yield Defect(
                f"alert.{name}.chars",
                f"/alert/{name}",
                f"<{name}> {stripped!r} contains a space, comma, '<' or '&' (CAP 1.2 §3.2.1)",
            )


def _scope(alert: Alert) -> Iterator[Defect]:
    scope = alert.scope.strip()
    for name, value, needed_for in (
        ("restriction", alert.restriction, "Restricted"),
        ("addresses", alert.addresses, "Private"),
    ):
        empty = value is None or not value.strip()
        if scope == needed_for and empty:
            yield Defect(
                f"alert.{name}.required",
                f"/alert/{name}" if value is not None else "/alert",
                f"scope {needed_for} requires a non-empty <{name}> (CAP 1.2 §3.2.1)",
            )
        elif value is not None and empty:
            yield Defect(f"alert.{name}.empty", f"/alert/{name}", f"<{name}> is present but empty")
    if alert.msg_type.strip() == "Error" and not (alert.note or "").strip():
        yield _w("alert.note.recommended", "/alert", "msgType Error should explain the error in <note>")


def _references(alert: Alert) -> Iterator[Defect]:
    text = alert.references_text
    msg_type = alert.msg_type.strip()
    path = "/alert/references"
    if text is None or not text.strip():
        if msg_type in _NEEDS_REFERENCES:
            yield Defect(
                "alert.references.required",
                path if text is not None else "/alert",
                f"msgType {msg_type} requires non-empty <references> "
                "(sender,identifier,sent triples; CAP 1.2 §3.2.1)",
            )
        elif text is not None:
            yield Defect("alert.references.empty", path, "<references> is present but empty")
        return
    triples, bad = parse_references(text)
    for token in bad:
        yield Defect(
            "alert.references.syntax",
            path,
            f"{token!r} is not a 'sender,identifier,sent' triple (CAP 1.2 §3.2.1)",
        )
    own_sent = alert.sent.strip()
    for ref in triples:
        if not is_cap_datetime(ref.sent):
            yield Defect(
                "alert.references.sent",
                path,
                f"sent {ref.sent!r} of reference {ref.sender},{ref.identifier} is not a CAP date-time",
            )
        if ref.key == alert.key:
            yield Defect(
                "alert.references.self",
                path,
                f"the message references its own identifier {ref.identifier!r}",
            )
        elif ref.sent == own_sent:
            # Chinese CMA output puts the new message's own sent time in the triple.
            yield _w(
                "alert.references.sent-is-own-sent",
                path,
                f"reference {ref.identifier!r} carries this message's own sent time; "
                "matched on sender and identifier only",
            )
    if msg_type == "Alert" and triples:
        yield _w("alert.references.on-alert", path, "msgType Alert carries references")


def _times(info: Info, alert: Alert, path: str) -> Iterator[Defect]:
    expires = parse_cap_datetime(info.expires)
    if expires is None:
        return
    for name, text in (("sent", alert.sent), ("effective", info.effective), ("onset", info.onset)):
        other = parse_cap_datetime(text)
        if other is not None and expires <= other:
            yield Defect(
                "info.expires.order",
                f"{path}/expires",
                f"expires {info.expires} is not after {name} {text}",
            )


def _pairs(info: Info, path: str) -> Iterator[Defect]:
    n = len(info.event_codes)
    for i, pair in enumerate(info.event_codes):
        p = f"{path}/{step('eventCode', i, n)}"
        if not pair.value_name.strip():
            yield Defect("info.eventCode.valueName.empty", p, "eventCode has an empty valueName")
        if not pair.value.strip():
            yield Defect("info.eventCode.value.empty", p, f"eventCode {pair.value_name!r} has an empty value")
    n = len(info.parameters)
    for i, pair in enumerate(info.parameters):
        p = f"{path}/{step('parameter', i, n)}"
        if not pair.value_name.strip():
            yield Defect("info.parameter.valueName.empty", p, "parameter has an empty valueName")
        elif not pair.value.strip():
            yield _w("info.parameter.value.empty", p, f"parameter {pair.value_name!r} has an empty value")


def _resources(info: Info, path: str) -> Iterator[Defect]:
    n = len(info.resources)
    for i, res in enumerate(info.resources):
        p = f"{path}/{step('resource', i, n)}"
        if not res.mime_type.strip():
            yield Defect(
                "info.resource.mimeType.required", p, "a resource needs a non-empty <mimeType> (§3.2.3)"
            )
        if not res.resource_desc.strip():
            yield Defect(
                "info.resource.resourceDesc.required", p, "a resource needs a non-empty <resourceDesc>"
            )


def _area(area: Area, path: str) -> Iterator[Defect]:
    if not area.area_desc.strip():
        yield Defect("area.areaDesc.empty", path, "<areaDesc> is empty")
    for name, items, check in (
        ("polygon", area.polygons, parse_polygon),
        ("circle", area.circles, parse_circle),
    ):
        for i, text in enumerate(items):
            try:
                check(text)
            except GeometryError as exc:
                yield Defect(exc.rule, f"{path}/{step(name, i, len(items))}", str(exc))
    n = len(area.geocodes)
    for i, pair in enumerate(area.geocodes):
        p = f"{path}/{step('geocode', i, n)}"
        if not pair.value_name.strip() or not pair.value.strip():
            yield Defect(
                "area.geocode.empty", p, f"geocode {pair.value_name!r} has an empty valueName or value"
            )
    if area.ceiling is not None and area.altitude is None:
        yield Defect(
            "area.ceiling.requires-altitude", f"{path}/ceiling", "<ceiling> needs <altitude> (§3.2.4)"
        )
    elif area.ceiling is not None and area.altitude is not None:
        try:
            if float(area.ceiling) < float(area.altitude):
                yield Defect(
                    "area.ceiling.below-altitude", f"{path}/ceiling", "<ceiling> is below <altitude>"
                )
        except ValueError:
            pass  # reported by the structural layer (value.decimal)


def check_rules(alert: Alert) -> list[Defect]:
    """Apply the CAP 1.2 conditional and syntax rules to a parsed message.

    Args:
        alert: the message (lenient parse is fine: empty strings stand for missing values).

    Returns:
        Errors and warnings (``Defect.severity``), in document order of the checks:
        identity, scope, references, then each info (times, codes, resources, areas).
    """
    out: list[Defect] = []
    out.extend(_identity(alert))
    out.extend(_scope(alert))
    out.extend(_references(alert))
    n = len(alert.infos)
    for i, info in enumerate(alert.infos):
        path = f"/alert/{step('info', i, n)}"
        out.extend(_times(info, alert, path))
        out.extend(_pairs(info, path))
        out.extend(_resources(info, path))
        m = len(info.areas)
        for j, area in enumerate(info.areas):
            out.extend(_area(area, f"{path}/{step('area', j, m)}"))
    return out
