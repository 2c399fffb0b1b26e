"""Enveloped XML signatures: our own signed messages, tampering, base64 corruption, CA checks."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import XMLSigner, methods

from yingji.engines.warnings.parse import parse_alert
from yingji.engines.warnings.signature import verify_signatures
from yingji.engines.warnings.validate import validate_bytes
from yingji.engines.warnings.write import write_alert
from yingji.engines.warnings.xmlsafe import parse_xml

from .factory import cap_xml, sample


@cache
def _key_and_cert() -> tuple[bytes, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "yanqi-test-ca")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(20240712)
        .not_valid_before(dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
        .not_valid_after(dt.datetime(2034, 1, 1, tzinfo=dt.UTC))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


def _signed(data: bytes | None = None) -> bytes:
    key_pem, cert_pem = _key_and_cert()
    root = parse_xml(data or cap_xml())
    signed = XMLSigner(
        method=methods.enveloped, signature_algorithm="ecdsa-sha256", digest_algorithm="sha256"
    ).sign(root, key=key_pem, cert=cert_pem)
    return bytes(etree.tostring(signed, xml_declaration=True, encoding="UTF-8"))


def test_own_signature_is_valid_and_schema_valid() -> None:
    report = validate_bytes(_signed())
    assert report.signature == "valid"
    assert report.valid and report.schema_valid, report.errors


def test_tampered_content_is_invalid() -> None:
    data = _signed().replace(b"YQ-TEST-1", b"YQ-TEST-2")
    report = validate_bytes(data)
    assert report.signature == "invalid" and not report.valid
    assert "signature.invalid" in report.rules


def test_tampered_signature_value_is_invalid() -> None:
    root = parse_xml(_signed())
    value = root.find(".//{http://www.w3.org/2000/09/xmldsig#}SignatureValue")
    assert value is not None and value.text
    raw = "".join(value.text.split())
    value.text = ("B" if raw[0] != "B" else "C") + raw[1:]
    assert verify_signatures(root).status == "invalid"


def test_noncanonical_base64_is_rejected() -> None:
    # The stored bad-signature sample differs only in unused base64 padding bits.
    good = sample("sc-meteo-composer-signed-valid.xml").read_bytes()
    bad = sample("sc-meteo-composer-signed-bad-signature-value.xml").read_bytes()
    assert sum(a != b for a, b in zip(good, bad, strict=True)) == 1
    check = verify_signatures(parse_xml(bad))
    assert check.status == "invalid"
    assert [d.rule for d in check.defects] == ["signature.base64"]


def test_composer_pretty_printed_signature_verifies_with_warning() -> None:
    check = verify_signatures(parse_xml(sample("sc-meteo-composer-signed-valid.xml").read_bytes()))
    assert check.status == "valid"
    assert check.signers == ("CN=www.meteo.sc",)
    assert [d.rule for d in check.defects] == ["signature.whitespace-normalised"]


def test_absent_signature() -> None:
    assert verify_signatures(parse_xml(cap_xml())).status == "absent"


def test_ca_bundle(tmp_path: Path) -> None:
    _, cert_pem = _key_and_cert()
    ca = tmp_path / "ca.pem"
    ca.write_bytes(cert_pem)
    assert validate_bytes(_signed(), ca_pem_file=str(ca)).signature == "valid"
    # An IPAWS signature does not chain to our test CA.
    other = sample("us-ipaws-local-emergency-signed-resource.xml").read_bytes()
    assert validate_bytes(other, ca_pem_file=str(ca)).signature == "invalid"
    assert validate_bytes(other).signature == "valid"


def test_signature_survives_parse_and_write() -> None:
    alert = parse_alert(_signed())
    assert len(alert.signatures) == 1
    assert validate_bytes(write_alert(alert)).signature == "valid"
