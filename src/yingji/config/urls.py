"""URL map: pages per app, ``/api/``, ``/admin/``, language switch."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("yingji.apps.dashboards.urls")),
    path("accounts/", include("yingji.apps.accounts.urls")),
    path("directory/", include("yingji.apps.directory.urls")),
    path("resources/", include("yingji.apps.resources.urls")),
    path("risk/", include("yingji.apps.risk.urls")),
    path("audit/", include("yingji.apps.audit.urls")),
    path("duty/", include("yingji.apps.duty.urls")),
    path("incidents/", include("yingji.apps.incidents.urls")),
    path("notifications/", include("yingji.apps.notifications.urls")),
    path("warnings/", include("yingji.apps.warnings.urls")),
    path("monitoring/", include("yingji.apps.monitoring.urls")),
    path("imports/", include("yingji.apps.core.imports.urls")),
    path("api/", include("yingji.config.api")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "yingji 应急 管理后台"
admin.site.site_title = "yingji"
