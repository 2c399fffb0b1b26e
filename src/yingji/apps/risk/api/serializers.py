from rest_framework import serializers

from yingji.apps.risk.models import ChemicalInventory


class ChemicalInventorySerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = ChemicalInventory
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "unit_name",
            "substance_name",
            "cas",
            "hazard_class",
            "quantity_t",
            "is_demo",
            "updated_at",
        ]
