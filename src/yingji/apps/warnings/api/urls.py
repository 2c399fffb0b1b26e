from rest_framework.routers import DefaultRouter

from yingji.apps.warnings.api.views import (
    FeedSourceViewSet,
    PublicWarningViewSet,
    RecipientViewSet,
    TriggerRuleViewSet,
    UpstreamAlertViewSet,
    WarningTemplateViewSet,
    WarningViewSet,
)

router = DefaultRouter(trailing_slash=True)
router.register("warnings/upstream-alerts", UpstreamAlertViewSet, basename="warning-upstream")
router.register("warnings/feed-sources", FeedSourceViewSet, basename="warning-feed-source")
router.register("warnings/trigger-rules", TriggerRuleViewSet, basename="warning-trigger-rule")
router.register("warnings/templates", WarningTemplateViewSet, basename="warning-template")
router.register("warnings/recipients", RecipientViewSet, basename="warning-recipient")
router.register("warnings/public", PublicWarningViewSet, basename="public-warning")
router.register("warnings", WarningViewSet, basename="warning")
urlpatterns = router.urls
