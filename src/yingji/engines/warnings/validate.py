"""Layered validation of CAP 1.2 messages, listing every defect (never stopping at the first).

Layers: size and well-formedness (hardened parser, no DOCTYPE) → CAP namespace →
structure read by name (order, presence, repetition, enumerations, date-times) and
the OASIS XSD → CAP rules (``rules``) → enveloped XML signature (``signature``).
A message is ``valid`` when it is well-formed, schema-valid, breaks no rule and
its signature (if any) verifies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CapError, CapNotWellFormedError, CapSecurityError, CapSizeError
from .model import Alert, Defect
from .parse import read_alert
from .rules import check_rules
from .schema import xsd_errors
from .signature import verify_signatures
from .xmlsafe import DEFAULT_MAX_BYTES, parse_xml, read_limited

_CONTENT_RULES = ("xsd.unexpected-element", "xsd.missing-element", "xsd.element-content")


@dataclass(frozen=True)
class ValidationReport:
    """Verdict on one message. ``signature`` is ``absent``, ``valid`` or ``invalid``."""

    file: str
    well_formed: bool
    schema_valid: bool
    signature: str
    valid: bool
    errors: tuple[Defect, ...] = ()
    warnings: tuple[Defect, ...] = ()
    alert: Alert | None = field(default=None, compare=False, repr=False)

    @property
    def rules(self) -> set[str]:
        """The set of error rule ids (convenient in tests)."""
        return {d.rule for d in self.errors}

    def as_dict(self) -> dict[str, Any]:
        """The JSON object printed by ``yingji cap validate --json``."""
        return {
            "file": self.file,
            "well_formed": self.well_formed,
            "schema_valid": self.schema_valid,
            "signature": self.signature,
            "valid": self.valid,
            "errors": [d.as_dict() for d in self.errors],
            "warnings": [d.as_dict() for d in self.warnings],
        }


def _parent(path: str) -> str:
    return path.rsplit("/", 1)[0] or "/"


def _merge(structural: list[Defect], schema: list[Defect]) -> list[Defect]:
    """Drop libxml2 errors that the complete structural listing already covers."""
    paths = {d.path for d in structural}
    namespace_defect = any(d.rule == "cap.namespace" for d in structural)
    kept: list[Defect] = []
    for d in schema:
        if d.rule == "xsd.root" and namespace_defect:
            continue
        if d.rule in _CONTENT_RULES:
            parent = _parent(d.path) if d.rule == "xsd.unexpected-element" else d.path
            if any(p == parent or p.startswith(parent + "/") for p in paths):
                continue
        elif d.path in paths:
            continue
        kept.append(d)
    return structural + kept


def validate_bytes(
    data: bytes,
    *,
    name: str = "<bytes>",
    max_bytes: int = DEFAULT_MAX_BYTES,
    ca_pem_file: str | None = None,
) -> ValidationReport:
    """Validate one CAP message given as bytes.

    Args:
        data: the raw document (encoding from BOM / XML declaration).
        name: label copied into ``ValidationReport.file``.
        max_bytes: size limit (bytes); larger input is reported, not parsed.
        ca_pem_file: optional trusted CA bundle for the signature check.

    Returns:
        ``ValidationReport`` with every error and warning. Never raises for bad input.
    """
    try:
        root = parse_xml(data, max_bytes=max_bytes)
    except (CapSizeError, CapSecurityError, CapNotWellFormedError) as exc:
        return ValidationReport(name, False, False, "absent", False, (Defect(exc.rule, "/", str(exc)),))
    try:
        result = read_alert(root, lenient=True)
    except CapError as exc:
        return ValidationReport(name, True, False, "absent", False, (Defect(exc.rule, "/", str(exc)),))
    schema = xsd_errors(root) if result.version == "1.2" else []
    schema_valid = result.version == "1.2" and not schema
    defects = _merge(list(result.defects), schema) + check_rules(result.alert)
    sig = verify_signatures(root, ca_pem_file=ca_pem_file)
    defects += sig.defects
    errors = tuple(d for d in defects if d.severity == "error")
    warns = tuple(d for d in defects if d.severity != "error")
    valid = schema_valid and not errors and sig.status != "invalid"
    return ValidationReport(name, True, schema_valid, sig.status, valid, errors, warns, result.alert)


def validate_file(
    path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, ca_pem_file: str | None = None
) -> ValidationReport:
    """Validate one CAP file (see ``validate_bytes``).

    Raises:
        OSError: the file cannot be read (missing, a directory...).
    """
    try:
        data = read_limited(path, max_bytes)
    except CapSizeError as exc:
        return ValidationReport(str(path), False, False, "absent", False, (Defect(exc.rule, "/", str(exc)),))
    return validate_bytes(data, name=str(path), max_bytes=max_bytes, ca_pem_file=ca_pem_file)
