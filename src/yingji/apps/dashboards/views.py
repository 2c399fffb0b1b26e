"""Overview page, the map page (一张图) and its layer data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views import View
from django.views.generic import TemplateView

from yingji.apps.core.views import DeclaredPermissionMixin
from yingji.apps.dashboards import selectors


class HomeView(DeclaredPermissionMixin, TemplateView):
    required_permission = "directory.view_administrativedivision"
    template_name = "dashboards/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["overview"] = selectors.overview_for(self.request.user)
        return ctx


class MapView(DeclaredPermissionMixin, TemplateView):
    """Leaflet map; works offline (no tile server unless ``YINGJI_MAP_TILE_URL`` is set)."""

    required_permission = "directory.view_administrativedivision"
    template_name = "dashboards/map.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["tile_url"] = settings.YINGJI_MAP_TILE_URL
        ctx["tile_attribution"] = settings.YINGJI_MAP_TILE_ATTRIBUTION
        return ctx


class MapLayersView(DeclaredPermissionMixin, View):
    """``GET /map/layers.json`` → ``{"layers": [FeatureCollection + key/title/kind, ...]}``."""

    required_permission = "directory.view_administrativedivision"

    def get(self, request: HttpRequest) -> JsonResponse:
        return JsonResponse(
            {"layers": selectors.map_layers_for(request.user)}, json_dumps_params={"ensure_ascii": False}
        )
