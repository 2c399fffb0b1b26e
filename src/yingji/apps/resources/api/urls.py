from rest_framework.routers import DefaultRouter

from yingji.apps.resources.api.views import DepotViewSet, ExpertViewSet, RescueTeamViewSet, ShelterViewSet

router = DefaultRouter()
router.register("depots", DepotViewSet, basename="depot")
router.register("rescue-teams", RescueTeamViewSet, basename="rescue-team")
router.register("experts", ExpertViewSet, basename="expert")
router.register("shelters", ShelterViewSet, basename="shelter")
urlpatterns = router.urls
