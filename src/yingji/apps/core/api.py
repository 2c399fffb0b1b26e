"""API base: fail-closed declared permissions, restricted querysets, error handler.

Every viewset declares ``required_permissions``: a mapping from action name
(``list``, ``retrieve``, ``create``, custom ``@action`` names...) to a permission
string, or the ``PUBLIC`` marker. ``DeclaredPermission`` refuses any action that
is not declared (and ``tests/test_permissions_declared.py`` walks the URL map
to make sure none is missing).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from yingji.apps.core.permissions import AUTHENTICATED, PUBLIC, DeclaredPermission, declared_permission

__all__ = ["AUTHENTICATED", "PUBLIC", "DeclaredPermission", "declared_permission"]

logger = logging.getLogger(__name__)


class RestrictedViewSetMixin:
    """Viewset mixin: the queryset always goes through ``restrict(user, verb)``."""

    queryset: Any

    _ACTION_VERB = {
        "list": "view",
        "retrieve": "view",
        "create": "add",
        "update": "change",
        "partial_update": "change",
        "destroy": "delete",
    }

    def get_queryset(self) -> Any:
        verb = self._ACTION_VERB.get(getattr(self, "action", None) or "", "view")
        return self.queryset.all().restrict(getattr(self, "request").user, verb)  # noqa: B009


class RestrictedReadOnlyViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Read-only viewset over a restricted queryset."""


class RestrictedWriteViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List/retrieve/create/update (no delete) over a restricted queryset; subclasses write via services."""


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF exception handler: Django validation and integrity errors become 400, never 500."""
    if isinstance(exc, RecursionError):  # e.g. a JSON body nested thousands of levels deep
        return Response(
            {"non_field_errors": ["The request body is nested too deeply to be read."]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DjangoValidationError):
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, IntegrityError):
        return Response(
            {
                "non_field_errors": [
                    "The change conflicts with existing data (duplicate or missing reference)."
                ]
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)
