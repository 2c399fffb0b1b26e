"""Test helpers for the prevention app: API clients, enterprises with managers, units."""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

from PIL import Image
from rest_framework.test import APIClient

from yingji.apps.directory.tests.factories import EnterpriseFactory

__all__ = ["EnterpriseFactory", "api", "image_bytes", "png_bytes", "png_header"]


def api(user: Any) -> APIClient:
    """An API client signed in as ``user``."""
    client = APIClient()
    client.force_authenticate(user)
    return client


def png_bytes(size: tuple[int, int] = (2, 2)) -> bytes:
    """A valid PNG (drawn by Pillow, so its checksums hold)."""
    return image_bytes("PNG", size)


def image_bytes(fmt: str, size: tuple[int, int] = (2, 2)) -> bytes:
    """A valid image in Pillow format ``fmt`` (``PNG``, ``JPEG``, ``GIF``, ``WEBP``)."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG that only declares its canvas (IHDR) and ends: what a decompression bomb shows first."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")
    )
