"""Test helpers for the prevention app: API clients, enterprises with managers, units."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from yingji.apps.directory.tests.factories import EnterpriseFactory

__all__ = ["EnterpriseFactory", "api", "png_bytes"]


def api(user: Any) -> APIClient:
    """An API client signed in as ``user``."""
    client = APIClient()
    client.force_authenticate(user)
    return client


def png_bytes() -> bytes:
    """A valid 1x1 PNG."""
    return bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
        "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
