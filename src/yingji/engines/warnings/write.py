"""Writing the model back to CAP 1.2 XML (OASIS CAP v1.2 schema order, UTF-8).

Output is always in the CAP 1.2 namespace (messages read in a CAP 1.0/1.1
namespace are upgraded) and, by default, checked against the shipped XSD.
Extension elements are kept: XML-DSig signatures go back at the end of
``<alert>``, where the schema allows them. Elements the schema does not allow
anywhere (unknown CAP names, foreign namespaces) are only written with
``keep_unknown=True``, since they would make the output schema-invalid.

Note: a re-serialised message is not byte-identical, so an enveloped signature
copied back will generally no longer verify (unless the text and layout match).
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from .errors import CapSchemaError
from .model import CAP12_NS, DSIG_NS, Alert, Area, Info, Resource, ValuePair
from .parse import step
from .xmlsafe import parse_xml


class _Builder:
    def __init__(self, alert: Alert, prefix: str | None, keep_unknown: bool) -> None:
        self.alert = alert
        self.prefix = prefix
        self.keep_unknown = keep_unknown
        self.pending: list[tuple[etree._Element, etree._Element]] = []

    def tag(self, name: str) -> str:
        return f"{{{CAP12_NS}}}{name}"

    def leaf(self, parent: etree._Element, name: str, value: str | None) -> None:
        if value is not None:
            etree.SubElement(parent, self.tag(name)).text = value

    def leaves(self, parent: etree._Element, name: str, values: Iterable[str]) -> None:
        for value in values:
            self.leaf(parent, name, value)

    def pairs(self, parent: etree._Element, name: str, pairs: Iterable[ValuePair]) -> None:
        for pair in pairs:
            el = etree.SubElement(parent, self.tag(name))
            self.leaf(el, "valueName", pair.value_name)
            self.leaf(el, "value", pair.value)

    def extensions(self, parent: etree._Element, path: str) -> None:
        for ext in self.alert.extensions:
            if ext.parent != path:
                continue
            allowed = path == "/alert" and ext.namespace == DSIG_NS
            if allowed or self.keep_unknown:
                # Appended after indentation so that their content stays byte-for-byte.
                self.pending.append((parent, parse_xml(ext.xml.encode("utf-8"))))

    def resource(self, parent: etree._Element, res: Resource) -> None:
        el = etree.SubElement(parent, self.tag("resource"))
        self.leaf(el, "resourceDesc", res.resource_desc)
        self.leaf(el, "mimeType", res.mime_type)
        self.leaf(el, "size", res.size)
        self.leaf(el, "uri", res.uri)
        self.leaf(el, "derefUri", res.deref_uri)
        self.leaf(el, "digest", res.digest)

    def area(self, parent: etree._Element, area: Area, path: str) -> None:
        el = etree.SubElement(parent, self.tag("area"))
        self.leaf(el, "areaDesc", area.area_desc)
        self.leaves(el, "polygon", area.polygons)
        self.leaves(el, "circle", area.circles)
        self.pairs(el, "geocode", area.geocodes)
        self.leaf(el, "altitude", area.altitude)
        self.leaf(el, "ceiling", area.ceiling)
        self.extensions(el, path)

    def info(self, parent: etree._Element, info: Info, path: str) -> None:
        el = etree.SubElement(parent, self.tag("info"))
        self.leaf(el, "language", info.language)
        self.leaves(el, "category", info.categories)
        self.leaf(el, "event", info.event)
        self.leaves(el, "responseType", info.response_types)
        self.leaf(el, "urgency", info.urgency)
        self.leaf(el, "severity", info.severity)
        self.leaf(el, "certainty", info.certainty)
        self.leaf(el, "audience", info.audience)
        self.pairs(el, "eventCode", info.event_codes)
        for name in ("effective", "onset", "expires"):
            self.leaf(el, name, getattr(info, name))
        self.leaf(el, "senderName", info.sender_name)
        for name in ("headline", "description", "instruction", "web", "contact"):
            self.leaf(el, name, getattr(info, name))
        self.pairs(el, "parameter", info.parameters)
        for res in info.resources:
            self.resource(el, res)
        n = len(info.areas)
        for i, area in enumerate(info.areas):
            self.area(el, area, f"{path}/area[{i + 1}]" if n > 1 else f"{path}/area")
        self.extensions(el, path)

    def build(self) -> etree._Element:
        a = self.alert
        root = etree.Element(self.tag("alert"), nsmap={self.prefix: CAP12_NS})
        for name, value in (
            ("identifier", a.identifier),
            ("sender", a.sender),
            ("sent", a.sent),
            ("status", a.status),
            ("msgType", a.msg_type),
            ("source", a.source),
            ("scope", a.scope),
            ("restriction", a.restriction),
            ("addresses", a.addresses),
        ):
            self.leaf(root, name, value)
        self.leaves(root, "code", a.codes)
        self.leaf(root, "note", a.note)
        self.leaf(root, "references", a.references_text)
        self.leaf(root, "incidents", a.incidents)
        n = len(a.infos)
        for i, info in enumerate(a.infos):
            self.info(root, info, f"/alert/{step('info', i, n)}")
        self.extensions(root, "/alert")
        return root

    def attach(self) -> None:
        for parent, ext in self.pending:
            if len(parent):
                last = parent[-1]
                ext.tail = last.tail
                last.tail = (parent.text or "\n") if pretty_ws(parent.text) else last.tail
            parent.append(ext)


def pretty_ws(text: str | None) -> bool:
    """True when ``text`` is indentation whitespace (as left by ``etree.indent``)."""
    return bool(text) and not (text or "").strip()


def alert_element(
    alert: Alert, *, default_namespace: bool = False, keep_unknown: bool = False
) -> etree._Element:
    """Build the lxml ``<alert>`` element for a model (schema order, CAP 1.2 namespace)."""
    builder = _Builder(alert, None if default_namespace else alert.prefix, keep_unknown)
    root = builder.build()
    builder.attach()
    return root


def write_alert(
    alert: Alert,
    *,
    default_namespace: bool = False,
    keep_unknown: bool = False,
    check: bool = True,
    pretty: bool = True,
) -> bytes:
    """Serialise an ``Alert`` as a UTF-8 CAP 1.2 document.

    Args:
        alert: the message.
        default_namespace: write ``<alert xmlns="...">`` even if the source used a prefix
            (by default the source prefix, e.g. ``cap:``, is kept so that the namespace
            context of a copied signature does not change).
        keep_unknown: also write extension elements the schema does not allow.
        check: validate the output against the CAP 1.2 XSD.
        pretty: indent element-only content (text values are written unchanged).

    Returns:
        The document bytes, with an XML declaration.

    Raises:
        CapSchemaError: ``check`` and the output is not schema-valid (the model itself
            breaks the schema, e.g. an empty ``urgency``, or ``keep_unknown`` was used).
    """
    builder = _Builder(alert, None if default_namespace else alert.prefix, keep_unknown)
    root = builder.build()
    if pretty:
        etree.indent(root, space="  ")
    builder.attach()
    if check:
        from .schema import xsd_errors

        errors = xsd_errors(root)
        if errors:
            first = errors[0]
            raise CapSchemaError(f"output is not CAP 1.2 schema-valid: {first.path}: {first.message}")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
