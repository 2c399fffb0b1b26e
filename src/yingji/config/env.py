"""Typed environment helpers (12-factor settings).

Every setting the code reads is listed in ``.env.example``. A malformed value
raises ``ImproperlyConfigured`` naming the variable, so a bad deployment fails at
start-up rather than at the first request. ``NAME_FILE`` variants let secrets
come from files (Docker/Kubernetes secrets).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    """Return the string value of ``name`` or ``default``."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """Return ``name`` as a boolean (1/true/yes/on, 0/false/no/off).

    Raises:
        ImproperlyConfigured: any other value.
    """
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected one of 1/0, true/false, yes/no, on/off")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """Return ``name`` as an integer (optionally ``>= minimum``).

    Raises:
        ImproperlyConfigured: not an integer, or below ``minimum``.
    """
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected an integer") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value}: must be >= {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    """Return ``name`` split on commas, blanks dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, default_file: Path) -> str:
    """Return a secret from ``name``, from the file named by ``NAME_FILE``, or from ``default_file``.

    When none is set, a new random secret is generated once and kept in
    ``default_file`` (mode 0600) so sessions survive restarts.

    Raises:
        ImproperlyConfigured: ``NAME_FILE`` names a missing or empty file.
    """
    if os.environ.get(name):
        return os.environ[name]
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        path = Path(file_name)
        if not path.is_file() or not path.read_text(encoding="utf-8").strip():
            raise ImproperlyConfigured(f"{name}_FILE={file_name}: missing or empty file")
        return path.read_text(encoding="utf-8").strip()
    if default_file.is_file() and default_file.read_text(encoding="utf-8").strip():
        return default_file.read_text(encoding="utf-8").strip()
    default_file.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(50)
    fd = os.open(default_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(value)
    return value
