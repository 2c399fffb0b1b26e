from django.urls import path

from yingji.apps.monitoring import views

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
    path("gateways/", views.GatewayListView.as_view(), name="gateway-list"),
    path("gateways/new/", views.GatewayCreateView.as_view(), name="gateway-create"),
]
