from django.urls import path

from yingji.apps.resources import report_pages, stock_pages, views

app_name = "resources"
urlpatterns = [
    path("", views.ResourceIndexView.as_view(), name="index"),
    path("list/<slug:register>/", views.RegisterListView.as_view(), name="register"),
    path("list/<slug:register>/export.xlsx", views.RegisterExportView.as_view(), name="register-export"),
    path("teams/<int:pk>/", views.TeamDetailView.as_view(), name="team-detail"),
    path("shelters/<int:pk>/", views.ShelterDetailView.as_view(), name="shelter-detail"),
    path("shelters/<int:pk>/status/", views.ShelterStatusView.as_view(), name="shelter-status"),
    path("depots/<int:pk>/", stock_pages.DepotDetailView.as_view(), name="depot-detail"),
    path("depots/<int:pk>/receive/", stock_pages.DepotReceiveView.as_view(), name="depot-receive"),
    path("depots/<int:pk>/inventory/", stock_pages.InventoryReportView.as_view(), name="depot-inventory"),
    path("depots/<int:depot>/card/<int:item>/", stock_pages.StockCardView.as_view(), name="stock-card"),
    path("lots/<int:pk>/", stock_pages.LotDetailView.as_view(), name="lot-detail"),
    path("lots/<int:pk>/move/", stock_pages.LotMoveView.as_view(), name="lot-move"),
    path("dispatch/", stock_pages.DispatchListView.as_view(), name="dispatch-list"),
    path("dispatch/new/", stock_pages.DispatchCreateView.as_view(), name="dispatch-create"),
    path("dispatch/<int:pk>/", stock_pages.DispatchDetailView.as_view(), name="dispatch-detail"),
    path("dispatch/<int:pk>/action/", stock_pages.DispatchActionView.as_view(), name="dispatch-action"),
    path("quotas/", report_pages.QuotaView.as_view(), name="quotas"),
    path("expiry/", report_pages.ExpiryView.as_view(), name="expiry"),
    path("reach/", report_pages.ReachView.as_view(), name="reach"),
    path("map/", report_pages.ResourceMapView.as_view(), name="map"),
    path("map/data/", report_pages.ResourceMapDataView.as_view(), name="map-data"),
]
