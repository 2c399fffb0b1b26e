from django.urls import path

from yingji.apps.monitoring import registry_views, views

app_name = "monitoring"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("live/", views.LiveAlarmsView.as_view(), name="live-alarms"),
    path("points/new/", views.PointCreateView.as_view(), name="point-create"),
    path("points/<int:pk>/", views.PointDetailView.as_view(), name="point-detail"),
    path("points/<int:pk>/edit/", views.PointUpdateView.as_view(), name="point-edit"),
    path("points/<int:pk>/series/", views.PointSeriesView.as_view(), name="point-series"),
    path("alarms/", views.AlarmListView.as_view(), name="alarm-list"),
    path("alarms/<int:pk>/", views.AlarmDetailView.as_view(), name="alarm-detail"),
    path("alarms/<int:pk>/notes/", views.AlarmNoteView.as_view(), name="alarm-note"),
    path("alarms/<int:pk>/<str:verb>/", views.AlarmActionView.as_view(), name="alarm-action"),
    path("noise/", views.NoiseReportView.as_view(), name="noise"),
    path("history/", views.HistoryUploadView.as_view(), name="history-upload"),
    path("gateways/", registry_views.GatewayListView.as_view(), name="gateway-list"),
    path("gateways/new/", registry_views.GatewayCreateView.as_view(), name="gateway-create"),
    path("gateways/<int:pk>/edit/", registry_views.GatewayUpdateView.as_view(), name="gateway-edit"),
    path(
        "gateways/<int:pk>/rotate-token/",
        registry_views.GatewayRotateTokenView.as_view(),
        name="gateway-rotate-token",
    ),
    path("devices/", registry_views.DeviceListView.as_view(), name="device-list"),
    path("devices/new/", registry_views.DeviceCreateView.as_view(), name="device-create"),
    path("devices/<int:pk>/edit/", registry_views.DeviceUpdateView.as_view(), name="device-edit"),
    path("maintenance/", registry_views.MaintenanceListView.as_view(), name="maintenance-list"),
    path("maintenance/new/", registry_views.MaintenanceCreateView.as_view(), name="maintenance-create"),
    path(
        "maintenance/<int:pk>/<str:verb>/",
        registry_views.MaintenanceActionView.as_view(),
        name="maintenance-action",
    ),
    path("registry/options/", registry_views.RegistryOptionsView.as_view(), name="registry-options"),
]
