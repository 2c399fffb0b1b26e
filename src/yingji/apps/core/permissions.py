"""Fail-closed permissions: every view declares what each action needs.

``required_permissions`` on an API view maps action names (``list``,
``retrieve``, ``create``... or the HTTP method for plain views; ``"*"`` for all)
to a permission string, ``PUBLIC`` or ``AUTHENTICATED``. Anything undeclared is
refused.
"""

from __future__ import annotations

import logging
from typing import Any

from rest_framework import permissions
from rest_framework.request import Request

logger = logging.getLogger(__name__)

PUBLIC = "__public__"
# Any signed-in user (their own profile, their own token).
AUTHENTICATED = "__authenticated__"


def declared_permission(view: Any, action: str | None) -> str | None:
    """The permission a view declares for ``action`` (or for its HTTP method), else None."""
    declared: dict[str, str] = getattr(view, "required_permissions", {}) or {}
    if action and action in declared:
        return declared[action]
    return declared.get("*")


class DeclaredPermission(permissions.BasePermission):
    """Allow an action only if the view declares a permission for it and the user holds it."""

    message = "You do not have permission to perform this action."

    def has_permission(self, request: Request, view: Any) -> bool:
        action = getattr(view, "action", None) or (request.method or "").lower()
        perm = declared_permission(view, action)
        if perm is None:
            logger.error("view %s declares no permission for action %s", type(view).__name__, action)
            return False
        if perm == PUBLIC:
            return True
        user = request.user
        if perm == AUTHENTICATED:
            return bool(user and user.is_authenticated)
        return bool(user and user.is_authenticated and user.has_perm(perm))
