from rest_framework.routers import DefaultRouter

from yingji.apps.resources.api.stock_views import (
    DispatchOrderViewSet,
    QuotaViewSet,
    ReachViewSet,
    StockLotViewSet,
    StockMovementViewSet,
    SupplyClassViewSet,
    SupplyItemViewSet,
)
from yingji.apps.resources.api.views import (
    DepotViewSet,
    EquipmentViewSet,
    ExpertViewSet,
    RescueTeamViewSet,
    ShelterViewSet,
    TeamMemberViewSet,
)

router = DefaultRouter()
router.register("depots", DepotViewSet, basename="depot")
router.register("rescue-teams", RescueTeamViewSet, basename="rescue-team")
router.register("team-members", TeamMemberViewSet, basename="team-member")
router.register("experts", ExpertViewSet, basename="expert")
router.register("shelters", ShelterViewSet, basename="shelter")
router.register("equipment", EquipmentViewSet, basename="equipment")
router.register("supply-classes", SupplyClassViewSet, basename="supply-class")
router.register("supply-items", SupplyItemViewSet, basename="supply-item")
router.register("stock-lots", StockLotViewSet, basename="stock-lot")
router.register("stock-movements", StockMovementViewSet, basename="stock-movement")
router.register("dispatch-orders", DispatchOrderViewSet, basename="dispatch-order")
router.register("reserve-quotas", QuotaViewSet, basename="reserve-quota")
router.register("reach", ReachViewSet, basename="reach")
urlpatterns = router.urls
