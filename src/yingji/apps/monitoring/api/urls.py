from rest_framework.routers import DefaultRouter

from yingji.apps.monitoring.api import views

router = DefaultRouter()
router.register("monitoring/points", views.PointViewSet, basename="monitoring-point")
router.register("monitoring/gateways", views.GatewayViewSet, basename="monitoring-gateway")
router.register("monitoring/devices", views.DeviceViewSet, basename="monitoring-device")
router.register(
    "monitoring/maintenance-windows", views.MaintenanceWindowViewSet, basename="monitoring-maintenance"
)
router.register("monitoring/alarms", views.AlarmViewSet, basename="monitoring-alarm")
router.register("monitoring/ingest", views.IngestViewSet, basename="monitoring-ingest")
urlpatterns = router.urls
