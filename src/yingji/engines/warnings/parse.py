"""Reading CAP messages into the typed model (lenient by element name, or strict).

Any CAP 1.2 message is accepted: default namespace or a ``cap:`` prefix, UTF-8 with
or without BOM, other encodings through the XML declaration (ISO-8859-1...).
Children are picked up **by name**, so misordered elements are still read (as
lenient ingest requires); every structural defect is recorded as a ``Defect`` with
its element path: order, missing or repeated elements, values outside the closed
lists, malformed date-times (CAP 1.2 §3.2, §3.3.2 and the XSD).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .errors import CapSchemaError, NotCapError
from .model import (
    CAP12_NS,
    DSIG_NS,
    OLD_CAP_NS,
    Alert,
    Area,
    Defect,
    Extension,
    Info,
    Resource,
    ValuePair,
    is_cap_datetime,
)
from .structure import (
    ALERT_SEQ,
    AREA_SEQ,
    DATETIME_ELEMENTS,
    DECIMAL_ELEMENTS,
    ENUMS,
    INFO_SEQ,
    INTEGER_ELEMENTS,
    PAIR_SEQ,
    RESOURCE_SEQ,
    Seq,
)
from .xmlsafe import DEFAULT_MAX_BYTES, parse_xml, read_limited


@dataclass(frozen=True)
class ReadResult:
    """What ``read_alert`` returns: the model, the defects found while reading, the CAP version."""

    alert: Alert
    defects: tuple[Defect, ...]
    version: str
    root: etree._Element | None = field(default=None, compare=False, repr=False)


def split_tag(tag: str) -> tuple[str, str]:
    """``{ns}local`` -> ``(ns, local)``; ``("", tag)`` when there is no namespace."""
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def element_text(el: etree._Element) -> str:
    """Text content of a leaf element: its text plus the tails of comments/PIs inside it."""
    parts = [el.text or ""]
    for child in el:
        parts.append(child.tail or "")
    return "".join(parts)


def step(name: str, index: int, count: int) -> str:
    """Path step ``name`` or ``name[index+1]`` when the parent has several such children."""
    return f"{name}[{index + 1}]" if count > 1 else name


def element_path(el: etree._Element) -> str:
    """Readable path of an element, e.g. ``/alert/info[2]/area/polygon[3]`` (local names)."""
    steps: list[str] = []
    node: etree._Element | None = el
    while node is not None:
        _, local = split_tag(node.tag) if isinstance(node.tag, str) else ("", "?")
        parent = node.getparent()
        if parent is None:
            steps.append(local)
        else:
            same = [c for c in parent if isinstance(c.tag, str) and c.tag == node.tag]
            steps.append(step(local, same.index(node), len(same)))
        node = parent
    return "/" + "/".join(reversed(steps))


class _Reader:
    def __init__(self, ns: str) -> None:
        self.ns = ns
        self.defects: list[Defect] = []
        self.extensions: list[Extension] = []

    def error(self, rule: str, path: str, message: str) -> None:
        self.defects.append(Defect(rule, path, message))

    def children(
        self, parent: etree._Element, seq: Seq, path: str, *, allow_dsig: bool = False
    ) -> dict[str, list[etree._Element]]:
        """Group the children of ``parent`` by CAP name, recording structural defects."""
        order = {name: i for i, (name, _, _) in enumerate(seq)}
        groups: dict[str, list[etree._Element]] = {name: [] for name, _, _ in seq}
        totals: dict[str, int] = {}
        for child in parent:
            if isinstance(child.tag, str):
                totals[child.tag] = totals.get(child.tag, 0) + 1
        seen: dict[str, int] = {}
        highest = -1
        highest_name = ""
        after_dsig = False
        for child in parent:
            if not isinstance(child.tag, str):
                continue  # comments, processing instructions
            ns, local = split_tag(child.tag)
            n = seen.get(child.tag, 0)
            seen[child.tag] = n + 1
            cpath = f"{path}/{step(local, n, totals[child.tag])}"
            if ns == self.ns and local in order:
                pos = order[local]
                if after_dsig:
                    self.error(
                        "structure.order",
                        cpath,
                        f"<{local}> appears after the XML signature; it must precede it",
                    )
                elif pos < highest:
                    self.error(
                        "structure.order",
                        cpath,
                        f"<{local}> appears after <{highest_name}>; CAP 1.2 schema order puts it before",
                    )
                if pos > highest:
                    highest, highest_name = pos, local
                groups[local].append(child)
                continue
            self.extensions.append(
                Extension(path, ns, local, etree.tostring(child, encoding="unicode", with_tail=False))
            )
            if allow_dsig and ns == DSIG_NS:
                after_dsig = True
            elif ns == self.ns:
                self.error("structure.unknown-element", cpath, f"<{local}> is not a CAP 1.2 element")
            else:
                self.error(
                    "structure.foreign-element",
                    cpath,
                    f"element {{{ns}}}{local} is not allowed here by the CAP 1.2 schema",
                )
        for name, lo, hi in seq:
            count = len(groups[name])
            if count < lo:
                self.error("structure.missing", path, f"required element <{name}> is missing")
            if hi is not None and count > hi:
                self.error(
                    "structure.repeated",
                    f"{path}/{name}[{hi + 1}]",
                    f"<{name}> may appear at most {hi} time(s); found {count}",
                )
        return groups

    def value(self, name: str, text: str, path: str) -> None:
        stripped = text.strip()
        if name in ENUMS and stripped not in ENUMS[name]:
            allowed = ", ".join(ENUMS[name])
            self.error("value.enumeration", path, f"<{name}> is {text!r}; allowed: {allowed}")
        elif name in DATETIME_ELEMENTS and not is_cap_datetime(text):
            self.error(
                "value.datetime",
                path,
                f"<{name}> {text!r} is not a CAP date-time "
                "(YYYY-MM-DDThh:mm:ss±hh:mm, no 'Z'; CAP 1.2 §3.3.2)",
            )
        elif name in DECIMAL_ELEMENTS:
            try:
                float(stripped)
            except ValueError:
                self.error("value.decimal", path, f"<{name}> {text!r} is not a decimal number")
        elif name in INTEGER_ELEMENTS and not stripped.lstrip("+-").isdigit():
            self.error("value.integer", path, f"<{name}> {text!r} is not an integer")

    def one(self, groups: dict[str, list[etree._Element]], name: str, path: str) -> str | None:
        els = groups[name]
        if not els:
            return None
        text = element_text(els[0])
        self.value(name, text, f"{path}/{name}")
        return text

    def req(self, groups: dict[str, list[etree._Element]], name: str, path: str) -> str:
        value = self.one(groups, name, path)
        return "" if value is None else value

    def many(self, groups: dict[str, list[etree._Element]], name: str, path: str) -> tuple[str, ...]:
        els = groups[name]
        out = []
        for i, el in enumerate(els):
            text = element_text(el)
            self.value(name, text, f"{path}/{step(name, i, len(els))}")
            out.append(text)
        return tuple(out)

    def nested(
        self,
        groups: dict[str, list[etree._Element]],
        name: str,
        path: str,
        build: Callable[[etree._Element, str], object],
    ) -> list[object]:
        els = groups[name]
        return [build(el, f"{path}/{step(name, i, len(els))}") for i, el in enumerate(els)]

    def pair(self, el: etree._Element, path: str) -> ValuePair:
        g = self.children(el, PAIR_SEQ, path)
        return ValuePair(self.req(g, "valueName", path), self.req(g, "value", path))

    def pairs(self, groups: dict[str, list[etree._Element]], name: str, path: str) -> tuple[ValuePair, ...]:
        return tuple(p for p in self.nested(groups, name, path, self.pair) if isinstance(p, ValuePair))

    def resource(self, el: etree._Element, path: str) -> Resource:
        g = self.children(el, RESOURCE_SEQ, path)
        return Resource(
            resource_desc=self.req(g, "resourceDesc", path),
            mime_type=self.req(g, "mimeType", path),
            size=self.one(g, "size", path),
            uri=self.one(g, "uri", path),
            deref_uri=self.one(g, "derefUri", path),
            digest=self.one(g, "digest", path),
        )

    def area(self, el: etree._Element, path: str) -> Area:
        g = self.children(el, AREA_SEQ, path)
        return Area(
            area_desc=self.req(g, "areaDesc", path),
            polygons=self.many(g, "polygon", path),
            circles=self.many(g, "circle", path),
            geocodes=self.pairs(g, "geocode", path),
            altitude=self.one(g, "altitude", path),
            ceiling=self.one(g, "ceiling", path),
        )

    def info(self, el: etree._Element, path: str) -> Info:
        g = self.children(el, INFO_SEQ, path)
        resources = self.nested(g, "resource", path, self.resource)
        areas = self.nested(g, "area", path, self.area)
        return Info(
            language=self.one(g, "language", path),
            categories=self.many(g, "category", path),
            event=self.req(g, "event", path),
            response_types=self.many(g, "responseType", path),
            urgency=self.req(g, "urgency", path),
            severity=self.req(g, "severity", path),
            certainty=self.req(g, "certainty", path),
            audience=self.one(g, "audience", path),
            event_codes=self.pairs(g, "eventCode", path),
            effective=self.one(g, "effective", path),
            onset=self.one(g, "onset", path),
            expires=self.one(g, "expires", path),
            sender_name=self.one(g, "senderName", path),
            headline=self.one(g, "headline", path),
            description=self.one(g, "description", path),
            instruction=self.one(g, "instruction", path),
            web=self.one(g, "web", path),
            contact=self.one(g, "contact", path),
            parameters=self.pairs(g, "parameter", path),
            resources=tuple(r for r in resources if isinstance(r, Resource)),
            areas=tuple(a for a in areas if isinstance(a, Area)),
        )

    def alert(self, root: etree._Element) -> Alert:
        path = "/alert"
        g = self.children(root, ALERT_SEQ, path, allow_dsig=True)
        infos = self.nested(g, "info", path, self.info)
        return Alert(
            identifier=self.req(g, "identifier", path),
            sender=self.req(g, "sender", path),
            sent=self.req(g, "sent", path),
            status=self.req(g, "status", path),
            msg_type=self.req(g, "msgType", path),
            scope=self.req(g, "scope", path),
            source=self.one(g, "source", path),
            restriction=self.one(g, "restriction", path),
            addresses=self.one(g, "addresses", path),
            codes=self.many(g, "code", path),
            note=self.one(g, "note", path),
            references_text=self.one(g, "references", path),
            incidents=self.one(g, "incidents", path),
            infos=tuple(i for i in infos if isinstance(i, Info)),
            extensions=tuple(self.extensions),
            namespace=self.ns,
            prefix=root.prefix,
        )


def alert_namespace(root: etree._Element, *, lenient: bool = True) -> tuple[str, str, list[Defect]]:
    """Check the root element is a CAP alert; return ``(namespace, version, defects)``.

    Raises:
        NotCapError: the root is not ``alert``, or its namespace is not a CAP namespace
            (CAP 1.0/1.1 namespaces are refused too unless ``lenient``).
    """
    if not isinstance(root.tag, str):
        raise NotCapError("not a CAP message: no root element", rule="cap.not-alert")
    ns, local = split_tag(root.tag)
    if local != "alert":
        what = f"{{{ns}}}{local}" if ns else local
        raise NotCapError(
            f"not a CAP message: root element is {what}, expected CAP 1.2 <alert>", rule="cap.not-alert"
        )
    if ns == CAP12_NS:
        return ns, "1.2", []
    if ns in OLD_CAP_NS:
        version = OLD_CAP_NS[ns]
        message = f"CAP {version} namespace {ns!r}; this engine validates CAP 1.2 ({CAP12_NS})"
        if not lenient:
            raise NotCapError(message)
        return ns, version, [Defect("cap.namespace", "/alert", message)]
    shown = ns or "(no namespace)"
    raise NotCapError(f"not CAP: <alert> is in namespace {shown!r}, expected {CAP12_NS!r}")


def read_alert(root: etree._Element, *, lenient: bool = True) -> ReadResult:
    """Build the ``Alert`` model from a parsed root element.

    Args:
        root: the document's root element (from ``xmlsafe.parse_xml``).
        lenient: read CAP 1.0/1.1 namespaces too (recording a ``cap.namespace`` defect).

    Returns:
        ``ReadResult`` with the model and every structural defect found.

    Raises:
        NotCapError: not a CAP alert (see ``alert_namespace``).
    """
    ns, version, defects = alert_namespace(root, lenient=lenient)
    reader = _Reader(ns)
    alert = reader.alert(root)
    return ReadResult(alert, tuple(defects + reader.defects), version, root)


def parse_alert(
    data: bytes | str,
    *,
    strict: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Alert:
    """Parse one CAP message (bytes, or text) into an ``Alert``.

    Lenient by default: elements are read by name whatever their order and
    structural defects are ignored here (``validate`` reports them). With
    ``strict=True`` the message must be CAP 1.2 and pass the OASIS XSD.

    Raises:
        CapSizeError, CapSecurityError, CapNotWellFormedError: see ``xmlsafe.parse_xml``.
        NotCapError: not a CAP alert (wrong root or namespace; CAP 1.0/1.1 when strict).
        CapSchemaError: ``strict`` and the XSD rejects the message.
    """
    root = parse_xml(data, max_bytes=max_bytes)
    result = read_alert(root, lenient=not strict)
    if strict:
        from .schema import xsd_errors

        errors = xsd_errors(root)
        if errors:
            first = errors[0]
            raise CapSchemaError(f"{first.path}: {first.message} ({len(errors)} schema error(s))")
    return result.alert


def parse_file(path: str | Path, *, strict: bool = False, max_bytes: int = DEFAULT_MAX_BYTES) -> Alert:
    """Read and parse a CAP file (see ``parse_alert``); raises ``OSError`` if unreadable."""
    return parse_alert(read_limited(path, max_bytes), strict=strict, max_bytes=max_bytes)
