"""Per-request context (request id, acting user) kept in context variables.

The audit trail reads these so that a change recorded deep inside a service
carries the id of the request that caused it.
"""

from __future__ import annotations

import contextvars
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("yingji_request_id", default="")


def new_request_id() -> str:
    """Return a fresh request id (32 hex characters)."""
    return uuid.uuid4().hex


def set_request_id(value: str) -> contextvars.Token[str]:
    """Set the current request id; returns the token to reset it."""
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token[str]) -> None:
    """Restore the request id that was current before ``set_request_id``."""
    _request_id.reset(token)


def current_request_id() -> str:
    """The current request id, or ``""`` outside a request (CLI, tasks)."""
    return _request_id.get()
