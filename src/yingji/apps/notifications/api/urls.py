from rest_framework.routers import DefaultRouter

from yingji.apps.notifications.api.views import (
    DeskEventViewSet,
    OutboxMessageViewSet,
    UserNotificationViewSet,
)

router = DefaultRouter()
router.register("notifications", UserNotificationViewSet, basename="notification")
router.register("desk-events", DeskEventViewSet, basename="desk-event")
router.register("outbox", OutboxMessageViewSet, basename="outbox-message")
urlpatterns = router.urls
