"""Exceptions raised by the CAP engine. Each carries the ``rule`` id used in validation reports."""

from __future__ import annotations


class CapError(ValueError):
    """Base class: the input cannot be read as a CAP 1.2 message. ``rule`` names the check."""

    rule = "cap.error"

    def __init__(self, message: str, *, rule: str | None = None) -> None:
        super().__init__(message)
        if rule is not None:
            self.rule = rule


class CapSizeError(CapError):
    """The document is larger than the configured limit (default 1 MiB)."""

    rule = "xml.size"


class CapSecurityError(CapError):
    """The document carries a DOCTYPE or ENTITY declaration (XXE / entity-expansion attack)."""

    rule = "security.doctype"


class CapNotWellFormedError(CapError):
    """The bytes are not well-formed XML (or not valid in their declared encoding)."""

    rule = "xml.malformed"


class NotCapError(CapError):
    """Well-formed XML, but not a CAP alert (wrong root element or unknown namespace)."""

    rule = "cap.namespace"


class CapSchemaError(CapError):
    """Strict mode only: the message does not validate against the CAP 1.2 XSD."""

    rule = "xsd"
