"""The CAP 1.2 element structure (order, cardinality, enumerations), from the OASIS XSD.

Source: OASIS CAP v1.2 schema (data/cap/schema/CAP-v1.2.xsd) and the data
dictionary of CAP 1.2 §3.2. The tests check these tables against the shipped XSD.
Used by the lenient reader (to report every misordered, missing or repeated element,
not only the first one libxml2 stops at) and by the writer (to emit schema order).
"""

from __future__ import annotations

from typing import Final

# (element local name, min occurs, max occurs or None for unbounded), in schema order.
Seq = tuple[tuple[str, int, int | None], ...]

ALERT_SEQ: Final[Seq] = (
    ("identifier", 1, 1),
    ("sender", 1, 1),
    ("sent", 1, 1),
    ("status", 1, 1),
    ("msgType", 1, 1),
    ("source", 0, 1),
    ("scope", 1, 1),
    ("restriction", 0, 1),
    ("addresses", 0, 1),
    ("code", 0, None),
    ("note", 0, 1),
    ("references", 0, 1),
    ("incidents", 0, 1),
    ("info", 0, None),
)
INFO_SEQ: Final[Seq] = (
    ("language", 0, 1),
    ("category", 1, None),
    ("event", 1, 1),
    ("responseType", 0, None),
    ("urgency", 1, 1),
    ("severity", 1, 1),
    ("certainty", 1, 1),
    ("audience", 0, 1),
    ("eventCode", 0, None),
    ("effective", 0, 1),
    ("onset", 0, 1),
    ("expires", 0, 1),
    ("senderName", 0, 1),
    ("headline", 0, 1),
    ("description", 0, 1),
    ("instruction", 0, 1),
    ("web", 0, 1),
    ("contact", 0, 1),
    ("parameter", 0, None),
    ("resource", 0, None),
    ("area", 0, None),
)
RESOURCE_SEQ: Final[Seq] = (
    ("resourceDesc", 1, 1),
    ("mimeType", 1, 1),
    ("size", 0, 1),
    ("uri", 0, 1),
    ("derefUri", 0, 1),
    ("digest", 0, 1),
)
AREA_SEQ: Final[Seq] = (
    ("areaDesc", 1, 1),
    ("polygon", 0, None),
    ("circle", 0, None),
    ("geocode", 0, None),
    ("altitude", 0, 1),
    ("ceiling", 0, 1),
)
PAIR_SEQ: Final[Seq] = (("valueName", 1, 1), ("value", 1, 1))

ENUMS: Final[dict[str, tuple[str, ...]]] = {
    "status": ("Actual", "Exercise", "System", "Test", "Draft"),
    "msgType": ("Alert", "Update", "Cancel", "Ack", "Error"),
    "scope": ("Public", "Restricted", "Private"),
    "category": (
        "Geo",
        "Met",
        "Safety",
        "Security",
        "Rescue",
        "Fire",
        "Health",
        "Env",
        "Transport",
        "Infra",
        "CBRNE",
        "Other",
    ),
    "responseType": (
        "Shelter",
        "Evacuate",
        "Prepare",
        "Execute",
        "Avoid",
        "Monitor",
        "Assess",
        "AllClear",
        "None",
    ),
    "urgency": ("Immediate", "Expected", "Future", "Past", "Unknown"),
    "severity": ("Extreme", "Severe", "Moderate", "Minor", "Unknown"),
    "certainty": ("Observed", "Likely", "Possible", "Unlikely", "Unknown"),
}
"""Closed value lists of CAP 1.2 (§3.2.1, §3.2.2)."""

DATETIME_ELEMENTS: Final[frozenset[str]] = frozenset({"sent", "effective", "onset", "expires"})
DECIMAL_ELEMENTS: Final[frozenset[str]] = frozenset({"altitude", "ceiling"})
INTEGER_ELEMENTS: Final[frozenset[str]] = frozenset({"size"})
