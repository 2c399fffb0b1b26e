from django.urls import path

from yingji.apps.warnings import views

app_name = "warnings"
urlpatterns = [
    path("", views.WarningListView.as_view(), name="list"),
    path("new/", views.WarningCreateView.as_view(), name="create"),
    path("<int:pk>/", views.WarningDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.WarningEditView.as_view(), name="edit"),
    path("<int:pk>/submit/", views.SubmitView.as_view(), name="submit"),
    path("<int:pk>/approve/", views.ApproveView.as_view(), name="approve"),
    path("<int:pk>/reject/", views.RejectView.as_view(), name="reject"),
    path("<int:pk>/release/", views.ReleaseView.as_view(), name="release"),
    path("<int:pk>/update/", views.StartUpdateView.as_view(), name="update"),
    path("<int:pk>/cancel/", views.StartCancelView.as_view(), name="cancel"),
    path("<int:pk>/deliveries/", views.DeliveriesPartialView.as_view(), name="deliveries"),
    path("upstream/", views.UpstreamListView.as_view(), name="upstream-list"),
    path("upstream/upload/", views.UpstreamUploadView.as_view(), name="upstream-upload"),
    path("upstream/<int:pk>/", views.UpstreamDetailView.as_view(), name="upstream-detail"),
    path("upstream/<int:pk>/derive/", views.DeriveView.as_view(), name="upstream-derive"),
    path("rules/", views.RulesView.as_view(), name="rules"),
    path("stats/", views.StatsView.as_view(), name="stats"),
    path("public/", views.PublicWarningListView.as_view(), name="public"),
    path("cap/<str:identifier>.xml", views.CapDocumentView.as_view(), name="cap"),
    path("feed.atom", views.AtomFeedView.as_view(), name="feed"),
    path("push/<int:source_id>/", views.PushView.as_view(), name="push"),
]
