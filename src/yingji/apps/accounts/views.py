"""Login (throttled), logout, the current user's page and API token."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from yingji.apps.accounts import services
from yingji.apps.core.permissions import AUTHENTICATED, PUBLIC
from yingji.apps.core.views import DeclaredPermissionMixin


def _client(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


class LoginView(DeclaredPermissionMixin, auth_views.LoginView):
    """Login page; after ``LOGIN_FAILURE_LIMIT`` failures for a username from one address, 429."""

    required_permission = PUBLIC
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")
        if services.login_blocked(username, _client(request)):
            form = self.get_form()
            form.errors.clear()
            response = self.render_to_response(
                self.get_context_data(form=form, throttled=_("登录失败次数过多，请稍后再试。"))
            )
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        services.note_login_failure(self.request.POST.get("username", ""), _client(self.request))
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        services.clear_login_failures(form.get_user().get_username(), _client(self.request))
        return super().form_valid(form)


class LogoutView(DeclaredPermissionMixin, auth_views.LogoutView):  # type: ignore[misc]
    required_permission = PUBLIC


class ProfileView(DeclaredPermissionMixin, TemplateView):
    """The signed-in user's roles, scopes and API token."""

    required_permission = AUTHENTICATED
    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user: Any = self.request.user
        ctx["grants"] = user.grants.select_related("division", "organization")
        token = Token.objects.filter(user=user).first()
        ctx["token"] = token.key if token else None
        return ctx


class TokenView(ObtainAuthToken):
    """POST username + password → ``{"token": ...}`` for API clients (throttled like the login page)."""

    required_permissions = {"post": PUBLIC}

    def post(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(request.data, Mapping):
            return Response(
                {"non_field_errors": ["expected an object with username and password"]}, status=400
            )
        username = str(request.data.get("username", ""))
        client = _client(request)
        if services.login_blocked(username, client):
            return Response({"detail": "too many failed attempts; try later"}, status=429)
        serializer = self.serializer_class(data=request.data, context={"request": request})
        if not serializer.is_valid():
            services.note_login_failure(username, client)
            return Response(serializer.errors, status=400)
        user = serializer.validated_data["user"]
        services.clear_login_failures(username, client)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
