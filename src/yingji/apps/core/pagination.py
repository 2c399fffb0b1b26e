"""The API's default pagination (``REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"]``).

A module of its own: DRF resolves the setting while ``rest_framework.generics`` is imported,
so it must not import the viewsets of :mod:`yingji.apps.core.api`.
"""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """``?limit=&offset=`` paging (default 100 a page) with bounds: ``limit`` at most
    ``max_limit`` (1000; ``?limit=1000000000`` must not load a whole table), ``offset`` at most
    2**62 (a larger one overflows the database's 64-bit integer and used to read as a
    "conflicting data" error). Non-numeric or negative values fall back to the defaults."""

    max_limit = 1000
    max_offset = 2**62

    def get_offset(self, request: Any) -> int:
        """The requested offset, capped at ``max_offset`` (past the end: an empty page)."""
        return min(super().get_offset(request), self.max_offset)
