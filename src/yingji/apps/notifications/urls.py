from django.urls import path

from yingji.apps.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("bell/", views.BellView.as_view(), name="bell"),
    path("read-all/", views.MarkAllReadView.as_view(), name="read-all"),
    path("<int:pk>/read/", views.MarkReadView.as_view(), name="read"),
    path("stream/", views.DeskEventStreamView.as_view(), name="stream"),
]
