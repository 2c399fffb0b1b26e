"""Load the (provisional) 13 supply classes of yingji.engines.resources.catalogue."""

from django.db import migrations

from yingji.engines.resources import CLASSES, SOURCE


def load(apps, schema_editor):
    SupplyClass = apps.get_model("resources", "SupplyClass")
    for c in CLASSES:
        SupplyClass.objects.get_or_create(
            code=c.code, defaults={"name": c.name, "source": SOURCE[:300], "provisional": True}
        )


class Migration(migrations.Migration):
    dependencies = [("resources", "0002_stock_dispatch_teams_equipment")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
