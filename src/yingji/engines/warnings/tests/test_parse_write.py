"""Parsing (namespaces, encodings, extensions) and the parse → write round trip."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from yingji.engines.warnings.errors import CapSchemaError, NotCapError
from yingji.engines.warnings.export import alert_to_dict
from yingji.engines.warnings.model import CAP12_NS, Reference, ValuePair, parse_cap_datetime
from yingji.engines.warnings.parse import parse_alert, parse_file
from yingji.engines.warnings.schema import xsd_errors
from yingji.engines.warnings.validate import validate_bytes, validate_file
from yingji.engines.warnings.write import write_alert
from yingji.engines.warnings.xmlsafe import parse_xml

from .factory import SAMPLES, cap_xml, sample

ROUND_TRIP = sorted(
    p.name for p in SAMPLES.glob("*.xml") if not p.name.startswith(("feed-", "malformed-", "security-"))
)


def _elements(el: etree._Element) -> list[tuple[str, str]]:
    """(tag, text) of every element in document order; text only for leaves."""
    out = []
    for e in el.iter():
        if isinstance(e.tag, str):
            leaf = len([c for c in e if isinstance(c.tag, str)]) == 0
            out.append((e.tag, (e.text or "") if leaf else ""))
    return out


@pytest.mark.parametrize("name", ROUND_TRIP)
def test_round_trip_keeps_every_element(name: str) -> None:
    original = parse_file(sample(name))
    written = write_alert(original)
    root = parse_xml(written)
    assert xsd_errors(root) == []
    assert root.tag == f"{{{CAP12_NS}}}alert"
    assert parse_alert(written) == original
    source = parse_xml(sample(name).read_bytes())
    assert _elements(root) == _elements(source)


def test_round_trip_keeps_valid_signatures_valid() -> None:
    for name in ("us-ipaws-cancel-signed-no-info.xml", "sc-meteo-composer-signed-valid.xml"):
        written = write_alert(parse_file(sample(name)))
        assert validate_bytes(written).signature == "valid", name


def test_prefixed_message_can_be_written_with_default_namespace() -> None:
    alert = parse_file(sample("au-bom-severe-thunderstorm-amoc-geocodes.xml"))
    assert alert.prefix == "cap"
    assert b"<cap:alert" in write_alert(alert)
    out = write_alert(alert, default_namespace=True)
    assert out.count(b"<alert xmlns=") == 1
    assert parse_alert(out) == alert


def test_writer_refuses_schema_invalid_models() -> None:
    alert = parse_file(sample("malformed-us-nws-flood-empty-fields-cap11.xml"))
    with pytest.raises(CapSchemaError):
        write_alert(alert)
    out = write_alert(alert, check=False)
    assert b"urn:oasis:names:tc:emergency:cap:1.2" in out  # upgraded to the CAP 1.2 namespace


def test_misordered_message_is_read_by_name_and_written_in_order() -> None:
    alert = parse_file(sample("malformed-ch-alertswiss-test-element-order.xml"))
    assert (alert.identifier, alert.sender, alert.status, alert.msg_type) == (
        "TEST-1163",
        "info@alertswiss.ch",
        "Test",
        "Alert",
    )
    assert alert.infos[0].event == "Cap Test Event"
    fixed = dataclasses.replace(
        alert,
        references_text=None,
        infos=(dataclasses.replace(alert.infos[0], categories=("Other",), certainty="Unknown"),),
    )
    assert validate_bytes(write_alert(fixed)).valid


def test_unknown_extensions_are_kept_in_the_model() -> None:
    data = cap_xml(alert_extra='<x:ext xmlns:x="urn:example">1</x:ext>')
    alert = parse_alert(data)
    assert [(e.namespace, e.local_name, e.parent) for e in alert.extensions] == [
        ("urn:example", "ext", "/alert")
    ]
    assert b"urn:example" not in write_alert(alert)
    assert b"urn:example" in write_alert(alert, keep_unknown=True, check=False)
    report = validate_bytes(data)
    assert "structure.foreign-element" in report.rules


def test_oasis_appendix_a4_fields() -> None:
    # CAP 1.2 Appendix A.4 (OASIS): the canonical bilingual Amber Alert.
    alert = parse_file(sample("oasis-cap12-example-a4-amber-alert-en-es.xml"))
    assert alert.identifier == "KAR0-0306112239-SW"
    assert alert.sender == "KARO@CLETS.DOJ.CA.GOV"
    assert alert.source == "SW"
    assert [i.language for i in alert.infos] == ["en-US", "es-US"]
    assert alert.infos[0].event_codes[0].value_name == "SAME"
    assert alert.infos[0].event_codes[0].value == "CAE"
    sent = parse_cap_datetime(alert.sent)
    assert sent is not None and sent.utcoffset() is not None
    assert sent.utcoffset().total_seconds() == -7 * 3600  # type: ignore[union-attr]


def test_encodings_bom_and_latin1() -> None:
    tw = parse_file(sample("tw-wra-reservoir-release-zh-tw-bom.xml"))
    assert sample("tw-wra-reservoir-release-zh-tw-bom.xml").read_bytes().startswith(b"\xef\xbb\xbf")
    assert tw.infos[0].event == "水庫洩洪"
    assert tw.codes == ("Progress",)
    quake = parse_file(sample("us-usgs-earthquake-iso8859-1-signed-circle.xml"))
    assert quake.infos[0].areas[0].circles == ("12.747,-88.783 0.0",)
    assert quake.infos[0].language is None and quake.infos[0].language_or_default == "en-US"


def test_cma_sample_fields_and_references() -> None:
    cma = parse_file(sample("cn-cma-baoding-lightning-yellow-update-en-zh.xml"))
    assert cma.msg_type == "Update" and cma.note == ""
    assert cma.references == (
        Reference(
            "Baoding_Meteorological_Observatory", "13060041600000_20240712073642", "2024-07-12T21:31:38+08:00"
        ),
    )
    zh = cma.infos[1]
    assert zh.event == "雷电" and zh.language == "zh-CN"
    geo = zh.areas[0].geocodes[0]
    assert (geo.value_name, geo.value) == ("CPEAS Geographic Code", "130602000000")


def test_parse_json_shape() -> None:
    data = alert_to_dict(parse_file(sample("is-imo-wind-yellow-resource-digest.xml")))
    for key in ("identifier", "sender", "sent", "status", "msgType", "scope", "references", "info"):
        assert key in data
    info = data["info"][0]
    res = info["resource"][0]
    assert res["mimeType"] == "image/png" and res["size"] == 17296
    area = info["area"][0]
    assert set(area) >= {"areaDesc", "polygon", "circle", "geocode", "altitude", "ceiling"}
    assert all(isinstance(p, str) for p in area["polygon"])
    assert all(set(p) == {"valueName", "value"} for p in info["parameter"])


def test_two_polygons_in_one_area() -> None:
    alert = parse_file(sample("us-nws-hurricane-update-two-polygons.xml"))
    assert len(alert.infos[0].areas[0].polygons) == 2


def test_no_info_message() -> None:
    alert = parse_file(sample("us-ipaws-cancel-signed-no-info.xml"))
    assert alert.infos == () and alert.msg_type == "Cancel"
    assert len(alert.signatures) == 1


def test_strict_mode() -> None:
    with pytest.raises(NotCapError):
        parse_file(sample("malformed-us-nws-flood-empty-fields-cap11.xml"), strict=True)
    with pytest.raises(CapSchemaError):
        parse_file(sample("malformed-de-mowas-cancel-element-order.xml"), strict=True)
    assert parse_file(sample("mx-smn-tropical-storm-update-es419.xml"), strict=True).infos


def test_wrong_namespace_is_not_cap() -> None:
    with pytest.raises(NotCapError, match="not CAP"):
        parse_file(sample("malformed-tw-wrong-namespace.xml"))
    with pytest.raises(NotCapError):
        parse_alert(b"<alert><identifier>x</identifier></alert>")


def test_text_input_and_declaration() -> None:
    text = cap_xml().decode()
    assert parse_alert(text).identifier == "YQ-TEST-1"


def test_validate_file_missing_raises_oserror(tmp_path: object) -> None:
    with pytest.raises(OSError):
        validate_file("/nonexistent/cap.xml")


_XML_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    max_size=40,
)


@settings(max_examples=40, deadline=None)
@given(headline=_XML_TEXT, description=_XML_TEXT, value=_XML_TEXT.filter(lambda s: s.strip() != ""))
def test_any_text_round_trips(headline: str, description: str, value: str) -> None:
    base = parse_alert(cap_xml())
    info = dataclasses.replace(
        base.infos[0],
        headline=headline,
        description=description,
        parameters=(ValuePair("备注", value),),
    )
    alert = dataclasses.replace(base, infos=(info,))
    assert parse_alert(write_alert(alert)) == alert
