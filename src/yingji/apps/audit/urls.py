from django.urls import path

from yingji.apps.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.ChangeRecordListView.as_view(), name="change-list"),
    path("<int:pk>/", views.ChangeRecordDetailView.as_view(), name="change-detail"),
]
