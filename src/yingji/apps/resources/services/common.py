"""Shared write helpers of the resources services: audited create/update, quantity checks."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection, models, transaction

from yingji.apps.audit.services import record_change, snapshot
from yingji.apps.core.imports.registry import scope_allows

M = TypeVar("M", bound=models.Model)
P = ParamSpec("P")
R = TypeVar("R")

logger = logging.getLogger(__name__)

LOCK_RETRIES = 8


def _is_lock_conflict(exc: OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "deadlock" in text or "could not serialize" in text


def serialised_write(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a stock-changing use case, retrying it whole when the database reports a lock conflict.

    SQLite may answer "database table is locked" (shared cache) or "database is locked"
    past its busy timeout, PostgreSQL a deadlock between two multi-lot transactions;
    the whole use case is re-run (with a short growing pause) so the loser then sees
    the winner's committed result, e.g. ``InsufficientStock``. Inside an outer
    transaction nothing is retried (the outer caller owns the transaction).
    """

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if connection.in_atomic_block:
            return fn(*args, **kwargs)
        for attempt in range(LOCK_RETRIES):
            try:
                return fn(*args, **kwargs)
            except OperationalError as exc:
                if not _is_lock_conflict(exc) or attempt == LOCK_RETRIES - 1:
                    raise
                logger.info("lock conflict in %s, retry %d: %s", fn.__name__, attempt + 1, exc)
                time.sleep(0.02 * (attempt + 1))
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapper


class InsufficientStock(ValidationError):
    """Issuing/reserving more than the available quantity (400 in the API, form error on pages)."""

    def __init__(self, message: str, field: str = "quantity") -> None:
        super().__init__({field: [message]})


class StateError(ValidationError):
    """A workflow step not allowed in the record's current state."""

    def __init__(self, message: str) -> None:
        super().__init__({"status": [message]})


def county_code() -> str:
    """12-digit code of the deployment county (``YINGJI_COUNTY_CODE``)."""
    return str(settings.YINGJI_COUNTY_CODE)[:6].ljust(12, "0")


def require_county_wide(actor: Any, permission: str, message: str) -> None:
    """Refuse ``actor`` unless they hold ``permission`` for the whole county (a county-level
    division grant, or unrestricted): county-wide reference records such as the supply
    catalogue are not a township's nor an enterprise's to change. ``actor`` None (the
    system: loaders, demo data) passes.

    Raises:
        PermissionDenied: with ``message`` (a 403 over the API).
    """
    if not scope_allows(actor, permission, county_code()):
        raise PermissionDenied(message)


def create_audited(model: type[M], *, actor: Any, fields: dict[str, Any]) -> M:
    """Create ``model(**fields)`` after ``full_clean``, with its audit record, in one transaction.

    Raises:
        ValidationError: field errors (nothing written).
    """
    with transaction.atomic():
        obj = model(**fields)
        obj.full_clean()
        obj.save()
        record_change(obj, "create", None, actor=actor)
    return obj


def update_audited(obj: M, *, actor: Any, fields: dict[str, Any]) -> M:
    """Set ``fields`` on ``obj``, ``full_clean``, save and audit (before/after) in one transaction.

    Raises:
        ValidationError: field errors (nothing written; ``obj`` is refreshed).
    """
    with transaction.atomic():
        before = snapshot(obj)
        for key, value in fields.items():
            setattr(obj, key, value)
        try:
            obj.full_clean()
        except ValidationError:
            obj.refresh_from_db()
            raise
        obj.save()
        record_change(obj, "update", before, actor=actor)
    return obj


def positive_quantity(value: Any, field: str = "quantity") -> Decimal:
    """``value`` as an exact positive ``Decimal`` (at most 4 decimal places).

    Raises:
        ValidationError: not a number, not > 0, or more than 4 decimal places.
    """
    qty = decimal_quantity(value, field)
    if qty <= 0:
        raise ValidationError({field: ["数量须大于0 (quantity must be positive)"]})
    return qty


def decimal_quantity(value: Any, field: str = "quantity") -> Decimal:
    """``value`` as an exact ``Decimal`` (≥ 0 not checked), rejecting floats' binary noise.

    Raises:
        ValidationError: not a finite number or more than 4 decimal places.
    """
    try:
        qty = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: [f"不是有效数字: {value!r}"]}) from None
    if not qty.is_finite():
        raise ValidationError({field: [f"不是有效数字: {value!r}"]})
    exponent = qty.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        raise ValidationError({field: ["数量最多4位小数 (at most 4 decimal places)"]})
    return qty
