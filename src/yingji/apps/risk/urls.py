from django.urls import path

from yingji.apps.risk import views

app_name = "risk"
urlpatterns = [
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprise-list"),
    path("enterprises/<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise-detail"),
    path("enterprises/<int:pk>/profile/", views.ProfileEditView.as_view(), name="profile-edit"),
    path("enterprises/<int:pk>/units/new/", views.UnitCreateView.as_view(), name="unit-create"),
    path(
        "enterprises/<int:pk>/inventories/new/", views.InventoryCreateView.as_view(), name="inventory-create"
    ),
    path(
        "enterprises/<int:pk>/risk-points/new/", views.RiskPointCreateView.as_view(), name="riskpoint-create"
    ),
    path("enterprises/<int:pk>/hazards/new/", views.HazardReportView.as_view(), name="hazard-report"),
    path(
        "enterprises/<int:pk>/ledger/<slug:kind>/new/",
        views.LedgerRecordCreateView.as_view(),
        name="ledger-create",
    ),
    path("units/<int:pk>/", views.UnitDetailView.as_view(), name="unit-detail"),
    path("units/<int:pk>/edit/", views.UnitEditView.as_view(), name="unit-edit"),
    path("hazards/", views.HazardListView.as_view(), name="hazard-list"),
    path("hazards/<int:pk>/", views.HazardDetailView.as_view(), name="hazard-detail"),
    path("hazards/<int:pk>/<slug:step>/", views.HazardStepView.as_view(), name="hazard-step"),
    path("hazards/photos/<int:pk>/", views.HazardPhotoView.as_view(), name="hazard-photo"),
    path("map/", views.RiskMapView.as_view(), name="risk-map"),
    path("map/points.json", views.RiskMapPointsView.as_view(), name="risk-map-points"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("export.xlsx", views.ExportView.as_view(), name="export"),
]
