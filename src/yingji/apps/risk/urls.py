from django.urls import path

from yingji.apps.risk import views

app_name = "risk"
urlpatterns = [path("enterprises/", views.EnterpriseInventoryListView.as_view(), name="enterprise-list")]
