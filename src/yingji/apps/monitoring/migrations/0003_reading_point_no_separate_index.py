# Drop the per-point index of Reading: the unique (point, ts) index covers every point lookup,
# and the extra B-tree doubled the random page writes of each reading insert. Dropped by name
# (the name Django gave it in 0001, the same on SQLite and PostgreSQL) so that SQLite does not
# rebuild the whole readings table.

import django.db.models.deletion
from django.db import migrations, models

INDEX = "monitoring_reading_point_id_4f6eb9a7"


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0002_alter_monitoringpoint_quantity"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX "{INDEX}" ON "monitoring_reading" ("point_id")',
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="reading",
                    name="point",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="readings",
                        to="monitoring.monitoringpoint",
                    ),
                ),
            ],
        ),
    ]
