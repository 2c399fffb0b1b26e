"""Data: one ProductionUnit per (enterprise, unit_name) of existing inventory lines, linked.

Separate from the schema migrations so that PostgreSQL never alters a table with pending
trigger events in the same transaction.
"""

from django.db import migrations


def link_inventories_to_units(apps, schema_editor):
    """One ProductionUnit per (enterprise, unit_name) of existing inventory lines."""
    inventory = apps.get_model("risk", "ChemicalInventory")
    unit_model = apps.get_model("risk", "ProductionUnit")
    for item in inventory.objects.all().order_by("pk"):
        unit, _created = unit_model.objects.get_or_create(
            enterprise_id=item.enterprise_id,
            name=item.unit_name,
            defaults={"is_demo": item.is_demo},
        )
        item.unit_id = unit.pk
        item.save(update_fields=["unit"])


class Migration(migrations.Migration):
    dependencies = [("risk", "0002_ledger_units_risk_points_hidden_hazards")]

    operations = [migrations.RunPython(link_inventories_to_units, migrations.RunPython.noop)]
