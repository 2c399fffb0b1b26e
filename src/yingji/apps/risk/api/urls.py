from rest_framework.routers import DefaultRouter

from yingji.apps.risk.api.views import ChemicalInventoryViewSet

router = DefaultRouter()
router.register("chemical-inventories", ChemicalInventoryViewSet, basename="chemical-inventory")
urlpatterns = router.urls
