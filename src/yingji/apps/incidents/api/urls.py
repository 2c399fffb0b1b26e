from rest_framework.routers import DefaultRouter

from yingji.apps.incidents.api.views import (
    IncidentReportViewSet,
    IncidentTypeViewSet,
    IncidentViewSet,
    ReportDeadlineViewSet,
)

router = DefaultRouter()
router.register("incident-types", IncidentTypeViewSet, basename="incident-type")
router.register("incidents", IncidentViewSet, basename="incident")
router.register("incident-reports", IncidentReportViewSet, basename="incident-report")
router.register("report-deadlines", ReportDeadlineViewSet, basename="report-deadline")
urlpatterns = router.urls
