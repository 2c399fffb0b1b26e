"""Every inventory line belongs to a unit (after 0003 linked the existing ones)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("risk", "0003_link_inventories_to_units")]

    operations = [
        migrations.AlterField(
            model_name="chemicalinventory",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="inventories",
                to="risk.productionunit",
                verbose_name="所在单元",
            ),
        ),
    ]
