from yingji.apps.core.api import RestrictedReadOnlyViewSet
from yingji.apps.risk.api.serializers import ChemicalInventorySerializer
from yingji.apps.risk.models import ChemicalInventory


class ChemicalInventoryViewSet(RestrictedReadOnlyViewSet):
    """Hazardous-chemical inventory lines (quantity in t); enterprise managers see only their own."""

    queryset = ChemicalInventory.objects.select_related("enterprise")
    serializer_class = ChemicalInventorySerializer
    filterset_fields = ["enterprise", "cas", "is_demo"]
    required_permissions = {"list": "risk.view_chemicalinventory", "retrieve": "risk.view_chemicalinventory"}
