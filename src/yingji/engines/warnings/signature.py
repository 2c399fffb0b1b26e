"""Enveloped XML-Signature checking of CAP messages (W3C XML-DSig 1.1; CAP 1.2 §3.3.2.1).

CAP 1.2 allows ``ds:Signature`` elements at the end of ``<alert>``. Each is verified
with signxml's ``XMLVerifier`` against the key the message itself carries:
the X.509 certificate in ``KeyInfo/X509Data`` (or, failing that, ``KeyInfo/KeyValue``).
Without a CA file there is **no trust-store or validity-period check**: the result
says the message is intact and was signed by the holder of that key, not that the
key is trusted. With a CA file, signxml builds the chain to it and checks validity at
the message's ``sent`` time.

Decisions (docs/engines/warnings.md):
* SHA-1 signature/digest methods are accepted (still common in IPAWS/USGS output) and
  flagged with a warning.
* base64 values must be canonical (XML Schema ``base64Binary``; RFC 4648 §3.5): a
  SignatureValue whose unused padding bits were altered decodes to the same bytes
  but is a corrupted value and is rejected.
* When several signatures are present (e.g. NAADS adds its own next to the
  originator's), each is checked on the message without the other signatures.
* If a signature fails on the exact tree but verifies once whitespace-only text
  between elements is removed, it is reported valid with a warning: CAP Composer
  output is signed compact and pretty-printed afterwards (the WMO capvalidator
  parses with ``remove_blank_text`` for the same reason).
"""

from __future__ import annotations

import base64
import binascii
import copy
import warnings
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from .model import DSIG_NS, Defect, parse_cap_datetime
from .parse import element_path, split_tag
from .xmlsafe import parse_xml

_DS = f"{{{DSIG_NS}}}"
_BASE64_ELEMENTS = ("SignatureValue", "DigestValue", "X509Certificate")


@dataclass(frozen=True)
class SignatureCheck:
    """Outcome: ``status`` is ``"absent"``, ``"valid"`` or ``"invalid"``; defects are errors/warnings."""

    status: str
    defects: tuple[Defect, ...] = ()
    signers: tuple[str, ...] = ()


def _strict_b64(text: str) -> bytes | None:
    compact = "".join(text.split())
    try:
        raw = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if base64.b64encode(raw).decode("ascii") == compact else None


def _load_cert(sig: etree._Element) -> object | None:
    from cryptography import x509

    el = sig.find(f"{_DS}KeyInfo/{_DS}X509Data/{_DS}X509Certificate")
    if el is None or not (el.text or "").strip():
        return None
    raw = _strict_b64(el.text or "")
    if raw is None:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return x509.load_der_x509_certificate(raw)


def _verify_one(
    doc: etree._Element, sig: etree._Element, ca_pem_file: str | None, at: datetime | None
) -> tuple[str, str]:
    """Return ``(signer, "")`` on success or ``("", reason)``."""
    from cryptography import x509
    from signxml import DigestAlgorithm, SignatureConfiguration, SignatureMethod, XMLVerifier

    cert = _load_cert(sig)
    base = {
        "signature_methods": frozenset(SignatureMethod),
        "digest_algorithms": frozenset(DigestAlgorithm),
        "ignore_ambiguous_key_info": True,
        "expect_references": True,
    }
    kwargs: dict[str, object] = {"validate_schema": False}
    if ca_pem_file is not None:
        config = SignatureConfiguration(verification_time=at, **base)  # type: ignore[arg-type]
        kwargs["ca_pem_file"] = ca_pem_file
    elif isinstance(cert, x509.Certificate):
        config = SignatureConfiguration(verification_time=cert.not_valid_before_utc, **base)  # type: ignore[arg-type]
        kwargs["x509_cert"] = cert
    else:
        config = SignatureConfiguration(require_x509=False, **base)  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            XMLVerifier().verify(doc, expect_config=config, **kwargs)  # type: ignore[arg-type]
        except Exception as exc:  # signxml, cryptography and lxml raise many types
            return "", f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    if isinstance(cert, x509.Certificate):
        return cert.subject.rfc4514_string(), ""
    return "KeyValue", ""


def _only(root: etree._Element, keep: int) -> etree._Element:
    doc = copy.deepcopy(root)
    for i, s in enumerate(doc.findall(f"{_DS}Signature")):
        if i != keep:
            doc.remove(s)
    return doc


def verify_signatures(root: etree._Element, *, ca_pem_file: str | None = None) -> SignatureCheck:
    """Verify the enveloped XML signatures of a CAP message.

    Args:
        root: the parsed ``<alert>`` element (not modified).
        ca_pem_file: optional path of a PEM file of trusted CA certificates; when given,
            the signing certificate must chain to it and be valid at the message's sent time.

    Returns:
        ``SignatureCheck``: ``absent`` (no ``ds:Signature`` child of ``alert``), ``valid``
        (every signature verifies) or ``invalid`` (at least one does not), with
        ``signature.*`` defects and the signer subjects.
    """
    sigs = root.findall(f"{_DS}Signature")
    if not sigs:
        return SignatureCheck("absent")
    defects: list[Defect] = []
    signers: list[str] = []
    sent_el = next((c for c in root if isinstance(c.tag, str) and split_tag(c.tag)[1] == "sent"), None)
    at = parse_cap_datetime(sent_el.text if sent_el is not None else None)
    ok = True
    for i, sig in enumerate(sigs):
        path = element_path(sig)
        bad = [
            name
            for name in _BASE64_ELEMENTS
            for el in sig.iter(f"{_DS}{name}")
            if _strict_b64(el.text or "") is None
        ]
        if bad:
            ok = False
            defects.append(
                Defect(
                    "signature.base64", path, f"{', '.join(bad)} is not canonical base64 (corrupted value)"
                )
            )
            continue
        doc = _only(root, i) if len(sigs) > 1 else root
        signer, reason = _verify_one(doc, sig, ca_pem_file, at)
        if not signer:
            relaxed = parse_xml(etree.tostring(doc), remove_blank_text=True)
            signer, _ = _verify_one(relaxed, relaxed.findall(f"{_DS}Signature")[0], ca_pem_file, at)
            if signer:
                defects.append(
                    Defect(
                        "signature.whitespace-normalised",
                        path,
                        "verifies only after whitespace between elements is removed "
                        "(re-indented after signing)",
                        "warning",
                    )
                )
        if not signer:
            ok = False
            defects.append(Defect("signature.invalid", path, f"XML signature does not verify: {reason}"))
            continue
        signers.append(signer)
        algos = [el.get("Algorithm", "") for el in sig.iter(f"{_DS}SignatureMethod", f"{_DS}DigestMethod")]
        if any(a.endswith("sha1") for a in algos):
            defects.append(Defect("signature.sha1", path, "uses SHA-1 (deprecated)", "warning"))
    return SignatureCheck("valid" if ok else "invalid", tuple(defects), tuple(signers))
