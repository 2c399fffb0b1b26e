from django.urls import path

from yingji.apps.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.IncidentDeskView.as_view(), name="list"),
    path("new/", views.IncidentCreateView.as_view(), name="create"),
    path("map-layer.json", views.MapLayerView.as_view(), name="map-layer"),
    path("<int:pk>/", views.IncidentDetailView.as_view(), name="detail"),
    path("<int:pk>/deadlines/", views.DeadlinesPartialView.as_view(), name="deadlines"),
    path("<int:pk>/update/", views.IncidentUpdateView.as_view(), name="update"),
    path("<int:pk>/log/", views.LogEntryCreateView.as_view(), name="log-add"),
    path("<int:pk>/reports/new/", views.ReportDraftView.as_view(), name="report-draft"),
    path("reports/<int:pk>/", views.ReportView.as_view(), name="report"),
    path("reports/<int:pk>/send/", views.ReportSendView.as_view(), name="report-send"),
    path(
        "reports/<int:pk>/document.<str:fmt>",
        views.ReportDocumentView.as_view(),
        name="report-document",
    ),
]
