from rest_framework.routers import DefaultRouter

from yingji.apps.core.imports.api.views import ImportJobViewSet

router = DefaultRouter(trailing_slash=True)
router.register("imports", ImportJobViewSet, basename="import-job")
urlpatterns = router.urls
