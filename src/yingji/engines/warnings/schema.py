"""Validation against the OASIS CAP 1.2 XSD (data/cap/schema/CAP-v1.2.xsd), offline.

The schema is loaded once from the repository with a hardened parser (no network).
libxml2 reports at most one content-model error per parent element; the lenient
reader (``parse``) lists every order/missing/repeated defect, and ``validate``
merges the two lists.
"""

from __future__ import annotations

import re
from functools import cache

from lxml import etree

from ..refdata import data_path
from .model import CAP12_NS, Defect
from .parse import element_path
from .xmlsafe import make_parser

_NS_NOISE = re.compile(r"\{" + re.escape(CAP12_NS) + r"\}")

_RULES = {
    "SCHEMAV_CVC_ENUMERATION_VALID": "xsd.enumeration",
    "SCHEMAV_CVC_PATTERN_VALID": "xsd.pattern",
    "SCHEMAV_CVC_ELT_1": "xsd.root",
    "SCHEMAV_CVC_COMPLEX_TYPE_2_4": "xsd.element-content",
}


@cache
def cap_schema() -> etree.XMLSchema:
    """The compiled CAP 1.2 XSD (cached). Raises ``FileNotFoundError`` if the file is missing."""
    doc = etree.parse(str(data_path("cap", "schema", "CAP-v1.2.xsd")), make_parser())
    return etree.XMLSchema(doc)


def _rule(entry: etree._LogEntry) -> str:
    message = entry.message or ""
    if entry.type_name == "SCHEMAV_ELEMENT_CONTENT":
        if "Missing child element" in message:
            return "xsd.missing-element"
        return "xsd.unexpected-element"
    if entry.type_name in _RULES:
        return _RULES[entry.type_name]
    if "DATATYPE" in entry.type_name or "atomic type" in message:
        return "xsd.datatype"
    return "xsd.invalid"


def xsd_errors(root: etree._Element) -> list[Defect]:
    """Validate a parsed message against the CAP 1.2 XSD.

    Args:
        root: root element of the message.

    Returns:
        One ``Defect`` per libxml2 error (rule ids ``xsd.*``), with readable paths;
        empty when the message is schema-valid.
    """
    schema = cap_schema()
    tree = root.getroottree()
    if schema.validate(tree):
        return []
    out: list[Defect] = []
    for entry in schema.error_log:
        path = "/alert"
        if entry.path:
            try:
                found = tree.xpath(entry.path)
            except etree.XPathError:
                found = []
            if isinstance(found, list) and found and isinstance(found[0], etree._Element):
                path = element_path(found[0])
        message = _NS_NOISE.sub("", entry.message or "schema error")
        out.append(Defect(_rule(entry), path, f"line {entry.line}: {message}"))
    return out
