from django.urls import path

from yingji.apps.resources import views

app_name = "resources"
urlpatterns = [path("", views.ResourceIndexView.as_view(), name="index")]
