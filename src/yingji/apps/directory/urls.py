from django.urls import path

from yingji.apps.directory import views

app_name = "directory"
urlpatterns = [
    path("divisions/", views.DivisionListView.as_view(), name="division-list"),
    path("divisions/<str:code>/", views.DivisionDetailView.as_view(), name="division-detail"),
    path("organizations/", views.OrganizationListView.as_view(), name="organization-list"),
    path("organizations/<int:pk>/", views.OrganizationDetailView.as_view(), name="organization-detail"),
]
