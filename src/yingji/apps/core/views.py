"""View base classes: every page declares the permission it needs (fail closed)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from yingji.apps.core.permissions import AUTHENTICATED, PUBLIC


class DeclaredPermissionMixin:
    """Class-based view mixin: ``required_permission`` must be set (or ``PUBLIC``).

    Anonymous users are sent to the login page; authenticated users without the
    permission get 403.
    """

    required_permission: str | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        perm = self.required_permission
        if perm is None:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no required_permission")
        if perm != PUBLIC:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if perm != AUTHENTICATED and not request.user.has_perm(perm):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
