"""Mounts every app's API under ``/api/`` plus the OpenAPI schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from yingji.apps.accounts.views import TokenView
from yingji.apps.core.permissions import PUBLIC


class SchemaView(SpectacularAPIView):
    required_permissions = {"get": PUBLIC}


class DocsView(SpectacularSwaggerView):
    required_permissions = {"get": PUBLIC}


urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="schema"), name="docs"),
    path("auth/token/", TokenView.as_view(), name="token"),
    path("", include("yingji.apps.directory.api.urls")),
    path("", include("yingji.apps.resources.api.urls")),
    path("", include("yingji.apps.risk.api.urls")),
    path("", include("yingji.apps.duty.api.urls")),
    path("", include("yingji.apps.incidents.api.urls")),
    path("", include("yingji.apps.notifications.api.urls")),
    path("", include("yingji.apps.warnings.api.urls")),
    path("", include("yingji.apps.monitoring.api.urls")),
    path("", include("yingji.apps.core.imports.api.urls")),
]
