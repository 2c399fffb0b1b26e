"""The typed result every normaliser returns (valid/value/warnings/error)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Result(Generic[T]):
    """Outcome of normalising one user-entered value.

    Attributes:
        valid: True when ``value`` holds the normalised form.
        value: the normalised value (``None`` when invalid).
        warnings: human-readable notes (Chinese clerk-facing text is allowed) about
            changes made or assumptions taken, in order.
        error: why the value was rejected (``None`` when valid).
        overridable: True when an authorised user may accept the value anyway with a
            reason (only check-character failures of credit codes, GB 32100-2015).
    """

    valid: bool
    value: T | None
    warnings: tuple[str, ...] = ()
    error: str | None = None
    overridable: bool = False

    def to_json(self) -> dict[str, Any]:
        """Return ``{"valid", "value", "warnings", "error"}`` (the CLI contract)."""
        return {
            "valid": self.valid,
            "value": self.value,
            "warnings": list(self.warnings),
            "error": self.error,
        }

    def with_warnings(self, *extra: str) -> Result[T]:
        """Return a copy with ``extra`` warnings prepended (used when composing normalisers)."""
        if not extra:
            return self
        return Result(self.valid, self.value, (*extra, *self.warnings), self.error, self.overridable)


def ok(value: T, warnings: tuple[str, ...] | list[str] = ()) -> Result[T]:
    """Build a valid result."""
    return Result(True, value, tuple(warnings), None)


def fail(error: str, warnings: tuple[str, ...] | list[str] = (), *, overridable: bool = False) -> Result[Any]:
    """Build an invalid result (``value`` is ``None``)."""
    return Result(False, None, tuple(warnings), error, overridable)
