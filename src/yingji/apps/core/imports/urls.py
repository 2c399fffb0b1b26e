"""Import pages, mounted at ``/imports/`` (namespace ``imports``)."""

from django.urls import path

from yingji.apps.core.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.ImportIndexView.as_view(), name="index"),
    path("upload/", views.UploadView.as_view(), name="upload"),
    path("templates/<slug:kind>.xlsx", views.TemplateDownloadView.as_view(), name="template"),
    path("<int:pk>/", views.JobDetailView.as_view(), name="job"),
    path("<int:pk>/status/", views.JobStatusView.as_view(), name="job-status"),
    path("<int:pk>/commit/", views.CommitView.as_view(), name="commit"),
    path("<int:pk>/override/", views.OverrideView.as_view(), name="override"),
    path("<int:pk>/original/", views.OriginalFileView.as_view(), name="original"),
]
