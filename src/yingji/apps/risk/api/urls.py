from django.urls import path
from rest_framework.routers import DefaultRouter

from yingji.apps.risk.api import views

router = DefaultRouter()
router.register("enterprise-profiles", views.EnterpriseProfileViewSet, basename="enterprise-profile")
router.register("safety-managers", views.SafetyManagerViewSet, basename="safety-manager")
router.register("licences", views.LicenceViewSet, basename="licence")
router.register("special-equipment", views.SpecialEquipmentViewSet, basename="special-equipment")
router.register("production-units", views.ProductionUnitViewSet, basename="production-unit")
router.register("chemical-inventories", views.ChemicalInventoryViewSet, basename="chemical-inventory")
router.register("risk-points", views.RiskPointViewSet, basename="risk-point")
router.register("hidden-hazards", views.HiddenHazardViewSet, basename="hidden-hazard")
urlpatterns = [
    path(
        "hidden-hazard-statistics/",
        views.HiddenHazardStatisticsView.as_view(),
        name="hidden-hazard-statistics",
    ),
    path("risk-ledger-export/", views.LedgerExportView.as_view(), name="risk-ledger-export"),
    *router.urls,
]
