"""Every file of data/cap/samples/ gets the verdict data/cap/SOURCES.md implies.

Signature verdicts are what the bytes as stored support (see docs/engines/warnings.md):
the Seychelles Composer message is the positive case (SOURCES.md), its twin with a
corrupted SignatureValue must be rejected, both IPAWS messages verify; the ECCC,
USGS and PAGASA signatures no longer match their (re-indented) content and the WMO
Composer fixture (``fake.xml``) has a digest mismatch.
"""

from __future__ import annotations

import pytest

from yingji.engines.warnings.validate import validate_file

from .factory import SAMPLES

# name -> (well_formed, schema_valid, signature, valid, error rules that must be reported)
EXPECTED: dict[str, tuple[bool, bool, str, bool, set[str]]] = {
    # China and Chinese-language
    "cn-cma-baoding-lightning-yellow-update-en-zh.xml": (True, True, "absent", True, set()),
    "tw-wra-reservoir-release-zh-tw-bom.xml": (True, True, "absent", True, set()),
    "mo-smg-monsoon-allclear-update-zh-pt-en.xml": (True, True, "absent", False, {"alert.references.self"}),
    "malformed-tw-wrong-namespace.xml": (True, False, "absent", False, {"cap.namespace"}),
    # United States, OASIS
    "us-nws-small-craft-advisory-update.xml": (True, True, "absent", True, set()),
    "us-ipaws-local-emergency-signed-resource.xml": (True, True, "valid", True, set()),
    "us-ipaws-cancel-signed-no-info.xml": (True, True, "valid", True, set()),
    "us-nws-hurricane-update-two-polygons.xml": (True, True, "absent", True, set()),
    "us-usgs-earthquake-iso8859-1-signed-circle.xml": (True, True, "invalid", False, {"signature.invalid"}),
    "malformed-us-nws-flood-empty-fields-cap11.xml": (
        True,
        False,
        "absent",
        False,
        {
            "cap.namespace",
            "alert.references.empty",
            "value.enumeration",
            "info.eventCode.value.empty",
            "area.polygon.syntax",
        },
    ),
    "oasis-cap12-example-a4-amber-alert-en-es.xml": (True, True, "absent", True, set()),
    # Canada
    "ca-eccc-update-en-fr-signed.xml": (True, True, "invalid", False, {"signature.invalid"}),
    "malformed-ca-eccc-empty-references.xml": (
        True,
        True,
        "absent",
        False,
        {"alert.references.required", "alert.restriction.empty", "alert.addresses.empty"},
    ),
    # Europe
    "de-dwd-thunderstorm-update-warncells.xml": (True, True, "absent", True, set()),
    "at-geosphere-thunderstorm-update-de-en.xml": (True, True, "absent", True, set()),
    "is-imo-wind-yellow-resource-digest.xml": (True, True, "absent", True, set()),
    "malformed-ch-alertswiss-test-element-order.xml": (
        True,
        False,
        "absent",
        False,
        {"structure.order", "structure.missing", "alert.references.self"},
    ),
    "malformed-de-mowas-cancel-element-order.xml": (True, False, "absent", False, {"structure.order"}),
    # Australia, Philippines, Mexico
    "au-bom-severe-thunderstorm-amoc-geocodes.xml": (True, True, "absent", True, set()),
    "ph-pagasa-tropical-cyclone-test-signed.xml": (True, True, "invalid", False, {"signature.invalid"}),
    "mx-smn-tropical-storm-update-es419.xml": (True, True, "absent", True, set()),
    # Africa / signatures
    "sc-meteo-composer-signed-valid.xml": (True, True, "valid", True, set()),
    "sc-meteo-composer-signed-bad-signature-value.xml": (True, True, "invalid", False, {"signature.base64"}),
    "dz-meteo-heatwave-polygon-empty-description.xml": (True, True, "absent", True, set()),
    "wmo-composer-test-circle-and-polygons.xml": (True, True, "invalid", False, {"signature.invalid"}),
    # Security, feeds
    "security-xxe-external-entities.xml": (False, False, "absent", False, {"security.doctype"}),
    "feed-nws-atom-index.xml": (True, False, "absent", False, {"cap.not-alert"}),
    "feed-wmo-alerthub-rss-au-bom.xml": (True, False, "absent", False, {"cap.not-alert"}),
    "malformed-feed-naad-atom-bad-utf8-georss.xml": (False, False, "absent", False, {"xml.malformed"}),
    "feed-nyalert-rss-index.xml": (True, False, "absent", False, {"cap.not-alert"}),
}


def test_every_sample_has_a_verdict() -> None:
    on_disk = {p.name for p in SAMPLES.glob("*.xml")}
    assert on_disk == set(EXPECTED), on_disk ^ set(EXPECTED)
    assert len(on_disk) == 30


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_verdict(name: str) -> None:
    well_formed, schema_valid, signature, valid, rules = EXPECTED[name]
    report = validate_file(SAMPLES / name)
    assert report.well_formed is well_formed
    assert report.schema_valid is schema_valid
    assert report.signature == signature
    assert report.valid is valid
    assert rules <= report.rules, report.errors
    if valid:
        assert report.errors == ()
    else:
        assert report.errors, "an invalid message must list at least one error"
    for d in report.errors:
        assert d.path.startswith("/") and d.message


def test_malformed_names_are_all_rejected() -> None:
    for name, (_, _, _, valid, _) in EXPECTED.items():
        if name.startswith(("malformed-", "security-")):
            assert not valid, name


def test_every_order_defect_is_listed_not_only_the_first() -> None:
    # MoWaS: <expires> is misplaced in all nine info blocks; libxml2 stops at one per parent.
    report = validate_file(SAMPLES / "malformed-de-mowas-cancel-element-order.xml")
    expires = {d.path for d in report.errors if d.rule == "structure.order" and d.path.endswith("/expires")}
    assert expires == {f"/alert/info[{i}]/expires" for i in range(1, 10)}


def test_alertswiss_missing_elements_are_named() -> None:
    report = validate_file(SAMPLES / "malformed-ch-alertswiss-test-element-order.xml")
    missing = {d.message for d in report.errors if d.rule == "structure.missing"}
    assert any("<category>" in m for m in missing)
    assert any("<certainty>" in m for m in missing)


def test_cap11_defects_are_located() -> None:
    report = validate_file(SAMPLES / "malformed-us-nws-flood-empty-fields-cap11.xml")
    located = {(d.rule, d.path) for d in report.errors}
    assert ("value.enumeration", "/alert/info/urgency") in located
    assert ("value.enumeration", "/alert/info/severity") in located
    assert ("value.enumeration", "/alert/info/certainty") in located
    assert ("info.eventCode.value.empty", "/alert/info/eventCode") in located
    assert ("area.polygon.syntax", "/alert/info/area/polygon[1]") in located  # trailing commas
    assert ("area.polygon.syntax", "/alert/info/area/polygon[2]") in located  # empty polygon
    assert ("alert.references.empty", "/alert/references") in located


def test_cma_references_quirk_is_a_warning_not_an_error() -> None:
    report = validate_file(SAMPLES / "cn-cma-baoding-lightning-yellow-update-en-zh.xml")
    assert report.valid
    assert "alert.references.sent-is-own-sent" in {w.rule for w in report.warnings}


def test_sha1_signature_is_accepted_with_a_warning() -> None:
    report = validate_file(SAMPLES / "us-ipaws-cancel-signed-no-info.xml")
    assert report.signature == "valid"
    assert "signature.sha1" in {w.rule for w in report.warnings}
