from django.urls import path
from rest_framework.routers import DefaultRouter

from yingji.apps.duty.api.views import (
    DutyLogViewSet,
    HandoverViewSet,
    HolidayViewSet,
    OnDutyNowView,
    RosterViewSet,
    ShiftSwapViewSet,
    ShiftViewSet,
)

router = DefaultRouter(trailing_slash=True)
router.register("duty/rosters", RosterViewSet, basename="duty-roster")
router.register("duty/shifts", ShiftViewSet, basename="duty-shift")
router.register("duty/swaps", ShiftSwapViewSet, basename="duty-swap")
router.register("duty/holidays", HolidayViewSet, basename="duty-holiday")
router.register("duty/handovers", HandoverViewSet, basename="duty-handover")
router.register("duty/log", DutyLogViewSet, basename="duty-log")
urlpatterns = [
    path("duty/now/", OnDutyNowView.as_view(), name="duty-now"),
    *router.urls,
]
