from rest_framework.routers import DefaultRouter

from yingji.apps.directory.api.views import DivisionViewSet, HazardFeatureViewSet, OrganizationViewSet

router = DefaultRouter(trailing_slash=True)
router.register("divisions", DivisionViewSet, basename="division")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("hazard-features", HazardFeatureViewSet, basename="hazard-feature")
urlpatterns = router.urls
