from django.urls import path

from yingji.apps.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("map/", views.MapView.as_view(), name="map"),
    path("map/layers.json", views.MapLayersView.as_view(), name="map-layers"),
]
