"""Typed model of a CAP 1.2 message (OASIS CAP v1.2, 2010; GB/T 35965.1-2018).

Every CAP value is kept as the exact text of its element (``None`` when the
element is absent, ``""`` when it is present but empty), so that a message can be
written back element for element. Helpers turn the text into numbers, datetimes
and geometry where that is needed (``references`` is parsed into triples here
because every consumer needs the triples).

Pure module: standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

CAP12_NS = "urn:oasis:names:tc:emergency:cap:1.2"
"""Namespace of CAP 1.2 (OASIS CAP v1.2 §3.3.1)."""
OLD_CAP_NS = {
    "urn:oasis:names:tc:emergency:cap:1.1": "1.1",
    "http://www.incident.com/cap/1.0": "1.0",
}
"""Namespaces of the earlier CAP versions (read leniently, reported as a defect)."""
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
"""XML-DSig namespace: the only extension the CAP 1.2 schema allows (at the end of ``alert``)."""

# CAP 1.2 §3.3.2: "[-,+]hh:mm" offset, alphabetic designators such as "Z" not allowed.
_DATETIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d$")


def parse_cap_datetime(text: str | None) -> datetime | None:
    """Parse a CAP 1.2 date-time (``2024-07-12T21:31:38+08:00``) into an aware datetime.

    Args:
        text: the element text (surrounding whitespace ignored) or ``None``.

    Returns:
        The timezone-aware datetime, or ``None`` when ``text`` is ``None``, empty or
        does not follow CAP 1.2 §3.3.2 (an explicit ``±hh:mm`` offset, no ``Z``, no
        fractional seconds, as in the XSD pattern).
    """
    if text is None:
        return None
    value = text.strip()
    if not _DATETIME_RE.match(value):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def is_cap_datetime(text: str) -> bool:
    """True when ``text`` is a valid CAP 1.2 date-time (CAP 1.2 §3.3.2, see ``parse_cap_datetime``)."""
    return parse_cap_datetime(text) is not None


@dataclass(frozen=True)
class Reference:
    """One ``sender,identifier,sent`` triple of ``<references>`` (CAP 1.2 §3.2.1)."""

    sender: str
    identifier: str
    sent: str

    @property
    def key(self) -> tuple[str, str]:
        """(sender, identifier): the key used to find the referenced message."""
        return (self.sender, self.identifier)


@dataclass(frozen=True)
class ValuePair:
    """A ``valueName``/``value`` pair (eventCode, parameter, geocode; CAP 1.2 §3.2.2, §3.2.4)."""

    value_name: str
    value: str


@dataclass(frozen=True)
class Resource:
    """``<resource>`` (CAP 1.2 §3.2.3). ``size`` is in bytes (text as given)."""

    resource_desc: str
    mime_type: str
    size: str | None = None
    uri: str | None = None
    deref_uri: str | None = None
    digest: str | None = None


@dataclass(frozen=True)
class Area:
    """``<area>`` (CAP 1.2 §3.2.4).

    ``polygons`` hold the raw ``lat,lon lat,lon ...`` text (WGS84 degrees); ``circles``
    the raw ``lat,lon radius`` text (radius in km); ``altitude``/``ceiling`` in feet
    above mean sea level, as text.
    """

    area_desc: str
    polygons: tuple[str, ...] = ()
    circles: tuple[str, ...] = ()
    geocodes: tuple[ValuePair, ...] = ()
    altitude: str | None = None
    ceiling: str | None = None


@dataclass(frozen=True)
class Info:
    """``<info>`` (CAP 1.2 §3.2.2). Date-times are kept as text; see ``parse_cap_datetime``."""

    language: str | None = None
    categories: tuple[str, ...] = ()
    event: str = ""
    response_types: tuple[str, ...] = ()
    urgency: str = ""
    severity: str = ""
    certainty: str = ""
    audience: str | None = None
    event_codes: tuple[ValuePair, ...] = ()
    effective: str | None = None
    onset: str | None = None
    expires: str | None = None
    sender_name: str | None = None
    headline: str | None = None
    description: str | None = None
    instruction: str | None = None
    web: str | None = None
    contact: str | None = None
    parameters: tuple[ValuePair, ...] = ()
    resources: tuple[Resource, ...] = ()
    areas: tuple[Area, ...] = ()

    @property
    def language_or_default(self) -> str:
        """The language, ``en-US`` when absent (CAP 1.2 §3.2.2 default)."""
        return self.language.strip() if self.language and self.language.strip() else "en-US"


@dataclass(frozen=True)
class Extension:
    """An element that is not part of the CAP 1.2 vocabulary, kept verbatim.

    ``parent`` is the model path of the element holding it (``/alert``,
    ``/alert/info[1]``, ``/alert/info[1]/area[2]``, 1-based), ``xml`` the element
    serialised by lxml (with its namespace declarations, without its tail).
    """

    parent: str
    namespace: str
    local_name: str
    xml: str


@dataclass(frozen=True)
class Alert:
    """``<alert>`` (CAP 1.2 §3.2.1), with its ``info`` blocks and any extension elements.

    ``references`` holds the parsed triples; ``references_text`` the raw element text
    (``None`` when absent) so that malformed or empty references survive a round trip.
    ``namespace`` is the namespace the message was read in; ``prefix`` its prefix
    (``None`` for a default namespace).
    """

    identifier: str
    sender: str
    sent: str
    status: str
    msg_type: str
    scope: str
    source: str | None = None
    restriction: str | None = None
    addresses: str | None = None
    codes: tuple[str, ...] = ()
    note: str | None = None
    references_text: str | None = None
    incidents: str | None = None
    infos: tuple[Info, ...] = ()
    extensions: tuple[Extension, ...] = ()
    namespace: str = CAP12_NS
    prefix: str | None = field(default=None, compare=False)

    @property
    def references(self) -> tuple[Reference, ...]:
        """The well-formed ``sender,identifier,sent`` triples of ``references`` (others skipped)."""
        return parse_references(self.references_text)[0]

    @property
    def key(self) -> tuple[str, str]:
        """(sender, identifier): identifies the message for lineage (CAP 1.2 §3.2.1)."""
        return (self.sender.strip(), self.identifier.strip())

    @property
    def sent_at(self) -> datetime | None:
        """``sent`` as an aware datetime (``None`` if it is not a CAP date-time)."""
        return parse_cap_datetime(self.sent)

    @property
    def signatures(self) -> tuple[Extension, ...]:
        """The XML-DSig ``Signature`` elements carried at alert level."""
        return tuple(
            e
            for e in self.extensions
            if e.parent == "/alert" and e.namespace == DSIG_NS and e.local_name == "Signature"
        )


def parse_references(text: str | None) -> tuple[tuple[Reference, ...], tuple[str, ...]]:
    """Split ``<references>`` text into triples (CAP 1.2 §3.2.1, "references").

    The element holds whitespace-separated ``sender,identifier,sent`` groups.

    Args:
        text: the raw element text, or ``None``.

    Returns:
        ``(triples, bad_tokens)``: the well-formed triples (``sent`` need not be a
        valid date-time here; the rules check it) and the tokens that are not three
        non-empty comma-separated parts.
    """
    if not text:
        return (), ()
    good: list[Reference] = []
    bad: list[str] = []
    for token in text.split():
        parts = token.split(",")
        if len(parts) == 3 and all(parts):
            good.append(Reference(parts[0], parts[1], parts[2]))
        else:
            bad.append(token)
    return tuple(good), tuple(bad)


@dataclass(frozen=True)
class Defect:
    """One finding: ``rule`` id, element ``path`` (``/alert/info[2]/expires``), ``message``.

    ``severity`` is ``"error"`` (makes the message invalid) or ``"warning"``.
    """

    rule: str
    path: str
    message: str
    severity: str = "error"

    def as_dict(self) -> dict[str, str]:
        """``{"rule", "path", "message"}`` as printed by ``yingji cap validate --json``."""
        return {"rule": self.rule, "path": self.path, "message": self.message}
