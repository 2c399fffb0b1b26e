"""Entry points for the import preview used by the web UI and ``yingji import preview``.

The lead registers ``yingji import preview KIND FILE --json`` and calls
:func:`preview_cli`; this module registers no command itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from yingji.engines.normalize.schema import (
    KINDS,
    Duplicate,
    ImportedRow,
    Preview,
    PreviewWarning,
    Rejection,
    preview,
)

__all__ = [
    "KINDS",
    "Duplicate",
    "ImportedRow",
    "Preview",
    "PreviewWarning",
    "Rejection",
    "preview",
    "preview_cli",
]


def preview_cli(kind: str, path: str | Path, *, context_year: int | None = None) -> dict[str, Any]:
    """Preview an import file and return the JSON-ready dict of :meth:`Preview.to_dict`.

    Args:
        kind: one of :data:`KINDS` (``rescue-team-members``, ``depot-stock``, ``shelters``,
            ``depots``, ``rescue-teams``, ``experts``, ``equipment``, ``supply-items``...).
        path: the file to read.
        context_year: year for dates without one.

    Raises:
        ValueError: unknown ``kind`` (message lists the known kinds; the caller
            prints it as a usage error, exit 2).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; known kinds: {', '.join(sorted(KINDS))}")
    return preview(kind, Path(path), context_year=context_year).to_dict()
