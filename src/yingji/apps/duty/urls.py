from django.urls import path

from yingji.apps.duty import views

app_name = "duty"
urlpatterns = [
    path("", views.DeskView.as_view(), name="desk"),
    path("log/", views.LogView.as_view(), name="log"),
    path("log/new/", views.LogCreateView.as_view(), name="log-create"),
    path("rosters/", views.RosterListView.as_view(), name="roster-list"),
    path("rosters/<int:pk>/", views.RosterDetailView.as_view(), name="roster-detail"),
    path("rosters/<int:pk>/generate/", views.RosterGenerateView.as_view(), name="roster-generate"),
    path("shifts/<int:pk>/edit/", views.ShiftEditView.as_view(), name="shift-edit"),
    path("shifts/<int:pk>/swap/", views.SwapRequestView.as_view(), name="swap-request"),
    path("swaps/", views.SwapListView.as_view(), name="swap-list"),
    path("swaps/<int:pk>/decide/", views.SwapDecisionView.as_view(), name="swap-decide"),
    path("handovers/", views.HandoverListView.as_view(), name="handover-list"),
    path("handovers/new/", views.HandoverCreateView.as_view(), name="handover-create"),
    path("handovers/<int:pk>/", views.HandoverDetailView.as_view(), name="handover-detail"),
    path("handovers/<int:pk>/ack/", views.HandoverAckView.as_view(), name="handover-ack"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("ical/<str:token>/me.ics", views.PersonFeedView.as_view(), name="ical-person"),
    path("ical/<str:token>/rosters/<int:pk>.ics", views.RosterFeedView.as_view(), name="ical-roster"),
]
