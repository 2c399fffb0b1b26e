"""Helpers shared by the CAP tests: sample paths and a synthetic-message builder."""

from __future__ import annotations

from pathlib import Path

from yingji.engines.refdata import data_path

SAMPLES: Path = data_path("cap", "samples")


def sample(name: str) -> Path:
    """Path of one file of data/cap/samples/."""
    return SAMPLES / name


def cap_xml(
    *,
    identifier: str = "YQ-TEST-1",
    sender: str = "yanqi@example.cn",
    sent: str = "2024-07-12T08:00:00+08:00",
    status: str = "Actual",
    msg_type: str = "Alert",
    scope: str = "Public",
    alert_extra: str = "",
    references: str | None = None,
    info: str | None = None,
    infos: int = 1,
) -> bytes:
    """A small CAP 1.2 message; ``alert_extra`` is inserted after ``scope`` (restriction/addresses/...)."""
    refs = f"<references>{references}</references>" if references is not None else ""
    if info is None:
        info = info_xml()
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">'
        f"<identifier>{identifier}</identifier><sender>{sender}</sender><sent>{sent}</sent>"
        f"<status>{status}</status><msgType>{msg_type}</msgType><scope>{scope}</scope>"
        f"{alert_extra}{refs}{info * infos}</alert>"
    ).encode()


DEFAULT_TIMES = "<effective>2024-07-12T08:00:00+08:00</effective><expires>2024-07-12T20:00:00+08:00</expires>"


def info_xml(
    *,
    event: str = "大风",
    severity: str = "Moderate",
    times: str = DEFAULT_TIMES,
    middle: str = "",
    areas: str = "<area><areaDesc>焉耆</areaDesc></area>",
) -> str:
    """An ``<info>`` block; ``middle`` goes after the times (headline, parameter, resource...)."""
    return (
        "<info><language>zh-CN</language><category>Met</category>"
        f"<event>{event}</event><urgency>Expected</urgency><severity>{severity}</severity>"
        f"<certainty>Likely</certainty>{times}{middle}{areas}</info>"
    )


def area_xml(*, polygons: tuple[str, ...] = (), circles: tuple[str, ...] = (), geocodes: str = "") -> str:
    """An ``<area>`` with the given polygons, circles and raw geocode XML."""
    body = "".join(f"<polygon>{p}</polygon>" for p in polygons)
    body += "".join(f"<circle>{c}</circle>" for c in circles)
    return f"<area><areaDesc>test area</areaDesc>{body}{geocodes}</area>"


def geocode(value_name: str, value: str) -> str:
    """A ``<geocode>`` element."""
    return f"<geocode><valueName>{value_name}</valueName><value>{value}</value></geocode>"


def ring(points: list[tuple[float, float]]) -> str:
    """CAP polygon text from (lon, lat) points; closes the ring."""
    pts = [*points, points[0]] if points[0] != points[-1] else points
    return " ".join(f"{lat},{lon}" for lon, lat in pts)
