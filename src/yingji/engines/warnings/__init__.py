"""CAP 1.2 / GB/T 35965.1-2018 warning messages: parse, validate, write, lineage, assessment.

Public entry points (pure; no Django):

* ``parse.parse_alert`` / ``parse.parse_file`` -> ``model.Alert``
* ``validate.validate_bytes`` / ``validate.validate_file`` -> ``validate.ValidationReport``
* ``write.write_alert`` -> bytes (CAP 1.2, XSD-valid)
* ``lineage.AlertStore`` / ``lineage.resolve_lineage``
* ``feeds.parse_feed``; ``colour.detect_level``; ``assess.assess`` with ``county.CountyReference``
"""

from __future__ import annotations

from .assess import Assessment, assess
from .errors import CapError, CapNotWellFormedError, CapSecurityError, CapSizeError, NotCapError
from .lineage import AlertStore, resolve_lineage
from .model import Alert, Area, Defect, Info, Reference, Resource, ValuePair
from .parse import parse_alert, parse_file
from .validate import ValidationReport, validate_bytes, validate_file
from .write import write_alert

__all__ = [
    "Alert",
    "AlertStore",
    "Area",
    "Assessment",
    "CapError",
    "CapNotWellFormedError",
    "CapSecurityError",
    "CapSizeError",
    "Defect",
    "Info",
    "NotCapError",
    "Reference",
    "Resource",
    "ValidationReport",
    "ValuePair",
    "assess",
    "parse_alert",
    "parse_file",
    "resolve_lineage",
    "validate_bytes",
    "validate_file",
    "write_alert",
]
