"""Hostile input: XXE, entity expansion, oversize, bad encodings (OWASP XXE Prevention Cheat Sheet)."""

from __future__ import annotations

import pytest

from yingji.engines.warnings.errors import CapNotWellFormedError, CapSecurityError, CapSizeError
from yingji.engines.warnings.parse import parse_alert, parse_file
from yingji.engines.warnings.validate import validate_bytes
from yingji.engines.warnings.xmlsafe import parse_xml, read_limited

from .factory import cap_xml, sample

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol9;</identifier></alert>"""

XXE_FILE = b"""<?xml version="1.0"?>
<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&xxe;</identifier></alert>"""


def test_xxe_sample_is_rejected_clearly() -> None:
    with pytest.raises(CapSecurityError, match="DOCTYPE"):
        parse_file(sample("security-xxe-external-entities.xml"))
    report = validate_bytes(sample("security-xxe-external-entities.xml").read_bytes())
    assert not report.valid and report.rules == {"security.doctype"}


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE_FILE])
def test_entity_attacks_are_rejected(payload: bytes) -> None:
    with pytest.raises(CapSecurityError):
        parse_alert(payload)


def test_utf16_doctype_is_rejected_after_parse() -> None:
    payload = XXE_FILE.replace(b'<?xml version="1.0"?>', b'<?xml version="1.0" encoding="UTF-16"?>')
    data = payload.decode().encode("utf-16")
    with pytest.raises((CapSecurityError, CapNotWellFormedError)):
        parse_xml(data)


def test_size_limit(tmp_path: object) -> None:
    data = cap_xml()
    with pytest.raises(CapSizeError):
        parse_xml(data, max_bytes=100)
    report = validate_bytes(data, max_bytes=100)
    assert report.rules == {"xml.size"} and not report.well_formed
    big = sample("malformed-de-mowas-cancel-element-order.xml")
    with pytest.raises(CapSizeError):
        read_limited(big, 100_000)
    assert len(read_limited(big)) == big.stat().st_size  # 447 KB is under the 1 MiB default


def test_bad_utf8_is_not_well_formed() -> None:
    with pytest.raises(CapNotWellFormedError, match="not well-formed"):
        parse_xml(sample("malformed-feed-naad-atom-bad-utf8-georss.xml").read_bytes())


def test_truncated_document() -> None:
    report = validate_bytes(cap_xml()[:-10])
    assert report.rules == {"xml.malformed"} and not report.well_formed


def test_xinclude_is_not_processed() -> None:
    data = cap_xml(
        alert_extra='<x xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd"/></x>'
    )
    alert = parse_alert(data)
    assert "root:" not in "".join(e.xml for e in alert.extensions)
    assert "structure.unknown-element" in validate_bytes(data).rules
