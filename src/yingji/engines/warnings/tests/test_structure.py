"""The structure tables used by the lenient reader and the writer match the shipped OASIS XSD."""

from __future__ import annotations

from lxml import etree

from yingji.engines.refdata import data_path
from yingji.engines.warnings.structure import ALERT_SEQ, AREA_SEQ, ENUMS, INFO_SEQ, RESOURCE_SEQ, Seq

XS = "{http://www.w3.org/2001/XMLSchema}"


def _xsd() -> etree._Element:
    return etree.parse(str(data_path("cap", "schema", "CAP-v1.2.xsd"))).getroot()


def _sequence(xsd: etree._Element, name: str) -> Seq:
    el = next(e for e in xsd.iter(f"{XS}element") if e.get("name") == name)
    seq = el.find(f"{XS}complexType/{XS}sequence")
    assert seq is not None
    out = []
    for child in seq.findall(f"{XS}element"):
        hi = child.get("maxOccurs", "1")
        out.append(
            (
                child.get("name") or "",
                int(child.get("minOccurs", "1")),
                None if hi == "unbounded" else int(hi),
            )
        )
    return tuple(out)


def test_sequences_match_xsd() -> None:
    xsd = _xsd()
    assert _sequence(xsd, "alert") == ALERT_SEQ
    assert _sequence(xsd, "info") == INFO_SEQ
    assert _sequence(xsd, "resource") == RESOURCE_SEQ
    assert _sequence(xsd, "area") == AREA_SEQ


def test_enumerations_match_xsd() -> None:
    xsd = _xsd()
    for name, values in ENUMS.items():
        el = next(e for e in xsd.iter(f"{XS}element") if e.get("name") == name)
        found = tuple(v.get("value") for v in el.iter(f"{XS}enumeration"))
        assert found == values, name
