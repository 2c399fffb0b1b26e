"""CAP 1.2 rules on synthetic messages (one defect at a time, and several at once)."""

from __future__ import annotations

import pytest

from yingji.engines.warnings.geometry import GeometryError, parse_circle, parse_polygon
from yingji.engines.warnings.validate import validate_bytes

from .factory import area_xml, cap_xml, geocode, info_xml

SQUARE = "42.0,86.5 42.1,86.5 42.1,86.6 42.0,86.6 42.0,86.5"


def test_baseline_is_valid() -> None:
    report = validate_bytes(
        cap_xml(info=info_xml(areas=area_xml(polygons=(SQUARE,), circles=("42.05,86.55 5",))))
    )
    assert report.valid, report.errors
    assert report.signature == "absent"


@pytest.mark.parametrize(
    ("kwargs", "rule", "path"),
    [
        ({"msg_type": "Update"}, "alert.references.required", "/alert"),
        ({"msg_type": "Cancel", "references": ""}, "alert.references.required", "/alert/references"),
        ({"msg_type": "Ack"}, "alert.references.required", "/alert"),
        ({"msg_type": "Error"}, "alert.references.required", "/alert"),
        ({"references": "a,b"}, "alert.references.syntax", "/alert/references"),
        ({"references": "a,b,2024-07-12T08:00:00Z"}, "alert.references.sent", "/alert/references"),
        (
            {"msg_type": "Update", "references": "yanqi@example.cn,YQ-TEST-1,2024-07-12T08:00:00+08:00"},
            "alert.references.self",
            "/alert/references",
        ),
        ({"scope": "Restricted"}, "alert.restriction.required", "/alert"),
        ({"scope": "Private"}, "alert.addresses.required", "/alert"),
        (
            {"scope": "Private", "alert_extra": "<addresses> </addresses>"},
            "alert.addresses.required",
            "/alert/addresses",
        ),
        ({"identifier": "YQ TEST"}, "alert.identifier.chars", "/alert/identifier"),
        ({"sender": "a,b"}, "alert.sender.chars", "/alert/sender"),
        ({"sent": "2024-07-12T08:00:00Z"}, "value.datetime", "/alert/sent"),
        ({"sent": "2024-07-12T08:00:00"}, "value.datetime", "/alert/sent"),
        ({"status": "Real"}, "value.enumeration", "/alert/status"),
    ],
)
def test_alert_rules(kwargs: dict[str, str], rule: str, path: str) -> None:
    report = validate_bytes(cap_xml(**kwargs))  # type: ignore[arg-type]
    assert not report.valid
    assert (rule, path) in {(d.rule, d.path) for d in report.errors}, report.errors


def test_restricted_and_private_with_values_are_valid() -> None:
    restricted = cap_xml(scope="Restricted", alert_extra="<restriction>emergency staff</restriction>")
    private = cap_xml(scope="Private", alert_extra="<addresses>a@example.cn</addresses>")
    assert validate_bytes(restricted).valid
    assert validate_bytes(private).valid


def test_update_with_references_is_valid() -> None:
    data = cap_xml(msg_type="Update", references="yanqi@example.cn,YQ-TEST-0,2024-07-12T07:00:00+08:00")
    assert validate_bytes(data).valid


@pytest.mark.parametrize(
    ("times", "rule"),
    [
        (
            "<effective>2024-07-12T08:00:00+08:00</effective><expires>2024-07-12T07:00:00+08:00</expires>",
            "info.expires.order",
        ),
        (
            "<onset>2024-07-12T21:00:00+08:00</onset><expires>2024-07-12T20:00:00+08:00</expires>",
            "info.expires.order",
        ),
        ("<expires>2024-07-11T20:00:00+08:00</expires>", "info.expires.order"),
        ("<expires>2024-07-12T20:00:00Z</expires>", "value.datetime"),
        ("<effective>2024-07-12</effective>", "value.datetime"),
    ],
)
def test_info_times(times: str, rule: str) -> None:
    report = validate_bytes(cap_xml(info=info_xml(times=times)))
    assert rule in report.rules


def test_offset_comparison_uses_absolute_time() -> None:
    # 20:00+08:00 is 12:00Z, after 11:00-00:00 sent: valid.
    data = cap_xml(
        sent="2024-07-12T11:00:00-00:00", info=info_xml(times="<expires>2024-07-12T20:00:00+08:00</expires>")
    )
    assert validate_bytes(data).valid


@pytest.mark.parametrize(
    ("polygon", "rule"),
    [
        ("42.0,86.5 42.1,86.5 42.0,86.5", "area.polygon.too-few-points"),
        ("42.0,86.5 42.1,86.5 42.1,86.6 42.0,86.6", "area.polygon.not-closed"),
        ("42.0,86.5 42.1,86.6 42.1,86.5 42.0,86.6 42.0,86.5", "area.polygon.self-intersecting"),
        ("91.0,86.5 42.1,86.5 42.1,86.6 91.0,86.5", "area.polygon.range"),
        ("42.0,186.5 42.1,86.5 42.1,86.6 42.0,186.5", "area.polygon.range"),
        ("42.0;86.5 42.1,86.5 42.1,86.6 42.0;86.5", "area.polygon.syntax"),
        ("   ", "area.polygon.syntax"),
    ],
)
def test_polygon_rules(polygon: str, rule: str) -> None:
    report = validate_bytes(cap_xml(info=info_xml(areas=area_xml(polygons=(polygon,)))))
    assert (rule, "/alert/info/area/polygon") in {(d.rule, d.path) for d in report.errors}


@pytest.mark.parametrize(
    ("circle", "rule"),
    [
        ("42.0,86.5", "area.circle.syntax"),
        ("42.0 86.5 10", "area.circle.syntax"),
        ("42.0,86.5 ten", "area.circle.syntax"),
        ("42.0,86.5 -1", "area.circle.radius"),
        ("-95,86.5 1", "area.circle.range"),
    ],
)
def test_circle_rules(circle: str, rule: str) -> None:
    report = validate_bytes(cap_xml(info=info_xml(areas=area_xml(circles=(circle,)))))
    assert rule in report.rules


def test_geometry_parsers() -> None:
    pts = parse_polygon("42.0,86.5\n\t42.1,86.5 42.1,86.6 +42.0,86.5")
    assert pts[0] == pts[-1] == (42.0, 86.5) and len(pts) == 4
    circle = parse_circle(" 42.05,86.55 0 ")
    assert (circle.lat, circle.lon, circle.radius_km) == (42.05, 86.55, 0.0)
    with pytest.raises(GeometryError) as exc:
        parse_polygon("42.0,86.5 42.1,86.5")
    assert exc.value.rule == "area.polygon.too-few-points"


def test_several_defects_are_all_listed() -> None:
    info = info_xml(
        times="<expires>2024-07-11T20:00:00+08:00</expires>",
        middle="<parameter><valueName>x</valueName><value></value></parameter>"
        "<resource><resourceDesc>map</resourceDesc><mimeType> </mimeType></resource>",
        areas=area_xml(
            polygons=("1,2 3,4", "42.0,86.5 42.1,86.5 42.1,86.6 42.0,86.6"),
            circles=("1,2 -3",),
            geocodes=geocode("CPEAS Geographic Code", ""),
        ),
    )
    report = validate_bytes(cap_xml(scope="Private", msg_type="Update", info=info))
    expected = {
        ("alert.addresses.required", "/alert"),
        ("alert.references.required", "/alert"),
        ("info.expires.order", "/alert/info/expires"),
        ("info.resource.mimeType.required", "/alert/info/resource"),
        ("area.polygon.too-few-points", "/alert/info/area/polygon[1]"),
        ("area.polygon.not-closed", "/alert/info/area/polygon[2]"),
        ("area.circle.radius", "/alert/info/area/circle"),
        ("area.geocode.empty", "/alert/info/area/geocode"),
    }
    assert expected <= {(d.rule, d.path) for d in report.errors}
    assert "info.parameter.value.empty" in {w.rule for w in report.warnings}


def test_ceiling_needs_altitude() -> None:
    area = "<area><areaDesc>x</areaDesc><ceiling>100</ceiling></area>"
    assert "area.ceiling.requires-altitude" in validate_bytes(cap_xml(info=info_xml(areas=area))).rules
    area = "<area><areaDesc>x</areaDesc><altitude>200</altitude><ceiling>100</ceiling></area>"
    assert "area.ceiling.below-altitude" in validate_bytes(cap_xml(info=info_xml(areas=area))).rules
    area = "<area><areaDesc>x</areaDesc><altitude>1e</altitude></area>"
    assert "value.decimal" in validate_bytes(cap_xml(info=info_xml(areas=area))).rules


def test_structure_paths_with_several_infos() -> None:
    info = info_xml(severity="Huge")
    report = validate_bytes(cap_xml(info=info, infos=2))
    paths = {d.path for d in report.errors if d.rule == "value.enumeration"}
    assert paths == {"/alert/info[1]/severity", "/alert/info[2]/severity"}
    assert not report.schema_valid
