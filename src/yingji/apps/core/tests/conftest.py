"""Core test set-up: uploaded files go to a temporary MEDIA_ROOT, never var/media."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def grant_core(monkeypatch: Any) -> Any:
    """``grant_core(role, *perms)``: add permissions to a role for one test (the lead wires them for real)."""
    from yingji.apps.accounts.roles import ROLE_PERMISSIONS

    def grant(role: str, *perms: str) -> None:
        monkeypatch.setitem(ROLE_PERMISSIONS, role, [*ROLE_PERMISSIONS.get(role, []), *perms])

    return grant


@pytest.fixture
def without_target() -> Iterator[Any]:
    """``without_target(kind)``: the kind has no registered import target for one test (other
    apps register more kinds over time; these tests need one that has none)."""
    from yingji.apps.core.imports import registry

    saved: dict[str, Any] = {}

    def drop(kind: str) -> str:
        entry = registry.registered_kind(kind)
        if entry is not None:
            saved[kind] = entry
            registry.unregister_import_kind(kind)
        return kind

    yield drop
    for kind, entry in saved.items():
        registry._REGISTRY[kind] = entry
